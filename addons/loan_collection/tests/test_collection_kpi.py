from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestCollectionKpi(CollectionWorkCommon):
    """Team KPIs per collector, team and bucket against targets."""

    def test_kpis_per_collector_team_and_bucket_against_targets(self):
        contract = self._active_contract()
        self._run_to("2026-12-25")
        case = self._case(contract)
        case.sudo().user_id = self.collector
        outcomes = ("promise", "no_answer", "refused", "third_party")
        calls = (
            self.env["loan.collection.activity"]
            .sudo()
            .create(
                [
                    {
                        "case_id": case.id,
                        "channel": "call",
                        "user_id": self.collector.id,
                        "outcome": outcome,
                        "state": "done",
                    }
                    for outcome in outcomes
                ]
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loan_collection_activity SET create_date = %s WHERE id = ANY(%s)",
            ["2026-12-26 03:00", calls.ids],
        )
        self.env["loan.promise"].sudo().create(
            {
                "case_id": case.id,
                "user_id": self.collector.id,
                "amount": 500_000,
                "date_from": "2026-12-26",
                "date": "2027-01-05",
            }
        )
        self._pay(contract, 500_000, "2026-12-30")
        self._run_to("2027-01-15")
        Target = self.env["loan.collection.kpi.target"]
        Target.search([]).unlink()  # demo targets
        with self.assertRaises(AccessError):
            Target.with_user(self.teamlead).create({"kpi": "contact_rate", "target": 80})
        Target.create(
            [
                {"kpi": "contact_rate", "target": 80},
                {"kpi": "rpc_rate", "target": 40, "team_id": self.team_a.id},
                {"kpi": "rpc_rate", "target": 90},
                {"kpi": "roll_rate", "target": 10},
            ]
        )
        Report = self.env["loan.collection.kpi.report"]
        with self.assertRaises(AccessError):
            Report.with_user(self.collector).create({"date_from": "2026-12-01"})

        def kpis(dimension, date_from, date_to, user=self.teamlead):
            report = Report.with_user(user).create(
                {"date_from": date_from, "date_to": date_to, "dimension": dimension}
            )
            report.action_compute()
            return {(line.name, line.kpi): line for line in report.line_ids}

        by_user = kpis("user", "2026-12-01", "2027-01-15")
        name = self.collector.name
        expected = {
            "contact_rate": 75.0,  # 3 of 4 calls reached someone
            "rpc_rate": 50.0,  # 2 of 4 reached the borrower
            "promise_rate": 50.0,  # 1 promise in 2 right-party contacts
            "kept_rate": 100.0,
            "collected": 500_000.0,
            "cure_rate": 0.0,
            "first_contact_sla": 0.0,  # opened on 21 December, first called on the 26th
        }
        for kpi, value in expected.items():
            line = by_user[name, kpi]
            self.assertAlmostEqual(line.amount if line.is_amount else line.value, value, msg=kpi)
        # the amount collected is money in the company's currency, not a rate
        collected = by_user[name, "collected"]
        self.assertTrue(collected.is_amount)
        self.assertEqual(collected.value, 0.0)
        self.assertEqual(collected.currency_id, self.env.company.currency_id)
        self.assertEqual(collected._fields["amount"].type, "monetary")
        self.assertFalse(by_user[name, "contact_rate"].is_amount)
        self.assertNotIn((name, "roll_rate"), by_user, "nothing was late on 1 December")
        line = by_user[name, "contact_rate"]
        self.assertEqual((line.target, line.has_target, line.met), (80.0, True, False))
        self.assertTrue(by_user[name, "rpc_rate"].has_target)
        self.assertFalse(by_user[name, "rpc_rate"].met, "the general 90% target applies")
        by_team = kpis("team", "2026-12-01", "2027-01-15")
        line = by_team[self.team_a.display_name, "rpc_rate"]
        self.assertEqual((line.value, line.target, line.met), (50.0, 40.0, True))
        # a lead sees the teams they are in, compliance all of them
        self.team_b.member_ids = [(4, self.compliance.id)]
        case_b = self._cases(self.env["res.partner"].create([{"name": "Debtor B"}]))
        case_b.sudo().write({"queue_id": self.late.id, "opened_on": "2026-12-10"})
        by_team = kpis("team", "2026-12-01", "2027-01-15")
        self.assertNotIn(self.team_b.display_name, {n for n, _k in by_team})
        by_team_all = kpis("team", "2026-12-01", "2027-01-15", user=self.compliance)
        self.assertIn((self.team_b.display_name, "cure_rate"), by_team_all)
        # roll rate: late on 25 December, a bucket worse by 21 January
        self._run_to("2027-01-21")
        by_user = kpis("user", "2026-12-25", "2027-01-21", user=self.compliance)
        line = by_user[name, "roll_rate"]
        self.assertEqual((line.value, line.target, line.met), (100.0, 10.0, False))
        by_bucket = kpis("bucket", "2026-12-25", "2027-01-21", user=self.compliance)
        early = self.env.ref("loan_collection.loan_collection_bucket_1_30").display_name
        line = by_bucket[early, "roll_rate"]  # with demo data, other loans roll or not
        self.assertTrue(0 < line.value <= 100 and not line.met)
