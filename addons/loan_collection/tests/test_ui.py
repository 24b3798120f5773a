from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCollectionUi(HttpCase):
    """The collection team's day in the browser, as the demo users, on demo data.

    The contact policy allows calls from 07:00 to 21:00 in Ho Chi Minh City, and the tour
    must see the gate's verdict (not go around it with an inbound contact). The gate asks
    ``loan.outreach.attempt._gate_now()`` for the time when none is given, so the test
    fixes that one method at 10:00 in Ho Chi Minh City today: the server threads that
    answer the browser run in this process and use the same model class. Nothing else is
    frozen, so the browser, sessions and timeouts keep the real clock."""

    def setUp(self):
        super().setUp()
        morning = datetime.combine(fields.Date.today(), time(3, 0))  # 10:00 UTC+7
        self.patch(type(self.env["loan.outreach.attempt"]), "_gate_now", lambda _self: morning)

    def _demo_user(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest("no demo data: the demo user %s does not exist" % login)
        return user

    def test_collector_next_case_contact_and_promise(self):
        collector = self._demo_user("collector")
        self.start_tour("/odoo", "loan_collection_collector_tour", login="collector")
        case = self.env["loan.collection.case"].search([("held_by_id", "=", collector.id)])
        self.assertEqual(len(case), 1, "next case gave the collector one case")
        contact = case.collection_activity_ids.filtered(
            lambda a: a.user_id == collector and a.promise_id
        ).sorted("id")[-1:]
        self.assertEqual(contact.state, "done")
        self.assertEqual(contact.attempt_id.state, "sent", "the gate allowed the call")
        self.assertEqual(contact.attempt_id.direction, "outbound")
        promise = contact.promise_id
        self.assertIn(promise, case.promise_ids)
        # "+3d" is typed in the browser, whose clock is the server's (Odoo runs, and starts
        # Chromium, with TZ=UTC): three days after the UTC date, whatever the collector's zone
        today = fields.Date.today()
        self.assertEqual(promise.amount, 750_000)
        self.assertEqual(promise.date, today + timedelta(days=3))
        self.assertEqual(case.state, "promise")

    def test_teamlead_balances_reads_kpis_and_reviews_a_contact(self):
        teamlead = self._demo_user("teamlead")
        collector = self._demo_user("collector")
        Case = self.env["loan.collection.case"]
        theirs = Case.with_user(teamlead).search([("state", "in", ("open", "in_progress"))])
        self.assertTrue(theirs, "the demo gives the team lead's teams cases")
        theirs.sudo().write({"user_id": False})
        # a call the collector made, for the team lead to review
        call = (
            self.env["loan.collection.activity"]
            .sudo()
            .create(
                {
                    "case_id": theirs[0].id,
                    "user_id": collector.id,
                    "channel": "call",
                    "outcome": "refused",
                    "state": "done",
                }
            )
        )
        self.start_tour(
            "/odoo/action-loan_collection.loan_collection_case_action",
            "loan_collection_teamlead_tour",
            login="teamlead",
        )
        self.assertTrue(all(theirs.mapped("user_id")), "balanced over the collectors")
        review = self.env["loan.qa.review"].search([("reviewer_id", "=", teamlead.id)])
        self.assertEqual(len(review), 1)
        self.assertEqual(review.state, "done")
        self.assertTrue(review.coaching_note)
        self.assertNotEqual(review.collector_id, teamlead)
        self.assertIn(call, Case.browse(theirs.ids).collection_activity_ids)


@tagged("post_install", "-at_install")
class TestManagerUi(HttpCase):
    """The Lending Manager's contracts by collection bucket, with totals, in the browser."""

    def test_manager_contracts_by_bucket_with_totals(self):
        manager = self.env["res.users"].search([("login", "=", "manager")])
        if not manager:
            self.skipTest("needs the demo users")
        Contract = self.env["loan.contract"].with_user(manager)
        late = Contract.search([("collection_bucket_id.min_dpd", ">", 0)])
        self.assertTrue(late, "the demo has delinquent contracts in a bucket")
        self.start_tour(
            "/odoo/action-loan_servicing.loan_contract_action",
            "loan_manager_contracts_tour",
            login="manager",
        )


@tagged("post_install", "-at_install")
class TestAdminTour(HttpCase):
    """The lending administrator configures lending in the browser, on demo data."""

    def test_admin_configures_lending(self):
        admin = self.env.ref("loan_base.user_lendingadmin_demo", raise_if_not_found=False)
        if not admin:
            self.skipTest("the demo users are installed with demo data only")
        product = self.env.ref("loan_servicing.loan_product_cash_vnd_demo")
        self.start_tour(
            "/odoo/action-loan_servicing.loan_product_action/%d" % product.id,
            "loan_admin_tour",
            login="lendingadmin",
        )
        self.assertEqual(product.max_amount, 80_000_000)
        self.assertEqual(product.write_uid, admin)
        stage = self.env["loan.application.stage"].search([("name", "=", "Tour field check")])
        self.assertEqual(len(stage), 1)
        self.assertTrue(stage.require_score)
        strategy = self.env["loan.collection.strategy"].search(
            [("name", "=", "Tour gentle strategy")]
        )
        self.assertEqual(len(strategy), 1)
        self.assertEqual(strategy.step_ids.mapped("name"), ["Tour first SMS"])
        self.assertEqual(strategy.step_ids.delay_days, 3)
        self.assertEqual(strategy.create_uid, admin)
        policy = self.env.ref("loan_base.loan_contact_policy_vn")
        self.assertEqual(policy.min_gap_minutes, 90)
        self.assertEqual(policy.write_uid, admin)
