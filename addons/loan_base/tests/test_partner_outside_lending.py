from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException


@tagged("post_install", "-at_install")
class TestContactsOutsideLending(HttpCase):
    """People without a lending role keep using contacts as before the loan modules; the
    borrower file's fields stay staff-only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_user = new_test_user(
            cls.env,
            "contacts_only",
            "base.group_user,base.group_partner_manager",
            password="contacts_only",
        )
        cls.officer = new_test_user(
            cls.env, "partner_officer", "loan_base.group_loan_officer", password="partner_officer"
        )
        cls.currency = cls.env.company.currency_id

    def _web_save(self, vals, record_ids=()):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/web_save",
            {
                "model": "res.partner",
                "method": "web_save",
                "args": [list(record_ids), vals],
                "kwargs": {"specification": {"display_name": {}}},
            },
        )

    def test_contact_user_creates_and_edits_contacts(self):
        Partner = self.env["res.partner"].with_user(self.contact_user)
        partner = Partner.create({"name": "Plain Contact", "email": "plain@example.com"})
        partner.write({"phone": "+84 28 3822 0000", "city": "Hue"})
        self.assertEqual(partner.sudo().loan_currency_id, self.currency)

    def test_contact_user_saves_contacts_in_the_web_client(self):
        self.authenticate("contacts_only", "contacts_only")
        [saved] = self._web_save({"name": "Web Contact", "email": "web@example.com"})
        partner = self.env["res.partner"].browse(saved["id"])
        self.assertEqual(partner.display_name, "Web Contact")
        self._web_save({"city": "Hue"}, [partner.id])
        self.assertEqual(partner.city, "Hue")

    def test_contact_user_duplicates_a_borrower_without_the_borrower_file(self):
        borrower = self.env["res.partner"].create(
            {
                "name": "Borrower B",
                "loan_is_borrower": True,
                "loan_user_id": self.officer.id,
                "loan_birth_date": "1990-05-01",
                "loan_employer": "Sen Vang Co.",
            }
        )
        copy = borrower.with_user(self.contact_user).copy()
        self.assertEqual(copy.name, "Borrower B (copy)")
        self.assertFalse(copy.sudo().loan_birth_date)
        self.assertFalse(copy.sudo().loan_employer)
        # staff copies the file as before
        staff_copy = borrower.with_user(self.officer).copy()
        self.assertEqual(str(staff_copy.loan_birth_date), "1990-05-01")
        self.assertEqual(staff_copy.loan_employer, "Sen Vang Co.")

    def test_contact_user_is_refused_the_borrower_fields(self):
        partner = self.env["res.partner"].create({"name": "Some Contact"})
        with self.assertRaises(AccessError):
            partner.with_user(self.contact_user).loan_currency_id  # noqa: B018
        with self.assertRaises(AccessError):
            partner.with_user(self.contact_user).write({"loan_monthly_income": 1})
        self.authenticate("contacts_only", "contacts_only")
        with self.assertRaises(JsonRpcException), self.assertLogs("odoo.http", "WARNING"):
            self._web_save({"name": "X", "loan_currency_id": self.currency.id})

    def test_officer_gets_the_company_currency_and_keeps_a_chosen_one(self):
        Partner = self.env["res.partner"].with_user(self.officer)
        borrower = Partner.create({"name": "Borrower A", "loan_is_borrower": True})
        self.assertEqual(borrower.loan_currency_id, self.currency)
        other = self.env.ref("base.EUR") if self.currency != self.env.ref("base.EUR") else None
        other = other or self.env.ref("base.USD")
        other.sudo().active = True
        borrower.loan_currency_id = other
        borrower.company_id = self.env.company
        self.assertEqual(borrower.loan_currency_id, other)
