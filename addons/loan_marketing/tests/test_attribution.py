from odoo.tests import tagged

from .common import LoanMarketingCase


@tagged("post_install", "-at_install")
class TestAttribution(LoanMarketingCase):
    def test_first_last_linear_credit(self):
        other = self.campaign.copy({"name": "Test other campaign"})
        self.source2.campaign_id = other
        [a] = self.capture({"phone": "0381237000"})
        self.capture({"phone": "0381237000"}, source=self.source2)
        self.capture({"phone": "0381237000"}, source=self.source2)
        [b] = self.capture({"phone": "0381237001"})
        self.env.flush_all()
        Attribution = self.env["loan.marketing.attribution"]
        campaigns = self.campaign | other

        def credit(model, campaign):
            rows = Attribution.search([("model", "=", model), ("campaign_id", "=", campaign.id)])
            return round(sum(rows.mapped("credit")), 4)

        self.assertEqual(credit("first", self.campaign), 2)
        self.assertEqual(credit("first", other), 0)
        self.assertEqual(credit("last", self.campaign), 1)
        self.assertEqual(credit("last", other), 1)
        self.assertAlmostEqual(credit("linear", self.campaign), 1 + 1 / 3, places=4)
        self.assertAlmostEqual(credit("linear", other), 2 / 3, places=4)
        for model in ("first", "last", "linear"):
            total = sum(credit(model, c) for c in campaigns)
            self.assertAlmostEqual(total, 2, places=4, msg="every lead credited once in all")
        self.assertTrue(a and b)

    def test_funnel_and_campaign_figures(self):
        results = self.capture(
            {"phone": "0381237002", "amount": 20_000_000, "term": 12, "income": 15_000_000},
            {"phone": "0381237003"},
        )
        lead = self.env["crm.lead"].browse(results[0]["lead_id"])
        lead.loan_birth_date = "1990-01-01"
        lead.with_user(lead.user_id).action_loan_create_application()
        lead.with_user(lead.user_id).action_loan_call_reached()
        self.env["loan.campaign.cost"].create(
            [
                {
                    "campaign_id": self.campaign.id,
                    "date": "2027-01-01",
                    "channel_id": self.channel.id,
                    "amount": 3_000_000,
                },
                {
                    "campaign_id": self.campaign.id,
                    "date": "2027-01-02",
                    "channel_id": self.channel.id,
                    "amount": 1_000_000,
                },
            ]
        )
        self.env.flush_all()
        funnel = self.env["loan.marketing.funnel"].search([("campaign_id", "=", self.campaign.id)])
        self.assertEqual(sum(funnel.mapped("leads")), 2)
        self.assertEqual(sum(funnel.mapped("contacted")), 1)
        self.assertEqual(sum(funnel.mapped("applications")), 1)
        campaign = self.campaign.with_user(self.marketer)
        self.assertEqual(campaign.loan_cost_total, 4_000_000)
        self.assertEqual(campaign.loan_lead_count, 2)
        self.assertEqual(campaign.loan_cost_per_lead, 2_000_000)
        self.assertEqual(campaign.loan_cost_per_application, 4_000_000)
        self.assertEqual(campaign.loan_budget_used, 40.0)
        result = self.env["loan.marketing.campaign.result"].search(
            [("campaign_id", "=", self.campaign.id)]
        )
        self.assertEqual((result.cost, result.leads, result.applications), (4_000_000, 2, 1))
        self.assertEqual(result.roi, -100.0, "no income received yet")
