from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestConsultantTour(HttpCase):
    """The consultant's day in the browser, as the demo Loan Officer on demo data."""

    def test_consultant_lead_to_application(self):
        consultant = self.env.ref("loan_base.user_consultant_demo", raise_if_not_found=False)
        if not consultant:
            self.skipTest("the demo users are installed with demo data only")
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline/new",
            "loan_consultant_tour",
            login="consultant",
        )
        lead = self.env["crm.lead"].search([("name", "=", "Tour cash loan request")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.user_id, consultant)
        self.assertEqual(lead.loan_product_id.company_id, consultant.company_id)
        self.assertEqual(lead.loan_prequal_state, "qualified")
        application = lead.loan_application_ids
        self.assertEqual(len(application), 1)
        self.assertEqual(application.product_id, lead.loan_product_id)
        self.assertEqual(application.amount, 20_000_000)
        self.assertEqual(application.term, 12)
        self.assertEqual(application.partner_id, lead.partner_id)
        self.assertEqual(application.partner_id.name, "Tour Borrower Lead")
        self.assertTrue(application.partner_id.loan_is_borrower)
        self.assertEqual(application.partner_id.loan_user_id, consultant)
