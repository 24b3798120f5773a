from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

ACTIONS = [
    "loan_marketing.utm_campaign_action_lending",
    "loan_marketing.loan_campaign_cost_action",
    "loan_marketing.loan_lead_source_action",
    "loan_marketing.loan_marketing_channel_action",
    "loan_marketing.loan_lead_intake_action",
    "loan_marketing.loan_lead_touch_action",
    "loan_marketing.crm_lead_action_captured",
    "loan_marketing.loan_lead_allocation_rule_action",
    "loan_marketing.loan_nurture_journey_action",
    "loan_marketing.loan_nurture_enrolment_action",
    "loan_marketing.loan_marketing_attribution_action",
    "loan_marketing.loan_marketing_funnel_action",
    "loan_marketing.loan_marketing_campaign_result_action",
]


@tagged("post_install", "-at_install")
class TestMarketingUi(HttpCase):
    """A consultant's first call to a captured lead, in the browser.

    The test makes its own lender (no demo data needed): a Vietnamese company, a landing
    source, an allocation rule with one consultant, and one captured lead. The gate's
    clock (``loan.outreach.attempt._gate_now``) is fixed at 10:00 in Ho Chi Minh City
    today, inside the contact policy's calling hours, and the lead was captured at 09:50
    with a 15-minute first-contact deadline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        company = cls.env.company
        company.country_id = cls.env.ref("base.vn")
        cls.env.ref("base.VND").active = True
        cls.consultant = new_test_user(
            cls.env,
            "mk_consultant",
            "loan_base.group_loan_officer",
            tz="Asia/Ho_Chi_Minh",
            company_id=company.id,
        )
        channel = cls.env["loan.marketing.channel"].create(
            {"name": "Tour channel", "code": "t_mk_tour"}
        )
        cls.source = cls.env["loan.lead.source"].create(
            {
                "name": "Tour landing",
                "code": "t-mk-tour-landing",
                "kind": "landing",
                "channel_id": channel.id,
                "consent_text_version": "T-1",
            }
        )
        Rule = cls.env["loan.lead.allocation.rule"]
        Rule.search([]).active = False
        cls.env["loan.nurture.journey"].search([]).active = False
        Rule.create(
            {
                "name": "Tour all leads",
                "tz": "Asia/Ho_Chi_Minh",
                "hour_from": 0.0,
                "hour_to": 24.0,
                "weekdays": "0,1,2,3,4,5,6",
                "sla_minutes": 15,
                "member_ids": [fields.Command.create({"user_id": cls.consultant.id})],
            }
        )

    def setUp(self):
        super().setUp()
        self.morning = datetime.combine(fields.Date.today(), time(3, 0))  # 10:00 UTC+7
        self.patch(type(self.env["loan.outreach.attempt"]), "_gate_now", lambda _self: self.morning)

    def test_consultant_next_lead_and_first_call(self):
        [result] = self.env["crm.lead"]._loan_capture(
            self.source, [{"name": "Trần Văn Bình", "phone": "0381234567", "consent_data": True}]
        )
        self.assertEqual(result["status"], "created")
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.assertEqual(lead.user_id, self.consultant, "allocated to the only consultant")
        # captured at 09:50 with its 15 minutes, whatever the real clock says
        lead.write(
            {
                "loan_captured_at": self.morning - timedelta(minutes=10),
                "loan_assigned_at": self.morning - timedelta(minutes=10),
                "loan_sla_deadline": self.morning + timedelta(minutes=5),
            }
        )
        self.start_tour("/odoo", "loan_marketing_consultant_tour", login="mk_consultant")
        self.assertTrue(lead.loan_first_contact_at)
        self.assertEqual(lead.loan_sla_state, "met")
        self.assertEqual(lead.user_id, self.consultant)

    def test_marketing_manager_reads_the_intake_log(self):
        """The marketing manager (the least role with the intake log) filters what still
        waits for the platform fetch and opens a failed fetch's attempts."""
        new_test_user(
            self.env,
            "mk_ui_manager",
            "loan_marketing.group_loan_marketing_manager",
            company_id=self.env.company.id,
        )
        Intake = self.env["loan.lead.intake"]
        Intake._log("facebook", "done", None, self.source, external_id="T-FB-DONE")
        retry = Intake._log("facebook", "queued", None, self.source, external_id="T-FB-RETRY")
        retry.write(
            {
                "attempts": 2,
                "reason": "graph.facebook.com is down",
                "next_try_at": fields.Datetime.now() + timedelta(minutes=4),
            }
        )
        self.start_tour("/odoo", "loan_marketing_intake_tour", login="mk_ui_manager")

    def test_actions_open(self):
        """Every window action of the module opens its views."""
        for xmlid in ACTIONS:
            action = self.env.ref(xmlid)
            with self.subTest(action=xmlid):
                views = [(view_id, view_type) for view_id, view_type in action.views]
                if "search" not in {view_type for _id, view_type in views}:
                    views.append((action.search_view_id.id, "search"))
                result = self.env[action.res_model].get_views(views)
                self.assertEqual(set(result["views"]), {view_type for _id, view_type in views})

    def test_lead_form_masks_the_number_for_marketing(self):
        """Marketing reads the masked number; only officers type the number."""
        marketer = new_test_user(
            self.env, "mk_ui_marketer", "loan_marketing.group_loan_marketing_user"
        )
        form = (
            self.env["crm.lead"]
            .with_user(marketer)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="loan_phone_mask"', form)
        self.assertNotIn('name="loan_phone"', form)
        self.assertNotIn("action_loan_call_reached", form)
        form = (
            self.env["crm.lead"]
            .with_user(self.consultant)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="loan_phone"', form)
        self.assertIn("action_loan_call_reached", form)
