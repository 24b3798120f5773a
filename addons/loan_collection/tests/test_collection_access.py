from odoo.addons.loan_base.tests.http_common import WebClientCase
from odoo.tests import new_test_user, tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectorReachesBorrower(CollectionCommon, WebClientCase):
    """In the web client, collectors and team leads open the contact dialog of their
    teams' cases and the borrower's file; a collector of another team is refused both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_a = new_test_user(
            cls.env, "t_lead_a", "loan_base.group_loan_collection_lead", name="Lead A"
        )
        cls.team_a.leader_id = cls.lead_a
        # the borrower belongs to the consultant's sales team: only the case links them
        # to the collection teams
        cls.borrower.loan_team_id = cls.sales_team
        # the spouse has a borrower file of their own, with another consultant
        cls.spouse = (
            cls.env["res.partner"]
            .with_user(cls.officer2)
            .create({"name": "Borrower's spouse", "loan_is_borrower": True})
        )
        cls.env["loan.related.person"].create(
            {"partner_id": cls.borrower.id, "person_id": cls.spouse.id, "role": "spouse"}
        )

    def _case_of_team_a(self):
        contract = self._active_contract()
        self._run_to("2026-12-21")
        case = self._case(contract)
        self.assertEqual(case.team_id, self.team_a)
        self.assertEqual(case.partner_id, self.borrower)
        return case

    def _contact_and_open_borrower(self, user, case):
        self._login(user)
        # the case opens, with its chatter (which suggests the borrower as recipient)
        [values] = self.open_form(case)
        self.assertEqual(values["partner_id"]["id"], self.borrower.id)
        data, _messages = self.open_chatter(case)
        [thread] = [t for t in data["mail.thread"] if t["id"] == case.id]
        self.assertIn(self.borrower.id, [r["partner_id"] for r in thread["suggestedRecipients"]])
        action = self.call_kw(case._name, "action_log_contact", [case.ids])
        self.assertEqual(action["res_model"], "loan.collection.activity")
        self.assertIn(self.borrower.name, action["name"])
        # the dialog opens with its defaults: the gate's verdict first
        spec = self.form_spec("loan.collection.activity")
        dialog = self.call_kw(
            "loan.collection.activity",
            "onchange",
            [[], {}, [], spec],
            {"context": action["context"]},
        )
        self.assertEqual(dialog["value"]["case_id"]["id"], case.id)
        self.assertTrue(dialog["value"]["gate_verdict"])
        # the borrower, from the case form, with the fields of the partner form
        [borrower] = self.open_form(self.borrower)
        self.assertEqual(borrower["name"], self.borrower.name)
        self.assertEqual(len(borrower["loan_phone_ids"]), 2)
        self.assertEqual(len(borrower["loan_related_person_ids"]), 2)
        self.assertEqual(borrower["loan_id_number"], "079******567", "masked for collectors")
        [spouse] = self.open_form(self.spouse)
        self.assertEqual(spouse["name"], self.spouse.name)
        return borrower

    def test_collector_contacts_and_opens_the_borrower_of_a_team_case(self):
        case = self._case_of_team_a()
        self._contact_and_open_borrower(self.collector, case)

    def test_team_lead_contacts_and_opens_the_borrower_of_a_team_case(self):
        case = self._case_of_team_a()
        self._contact_and_open_borrower(self.lead_a, case)

    def test_collector_of_another_team_is_refused(self):
        case = self._case_of_team_a()
        self._login(self.collector_b)
        self.call_kw_refused(case._name, "action_log_contact", [case.ids])
        # the partner form is refused, not just the sensitive fields
        self.open_form_refused(self.borrower)
        self.call_kw_refused("res.partner", "read", [self.borrower.ids, ["name"]])
        phones = self.borrower.loan_phone_ids
        self.call_kw_refused("loan.partner.phone", "read", [phones.ids, ["number_mask"]])
        self.call_kw_refused("res.partner", "read", [self.spouse.ids, ["name"]])
