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
