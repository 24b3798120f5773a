from odoo.addons.loan_origination.tests.common import LoanOriginationCommon
from odoo.tests import new_test_user


class CollectionCommon(LoanOriginationCommon):
    """Two collection teams with trained collectors: an early queue (1-30 days past due)
    and a late one (31-90), and helpers to run the end of day and find a case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the fraud rules are the demo's choice; tests turn them on where they test them
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("loan.fraud_fpd_days", "0")
        params.set_param("loan.fraud_flag_signals", "")
        cls.collector_b = new_test_user(cls.env, "t_collector_b", "loan_base.group_loan_collector")
        Team = cls.env["loan.team"]
        cls.team_a = Team.create(
            {"name": "Early", "kind": "collection", "member_ids": [(6, 0, cls.collector.ids)]}
        )
        cls.team_b = Team.create(
            {"name": "Late", "kind": "collection", "member_ids": [(6, 0, cls.collector_b.ids)]}
        )
        # the collectors' code-of-conduct training is current (demo data has a course)
        cls.env["loan.training.attendance"].create(
            [
                {"course_id": course.id, "user_id": user.id}
                for course in cls.env["loan.training.course"].search(
                    [("code_of_conduct", "=", True)]
                )
                for user in cls.collector | cls.collector_b
            ]
        )
        ref = cls.env.ref
        Queue = cls.env["loan.collection.queue"]
        # this test's queues come first, ahead of any demo queue
        cls.early = Queue.create(
            {
                "name": "Early",
                "sequence": 1,
                "team_id": cls.team_a.id,
                "bucket_ids": [(6, 0, ref("loan_collection.loan_collection_bucket_1_30").ids)],
            }
        )
        cls.late = Queue.create(
            {
                "name": "Late",
                "sequence": 2,
                "team_id": cls.team_b.id,
                "bucket_ids": [
                    (
                        6,
                        0,
                        (
                            ref("loan_collection.loan_collection_bucket_31_60")
                            | ref("loan_collection.loan_collection_bucket_61_90")
                        ).ids,
                    )
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create({"business_date": "2026-11-19", "state": "done"})

    def _run_to(self, day):
        self.env["loan.eod.run"].with_user(self.accountant).with_context(
            queue_job__no_delay=True
        ).run_to(day)

    def _next_case_as(self, user):
        """ "Next case" as ``user``, on the production path: the claim runs in a cursor of
        its own, here one the registry's test mode opens on the test's transaction."""
        with self.enter_registry_test_mode():
            return self.env["loan.collection.case"].with_user(user)._next_case()

    def _case(self, contract):
        return self.env["loan.collection.case"].search(
            [("partner_id", "=", contract.partner_id.id)], order="id desc", limit=1
        )


class CollectionWorkCommon(CollectionCommon):
    """The collectors' working day: the early team led by the team lead, both teams'
    collectors trained in the code of conduct, the demo strategies off, and a helper
    opening cases directly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_a.leader_id = cls.teamlead
        # demo strategies would send their own messages: these tests bring theirs
        cls.env["loan.collection.strategy"].search([]).active = False
        # a code-of-conduct course, with or without demo data
        cls.conduct = cls.env["loan.training.course"].create(
            {"name": "Debt collection code of conduct", "code_of_conduct": True}
        )
        cls.conduct_courses = cls.env["loan.training.course"].search(
            [("code_of_conduct", "=", True)]
        )
        cls._train(cls.collector | cls.collector_b)

    @classmethod
    def _train(cls, users, day="2026-11-02"):
        cls.env["loan.training.attendance"].create(
            [
                {"course_id": course.id, "user_id": user.id, "date": day}
                for course in cls.conduct_courses
                for user in users
            ]
        )

    def _cases(self, partners, **vals):
        return (
            self.env["loan.collection.case"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": self.company.id,
                        "queue_id": self.early.id,
                        "bucket_id": self.env.ref("loan_collection.loan_collection_bucket_1_30").id,
                        "dpd": 10,
                        "overdue_amount": 1_000_000,
                        "priority": 100.0 * (len(partners) - n),
                        **vals,
                    }
                    for n, partner in enumerate(partners)
                ]
            )
        )
