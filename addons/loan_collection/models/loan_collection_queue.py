from odoo import fields, models


class LoanCollectionQueue(models.Model):
    """Where cases wait for collectors: a collection team works the cases of some buckets.
    A case goes to the first queue (by sequence) of its company that takes its bucket."""

    _name = "loan.collection.queue"
    _description = "Collection Queue"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "loan.team",
        required=True,
        domain="[('kind', '=', 'collection')]",
        check_company=True,
        help="Its members work the queue; its lead assigns and balances it.",
    )
    bucket_ids = fields.Many2many("loan.collection.bucket", string="Buckets")
    case_count = fields.Integer(compute="_compute_case_count")

    def _compute_case_count(self):
        counts = dict(
            self.env["loan.collection.case"]._read_group(
                [("queue_id", "in", self.ids), ("state", "not in", ("resolved", "closed"))],
                ["queue_id"],
                ["__count"],
            )
        )
        for queue in self:
            queue.case_count = counts.get(queue, 0)
