from odoo import fields, models
from odoo.exceptions import UserError


class ResUsers(models.Model):
    """A collector's profile for balancing (regions, skills, capacity) and their
    code-of-conduct training."""

    _inherit = "res.users"

    loan_collection_state_ids = fields.Many2many(
        "res.country.state",
        "loan_collector_state_rel",
        "user_id",
        "state_id",
        string="Collection Regions",
        help="Provinces whose borrowers this collector works; none: anywhere.",
    )
    loan_collection_bucket_ids = fields.Many2many(
        "loan.collection.bucket",
        "loan_collector_bucket_rel",
        "user_id",
        "bucket_id",
        string="Skilled for Buckets",
        help="Delinquency buckets this collector is trained to work; none: any.",
    )
    loan_collection_capacity = fields.Integer(
        "Case Capacity", help="Most open cases assigned at once; 0: no limit."
    )

    def _loan_conduct_missing(self):
        """{user: code-of-conduct courses they have not passed within validity}, for the
        users missing any."""
        courses = self.env["loan.training.course"].sudo().search([("code_of_conduct", "=", True)])
        if not courses or not self:
            return {}
        today = fields.Date.context_today(self)
        current = (
            self.env["loan.training.attendance"]
            .sudo()
            ._read_group(
                [
                    ("user_id", "in", self.ids),
                    ("course_id", "in", courses.ids),
                    ("passed", "=", True),
                    ("expiry_date", ">=", today),
                ],
                ["user_id"],
                ["course_id:array_agg"],
            )
        )
        passed = {user: set(course_ids) for user, course_ids in current}
        missing = {}
        for user in self:
            todo = courses.filtered(lambda c, u=user: c.id not in passed.get(u, ()))
            if todo:
                missing[user] = todo
        return missing

    def _loan_check_conduct_training(self):
        """Refuse cases to a collector who has not passed, within its validity, every
        code-of-conduct course there is."""
        for user, courses in self._loan_conduct_missing().items():
            if courses:
                raise UserError(
                    self.env._(
                        "%(user)s has no current code-of-conduct training (%(courses)s): no "
                        "collection case can be given to them.",
                        user=user.name,
                        courses=", ".join(courses.mapped("name")),
                    )
                )
