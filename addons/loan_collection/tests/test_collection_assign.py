from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestCollectionAssign(CollectionWorkCommon):
    """Team leads share cases out by load, region and skill."""

    def test_lead_balances_cases_by_load_region_and_skill(self):
        hcm = self.env.ref("base.state_vn_VN-SG")
        hanoi = self.env.ref("base.state_vn_VN-HN")
        north = new_test_user(self.env, "t_collector_north", "loan_base.group_loan_collector")
        untrained = new_test_user(self.env, "t_collector_new", "loan_base.group_loan_collector")
        self._train(north)
        self.team_a.member_ids = [(4, north.id), (4, untrained.id)]
        north.loan_collection_state_ids = hanoi
        self.collector.loan_collection_capacity = 2
        partners = self.env["res.partner"].create(
            [
                {"name": "Debtor %s" % n, "state_id": state.id, "country_id": self.vn.id}
                for n, state in enumerate((hcm, hanoi, hcm, hanoi, hcm))
            ]
        )
        cases = self._cases(partners)
        Assign = self.env["loan.collection.assign"].with_context(
            active_model="loan.collection.case", active_ids=cases.ids
        )
        with self.assertRaises(AccessError):
            Assign.with_user(self.collector).create({"mode": "balance"})
        Assign.with_user(self.teamlead).create({"mode": "balance"}).action_apply()
        # highest priority first, to the least loaded collector who fits
        self.assertEqual(
            cases.mapped("user_id"),
            self.collector | north,
        )
        self.assertEqual(
            [c.user_id for c in cases],
            [self.collector, north, self.collector, north, self.env["res.users"]],
            "Hanoi borrowers can go north; the fifth finds the others full or out of region",
        )
        self.assertNotIn(untrained, cases.user_id, "no case without current training")
        # skills: a collector skilled for later buckets only gets no early case
        north.loan_collection_bucket_ids = self.env.ref(
            "loan_collection.loan_collection_bucket_31_60"
        )
        Assign.with_user(self.teamlead).create({"mode": "balance"}).action_apply()
        self.assertNotIn(north, cases.user_id)
        self.assertEqual(len(cases.filtered(lambda c: c.user_id == self.collector)), 2)
        # to one collector: refused for the untrained and for another team's collector
        with self.assertRaises(UserError):
            Assign.with_user(self.teamlead).create(
                {"mode": "assign", "user_id": untrained.id}
            ).action_apply()
        with self.assertRaises(UserError):
            Assign.with_user(self.teamlead).create(
                {"mode": "assign", "user_id": self.collector_b.id}
            ).action_apply()
        Assign.with_user(self.teamlead).create(
            {"mode": "assign", "user_id": north.id}
        ).action_apply()
        self.assertEqual(cases.user_id, north, "a lead's explicit assignment is not balanced")
        Assign.with_user(self.teamlead).create({"mode": "release"}).action_apply()
        self.assertFalse(cases.user_id)
