from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_officer_creates_borrower_file(self):
        new_test_user(
            self.env, "tour_officer", "loan_base.group_loan_officer", password="tour_officer"
        )
        self.start_tour("/odoo", "loan_base_borrower_tour", login="tour_officer")
        partner = self.env["res.partner"].search([("name", "=", "Tour Borrower")])
        self.assertTrue(partner.loan_is_borrower)
        self.assertEqual(partner.loan_id_number_mask, "079******234")
        self.assertEqual(partner._loan_pii_plain("loan_id_number"), "079201001234")
        self.assertEqual(partner.loan_user_id.login, "tour_officer")

    def test_compliance_reveals_and_reviews(self):
        """The compliance officer reveals a borrower's ID number with a reason, finds it in
        the reveal log and reviews the borrower's contact history (demo data)."""
        compliance = self.env["res.users"].search([("login", "=", "compliance")])
        borrower = self.env.ref("loan_base.partner_borrower_ngoc_demo", raise_if_not_found=False)
        if not (compliance and borrower):
            self.skipTest("no demo data")
        # a call logged through the gate, for the contact history
        self.env["loan.outreach.attempt"].with_user(compliance).gate_log_contact(
            borrower, "call", purpose="service", note="Asked to confirm their address."
        )
        self.start_tour(
            "/odoo/action-loan_base.res_partner_action_borrower/%d" % borrower.id,
            "loan_base_compliance_tour",
            login="compliance",
        )
        log = self.env["loan.pii.reveal.log"].search(
            [("partner_id", "=", borrower.id), ("user_id", "=", compliance.id)]
        )
        self.assertEqual(len(log), 1)
        self.assertIn("compliance tour", log.reason)
