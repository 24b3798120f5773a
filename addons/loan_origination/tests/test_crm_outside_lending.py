from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmOutsideLending(HttpCase):
    """A salesperson without a lending role works with leads as before the loan modules:
    converting a lead creates its customer; the loan request stays out of reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, "crm_salesman", "sales_team.group_sale_salesman", password="crm_salesman"
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Office chairs",
                "type": "lead",
                "contact_name": "Tran Thi Mai",
                "email_from": "mai@example.com",
                "user_id": cls.salesman.id,
            }
        )

    def _call(self, model, method, args, context=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/%s/%s" % (model, method),
            {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": {"context": context or {}},
            },
        )

    def test_salesman_converts_a_lead_to_a_new_customer(self):
        self.authenticate("crm_salesman", "crm_salesman")
        context = {"active_model": "crm.lead", "active_id": self.lead.id}
        context["active_ids"] = [self.lead.id]
        wizard_id = self._call(
            "crm.lead2opportunity.partner",
            "create",
            [{"name": "convert", "action": "create", "lead_id": self.lead.id}],
            context,
        )
        self._call("crm.lead2opportunity.partner", "action_apply", [[wizard_id]], context)
        self.assertEqual(self.lead.type, "opportunity")
        self.assertEqual(self.lead.partner_id.name, "Tran Thi Mai")
        self.assertEqual(self.lead.partner_id.email, "mai@example.com")

    def test_salesman_creates_the_customer_from_the_lead_form(self):
        # the lead form's customer field: typing a new name creates the contact
        self.authenticate("crm_salesman", "crm_salesman")
        partner_id, _name = self._call("res.partner", "name_create", ["Nguyen Van Binh"])
        self._call("crm.lead", "write", [[self.lead.id], {"partner_id": partner_id}])
        self.assertEqual(self.lead.partner_id.name, "Nguyen Van Binh")
        self.assertEqual(self.lead.partner_id.create_uid, self.salesman)

    def test_salesman_duplicates_a_lead_without_its_loan_request(self):
        vnd = self.env.ref("base.VND")
        vnd.active = True
        product = self.env["loan.product"].create(
            {
                "name": "Copy test cash",
                "code": "T-COPY",
                "currency_id": vnd.id,
                "min_amount": 1_000_000,
                "max_amount": 50_000_000,
                "rate": 20.0,
            }
        )
        request = {"loan_product_id": product.id, "loan_amount": 5_000_000, "loan_term": 6}
        self.lead.sudo().write(request)
        self.authenticate("crm_salesman", "crm_salesman")
        copy_id = self._call("crm.lead", "copy", [[self.lead.id]])[0]
        copy = self.env["crm.lead"].browse(copy_id)
        self.assertEqual(copy.contact_name, "Tran Thi Mai")
        self.assertFalse(copy.loan_product_id)
        self.assertFalse(copy.loan_amount)
        # a consultant's copy keeps the request
        officer = new_test_user(self.env, "crm_officer", "loan_base.group_loan_officer")
        self.lead.user_id = officer
        self.assertEqual(self.lead.with_user(officer).copy().loan_amount, 5_000_000)

    def test_salesman_is_refused_the_loan_request(self):
        lead = self.lead.with_user(self.salesman)
        lead.write({"probability": 40})
        with self.assertRaises(AccessError):
            lead.write({"loan_amount": 10_000_000})
        with self.assertRaises(AccessError):
            lead.action_loan_create_application()
