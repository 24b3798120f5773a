from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class LoanMarketingCase(TransactionCase):
    """A Vietnamese lender with a VND product, a lending campaign, a landing source and an
    allocation rule of two consultants; a marketing user; the gate's clock at 10:00 in Ho
    Chi Minh City."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.vn")
        vnd = cls.env.ref("base.VND")
        vnd.active = True
        cls.product = cls.env["loan.product"].create(
            {
                "name": "Test marketing cash",
                "code": "T-MKT",
                "currency_id": vnd.id,
                "min_amount": 5_000_000,
                "max_amount": 70_000_000,
                "min_term": 6,
                "max_term": 36,
                "rate": 28.0,
            }
        )
        cls.campaign = cls.env["utm.campaign"].create(
            {
                "name": "Test Tet campaign",
                "loan_is_lending": True,
                "loan_product_ids": [fields.Command.set(cls.product.ids)],
                "loan_budget": 10_000_000,
            }
        )
        cls.channel = cls.env["loan.marketing.channel"].create(
            {"name": "Test channel", "code": "t_mkt"}
        )
        cls.source = cls.env["loan.lead.source"].create(
            {
                "name": "Test landing",
                "code": "t-mkt-landing",
                "kind": "landing",
                "channel_id": cls.channel.id,
                "campaign_id": cls.campaign.id,
                "product_id": cls.product.id,
                "consent_text_version": "T-1",
            }
        )
        cls.source2 = cls.source.copy({"code": "t-mkt-fb", "kind": "facebook", "name": "Test FB"})
        cls.consultant = new_test_user(
            cls.env, "mk_officer1", "loan_base.group_loan_officer", tz="Asia/Ho_Chi_Minh"
        )
        cls.consultant2 = new_test_user(
            cls.env, "mk_officer2", "loan_base.group_loan_officer", tz="Asia/Ho_Chi_Minh"
        )
        cls.marketer = new_test_user(
            cls.env, "mk_marketer", "loan_marketing.group_loan_marketing_user"
        )
        cls.rule = cls.env["loan.lead.allocation.rule"].create(
            {
                "name": "Test all leads",
                "sequence": 0,
                "tz": "Asia/Ho_Chi_Minh",
                "hour_from": 0.0,
                "hour_to": 24.0,
                "weekdays": "0,1,2,3,4,5,6",
                "sla_minutes": 15,
                "member_ids": [
                    fields.Command.create({"user_id": cls.consultant.id}),
                    fields.Command.create({"user_id": cls.consultant2.id}),
                ],
            }
        )
        # other rules of the database (demo) must not take the test's leads
        cls.env["loan.lead.allocation.rule"].search([("id", "!=", cls.rule.id)]).active = False
        cls.env["loan.nurture.journey"].search([]).active = False

    def setUp(self):
        super().setUp()
        # yesterday 10:00 UTC+7: always in the past, whatever the hour the tests run at
        # (consents and refusals dated before it are then never in the future)
        yesterday = fields.Date.today() - timedelta(days=1)
        self.morning = morning = datetime.combine(yesterday, time(3, 0))
        self.patch(type(self.env["loan.outreach.attempt"]), "_gate_now", lambda _self: morning)

    def next_lead(self, user):
        """``action_loan_next_lead`` as ``user``: the claim runs on a cursor of its own,
        which the test's transaction lends it in registry test mode."""
        with self.enter_registry_test_mode():
            return self.env["crm.lead"].with_user(user).action_loan_next_lead()

    def capture(self, *rows, source=None):
        # captured (and consented) before the gate's fixed clock
        before = self.morning - timedelta(hours=1)
        rows = [
            {"consent_data": True, "name": "Nguyễn Thị Hoa", "touched_at": before, **row}
            for row in rows
        ]
        return self.env["crm.lead"]._loan_capture(source or self.source, rows)
