from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LoanMarketingCase


@tagged("post_install", "-at_install")
class TestRoleMatrix(LoanMarketingCase):
    """Who may do what in marketing: each action driven as the least-privileged role that
    does it, and refused for the one that should not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "mk_manager", "loan_marketing.group_loan_marketing_manager"
        )
        cls.salesman = new_test_user(cls.env, "mk_sales", "sales_team.group_sale_salesman")

    def _cost(self, user):
        return (
            self.env["loan.campaign.cost"]
            .with_user(user)
            .create({"campaign_id": self.campaign.id, "channel_id": self.channel.id, "amount": 5})
        )

    def test_costs(self):
        self.assertTrue(self._cost(self.marketer))
        for user in (self.consultant, self.salesman):
            with self.assertRaises(AccessError):
                self._cost(user)

    def test_sources_and_rules(self):
        vals = {"name": "X", "code": "t-x", "channel_id": self.channel.id}
        self.assertTrue(self.env["loan.lead.source"].with_user(self.manager).create(vals))
        for user in (self.marketer, self.consultant):
            with self.assertRaises(AccessError):
                self.env["loan.lead.source"].with_user(user).create(dict(vals, code="t-y"))
            with self.assertRaises(AccessError):
                self.rule.with_user(user).write({"sla_minutes": 5})
        self.rule.with_user(self.manager).write({"sla_minutes": 5})
        # credentials: administrators only
        with self.assertRaises(AccessError):
            self.source.with_user(self.manager).read(["fb_app_secret"])
        with self.assertRaises(UserError):
            self.source.with_user(self.manager).action_generate_api_key()

    def test_intake_log_and_reports(self):
        self.env["loan.lead.intake"]._log("facebook", "refused", "bad signature", self.source2)
        self.assertTrue(self.env["loan.lead.intake"].with_user(self.manager).search([]))
        with self.assertRaises(AccessError):
            self.env["loan.lead.intake"].with_user(self.marketer).search([])
        for model in (
            "loan.marketing.attribution",
            "loan.marketing.funnel",
            "loan.marketing.campaign.result",
        ):
            self.env[model].with_user(self.marketer).search([])
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.consultant).search([])

    def test_campaign_money_fields_are_marketing_only(self):
        self.campaign.with_user(self.marketer).read(["loan_budget", "loan_cost_total"])
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.consultant).read(["loan_budget"])

    def test_touches_and_enrolments_follow_the_lead(self):
        mine, theirs = self.capture({"phone": "0381238000"}, {"phone": "0381238001"})
        Lead = self.env["crm.lead"]
        mine, theirs = Lead.browse(mine["lead_id"]), Lead.browse(theirs["lead_id"])
        officer = mine.user_id
        touches = self.env["loan.lead.touch"].with_user(officer).search([])
        self.assertIn(mine.loan_touch_ids, touches)
        self.assertFalse(theirs.loan_touch_ids & touches)
        self.assertEqual(
            self.env["loan.lead.touch"]
            .with_user(self.marketer)
            .search_count([("lead_id", "in", (mine | theirs).ids)]),
            2,
        )
        # marketing reads leads but does not call them
        with self.assertRaises(UserError):
            mine.with_user(self.marketer).action_loan_call_reached()
        # a salesperson outside lending does not see captured leads
        self.assertFalse(Lead.with_user(self.salesman).search([("id", "in", (mine | theirs).ids)]))

    def test_other_company_leads_hidden(self):
        other = self.env["res.company"].create(
            {"name": "Other lender", "country_id": self.env.ref("base.vn").id}
        )
        self.consultant.write({"company_ids": [(4, other.id)]})
        source = self.source.copy({"code": "t-other", "company_id": other.id})
        [result] = self.env["crm.lead"]._loan_capture(
            source, [{"name": "A", "phone": "0381238002", "consent_data": True}]
        )
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.assertEqual(lead.company_id, other)
        self.assertFalse(
            self.env["loan.lead.touch"].with_user(self.marketer).search([("lead_id", "=", lead.id)])
        )
