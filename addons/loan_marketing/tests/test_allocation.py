from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LoanMarketingCase


@tagged("post_install", "-at_install")
class TestAllocation(LoanMarketingCase):
    def test_round_robin_and_weighted(self):
        results = self.capture(*({"phone": "03812350%02d" % i} for i in range(6)))
        leads = self.env["crm.lead"].browse([r["lead_id"] for r in results])
        counts = {
            u: len(leads.filtered(lambda lead, u=u: lead.user_id == u)) for u in leads.user_id
        }
        self.assertEqual(sorted(counts.values()), [3, 3])
        self.assertTrue(all(lead.loan_sla_state == "pending" for lead in leads))
        self.rule.method = "weighted"
        self.rule.member_ids.filtered(lambda m: m.user_id == self.consultant).weight = 3
        self.rule.member_ids.assigned_count = 0
        results = self.capture(*({"phone": "03812351%02d" % i} for i in range(8)))
        leads = self.env["crm.lead"].browse([r["lead_id"] for r in results])
        self.assertEqual(len(leads.filtered(lambda lead: lead.user_id == self.consultant)), 6)

    def test_max_open_leads(self):
        self.rule.member_ids.filtered(lambda m: m.user_id == self.consultant).max_open = 1
        results = self.capture(*({"phone": "03812352%02d" % i} for i in range(4)))
        leads = self.env["crm.lead"].browse([r["lead_id"] for r in results])
        self.assertEqual(len(leads.filtered(lambda lead: lead.user_id == self.consultant)), 1)

    def test_deadline_in_working_hours(self):
        self.rule.write({"hour_from": 8.0, "hour_to": 17.0, "weekdays": "0,1,2,3,4"})
        # Friday 16:50 in Ho Chi Minh City (09:50 UTC): 10 minutes Friday, 5 on Monday
        friday = datetime(2027, 1, 8, 9, 50)
        self.assertEqual(self.rule._deadline(friday), datetime(2027, 1, 11, 1, 5))
        # Saturday: Monday 08:15
        self.assertEqual(
            self.rule._deadline(datetime(2027, 1, 9, 3, 0)), datetime(2027, 1, 11, 1, 15)
        )
        # inside the day
        self.assertEqual(
            self.rule._deadline(datetime(2027, 1, 7, 3, 0)), datetime(2027, 1, 7, 3, 15)
        )

    def test_call_in_time_meets_the_sla_late_lead_is_escalated(self):
        on_time, late = self.capture({"phone": "0381235300"}, {"phone": "0381235301"})
        Lead = self.env["crm.lead"]
        on_time, late = Lead.browse(on_time["lead_id"]), Lead.browse(late["lead_id"])
        # the gate's clock is fixed at 10:00: the deadline counts from there
        on_time.loan_sla_deadline = self.morning + timedelta(minutes=15)
        on_time.with_user(on_time.user_id).action_loan_call_reached()
        self.assertEqual(on_time.loan_sla_state, "met")
        self.assertTrue(on_time.loan_first_contact_at)
        owner = late.user_id
        late.loan_sla_deadline = fields.Datetime.now() - timedelta(minutes=1)
        Lead._cron_loan_escalate()
        self.assertEqual(late.loan_sla_state, "missed", "the SLA result is kept")
        self.assertNotEqual(late.user_id, owner, "reassigned to another consultant")
        self.assertEqual(late.loan_escalation_count, 1)
        late.with_user(late.user_id).action_loan_call_no_answer()
        self.assertEqual(late.loan_sla_state, "missed")

    def test_call_refused_by_the_gate_is_not_a_contact(self):
        [result] = self.capture({"phone": "0381235302"})
        lead = self.env["crm.lead"].browse(result["lead_id"])
        lead.partner_id.loan_phone_ids.do_not_call = True
        with self.assertRaises(UserError):
            lead.with_user(lead.user_id).action_loan_call_reached()
        self.assertFalse(lead.loan_first_contact_at)
        self.assertEqual(lead.loan_sla_state, "pending")

    def test_other_consultant_cannot_call(self):
        [result] = self.capture({"phone": "0381235303"})
        lead = self.env["crm.lead"].browse(result["lead_id"])
        other = (self.consultant | self.consultant2) - lead.user_id
        with self.assertRaises(AccessError):
            lead.with_user(other).action_loan_call_reached()

    def test_next_lead(self):
        self.rule.member_ids.filtered(lambda m: m.user_id == self.consultant2).active = False
        with patch.object(type(self.rule), "_plan", lambda self, items, *_a: [None] * len(items)):
            first, second = self.capture({"phone": "0381235304"}, {"phone": "0381235305"})
        Lead = self.env["crm.lead"]
        first, second = Lead.browse(first["lead_id"]), Lead.browse(second["lead_id"])
        self.assertFalse(first.user_id)
        action = self.next_lead(self.consultant)
        self.assertEqual(action["res_id"], first.id)
        self.assertEqual(first.user_id, self.consultant)
        self.assertEqual(first.loan_sla_state, "pending")
        # asked again without contacting: the same lead (their own, due first)
        self.assertEqual(self.next_lead(self.consultant)["res_id"], first.id)
        first.with_user(self.consultant).action_loan_call_reached()
        self.assertEqual(self.next_lead(self.consultant)["res_id"], second.id)
        # a consultant outside every rule gets nothing
        action = self.next_lead(self.consultant2)
        self.assertEqual(action["type"], "ir.actions.client")

    def test_bulk_assignment_is_complete(self):
        self.rule.member_ids.filtered(lambda m: m.user_id == self.consultant2).active = False
        results = self.capture(*({"phone": "03812360%02d" % i} for i in range(60)))
        leads = self.env["crm.lead"].browse([r["lead_id"] for r in results])
        self.assertEqual(leads.user_id, self.consultant, "60 leads in one UPDATE")
        self.assertTrue(all(leads.mapped("date_open")), "Odoo's assignment date recomputed")
        self.assertEqual(set(leads.mapped("loan_sla_state")), {"pending"})
        self.assertEqual(leads.loan_allocation_rule_id, self.rule)
        self.assertEqual(leads.partner_id.loan_user_id, self.consultant)
        # created with their consultant: the sales team and stage Odoo derives for a lead
        # given to this consultant, and the automated probability of that team and stage
        odoo_made = self.env["crm.lead"].create(
            {"name": "Made by Odoo", "type": "lead", "user_id": self.consultant.id}
        )
        self.assertEqual(leads.team_id, odoo_made.team_id)
        self.assertEqual(leads.stage_id, odoo_made.stage_id)
        self.assertTrue(odoo_made.stage_id, "the demo's first stage")
        leads.invalidate_recordset(["automated_probability"])
        before = leads.mapped("automated_probability")
        leads._compute_probabilities()
        self.assertEqual(leads.mapped("automated_probability"), before, "not stale")
        self.assertEqual(
            self.env["crm.lead"].with_user(self.consultant).search_count([("id", "in", leads.ids)]),
            60,
        )
