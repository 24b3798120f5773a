import uuid
from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name


@tagged("post_install", "-at_install")
class TestNextCaseConcurrency(BaseCase):
    """Two collectors ask for "next case" at the same moment from two database cursors:
    the second skips the case the first is taking and gets another; never the same one.
    Real cursors need committed data: the test's own cursors commit its queue and cases (each
    ``with`` block commits when it ends) and remove them at the end."""

    def _env(self, cr, uid=SUPERUSER_ID):
        return api.Environment(cr, uid, {"tracking_disable": True})

    def test_two_collectors_never_get_the_same_case(self):
        db = db_connect(get_db_name())
        tag = uuid.uuid4().hex[:8]
        with db.cursor() as cr:  # committed when the block ends
            env = self._env(cr)
            group = env.ref("loan_base.group_loan_collector")
            users = env["res.users"].create(
                [
                    {
                        "name": "Collector %s %s" % (n, tag),
                        "login": "c%s_%s" % (n, tag),
                        "group_ids": [(6, 0, group.ids)],
                    }
                    for n in (1, 2)
                ]
            )
            env["loan.training.attendance"].create(
                [
                    {"course_id": course.id, "user_id": user.id}
                    for course in env["loan.training.course"].search(
                        [("code_of_conduct", "=", True)]
                    )
                    for user in users
                ]
            )
            team = env["loan.team"].create(
                {"name": "Team %s" % tag, "kind": "collection", "member_ids": [(6, 0, users.ids)]}
            )
            queue = env["loan.collection.queue"].create(
                {
                    "name": "Queue %s" % tag,
                    "sequence": 0,
                    "team_id": team.id,
                    "bucket_ids": [
                        (6, 0, env.ref("loan_collection.loan_collection_bucket_1_30").ids)
                    ],
                }
            )
            partners = env["res.partner"].create(
                [{"name": "Debtor %s %s" % (n, tag)} for n in (1, 2)]
            )
            cases = env["loan.collection.case"].create(
                [
                    {
                        "partner_id": p.id,
                        "company_id": env.company.id,
                        "queue_id": queue.id,
                        "dpd": 5,
                        "overdue_amount": 1000 * (n + 1),
                        "priority": 1000 * (n + 1),
                    }
                    for n, p in enumerate(partners)
                ]
            )
            ids = {
                "users": users.ids,
                "team": team.id,
                "queue": queue.id,
                "partners": partners.ids,
                "cases": cases.ids,
            }
        try:
            # both claims are open at once; each block commits when it ends
            with db.cursor() as cr_a, db.cursor() as cr_b:
                first = self._env(cr_a, ids["users"][0])["loan.collection.case"]._next_case()
                # the claim committed on its own, while the first request is still open
                with closing(db.cursor()) as cr:
                    cr.execute(
                        "SELECT held_by_id FROM loan_collection_case WHERE id = %s", [first.id]
                    )
                    self.assertEqual(cr.fetchone()[0], ids["users"][0])
                second = self._env(cr_b, ids["users"][1])["loan.collection.case"]._next_case()
                self.assertTrue(first and second)
                self.assertNotEqual(first.id, second.id)
                self.assertEqual(first.id, ids["cases"][1], "the highest priority first")
            with closing(db.cursor()) as cr:
                env = self._env(cr)
                held = env["loan.collection.case"].browse(ids["cases"]).mapped("held_by_id")
                self.assertEqual(set(held.ids), set(ids["users"]))
        finally:
            with db.cursor() as cr:
                env = self._env(cr)
                env["loan.collection.case"].browse(ids["cases"]).unlink()
                env["loan.collection.queue"].browse(ids["queue"]).unlink()
                env["loan.team"].browse(ids["team"]).unlink()
                env["res.partner"].browse(ids["partners"]).unlink()
                env["loan.training.attendance"].search([("user_id", "in", ids["users"])]).unlink()
                env["res.users"].browse(ids["users"]).write({"active": False})
