import random

from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanQaScorecard(models.Model):
    """The criteria a call is reviewed against (greeting, identification, disclosure, no
    threats or insults, correct information...), each with its weight."""

    _name = "loan.qa.scorecard"
    _description = "Call QA Scorecard"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    criterion_ids = fields.One2many("loan.qa.criterion", "scorecard_id", "Criteria", copy=True)
    pass_score = fields.Float("Pass Mark (%)", default=80.0)


class LoanQaCriterion(models.Model):
    _name = "loan.qa.criterion"
    _description = "Call QA Criterion"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one("loan.qa.scorecard", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    weight = fields.Float(default=1.0, required=True)
    critical = fields.Boolean(help="Failing it fails the whole review (e.g. threats or insults).")


class LoanQaViolationType(models.Model):
    _name = "loan.qa.violation.type"
    _description = "Code-of-Conduct Violation Type"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    severity = fields.Selection(
        [("minor", "Minor"), ("major", "Major"), ("critical", "Critical")],
        required=True,
        default="minor",
    )


class LoanQaReview(models.Model):
    """A quality review of one collector's contact, sampled per collector: the scorecard's
    criteria passed or failed, violations of the code of conduct and coaching notes."""

    _name = "loan.qa.review"
    _description = "Call QA Review"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    activity_id = fields.Many2one("loan.collection.activity", "Contact", required=True, index=True)
    collector_id = fields.Many2one(related="activity_id.user_id", store=True, index=True)
    case_id = fields.Many2one(related="activity_id.case_id", store=True)
    scorecard_id = fields.Many2one("loan.qa.scorecard", required=True)
    reviewer_id = fields.Many2one("res.users", readonly=True)
    line_ids = fields.One2many("loan.qa.review.line", "review_id", "Criteria")
    violation_type_ids = fields.Many2many("loan.qa.violation.type", string="Violations")
    coaching_note = fields.Text()
    score = fields.Float("Score (%)", compute="_compute_score", store=True)
    passed = fields.Boolean(compute="_compute_score", store=True)
    state = fields.Selection(
        [("to_review", "To Review"), ("done", "Reviewed")],
        required=True,
        default="to_review",
        tracking=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        for review in reviews.filtered(lambda r: not r.line_ids):
            review.line_ids = [
                fields.Command.create({"criterion_id": c.id, "passed": True})
                for c in review.scorecard_id.criterion_ids
            ]
        return reviews

    @api.depends("line_ids.passed", "line_ids.criterion_id.weight", "violation_type_ids")
    def _compute_score(self):
        for review in self:
            total = sum(review.line_ids.criterion_id.mapped("weight"))
            got = sum(review.line_ids.filtered("passed").criterion_id.mapped("weight"))
            review.score = 100.0 * got / total if total else 0.0
            critical = review.line_ids.filtered(
                lambda line: line.criterion_id.critical and not line.passed
            ) or review.violation_type_ids.filtered(lambda v: v.severity == "critical")
            review.passed = not critical and review.score >= review.scorecard_id.pass_score

    def action_done(self):
        for review in self:
            if review.collector_id == self.env.user:
                raise UserError(self.env._("Nobody reviews their own calls."))
            review.write({"state": "done", "reviewer_id": self.env.uid})
        return True

    @api.model
    def _sample(self, scorecard, date_from, date_to, per_collector=3, seed=None):
        """Pick up to ``per_collector`` contacts made by each collector in the period,
        at random, and open a review for each."""
        Activity = self.env["loan.collection.activity"].sudo()
        done = Activity.search(
            [
                ("state", "=", "done"),
                ("channel", "in", ("call", "visit")),
                ("create_date", ">=", date_from),
                ("create_date", "<=", date_to),
            ]
        )
        reviewed = self.sudo().search([("activity_id", "in", done.ids)]).activity_id
        draw = random.Random(seed)
        picks = self.env["loan.collection.activity"]
        for _user, activities in (done - reviewed).grouped("user_id").items():
            picks |= activities.browse(
                draw.sample(activities.ids, min(per_collector, len(activities)))
            )
        return self.create([{"activity_id": a.id, "scorecard_id": scorecard.id} for a in picks])


class LoanQaReviewLine(models.Model):
    _name = "loan.qa.review.line"
    _description = "Call QA Review Line"
    _order = "review_id, id"

    review_id = fields.Many2one("loan.qa.review", required=True, ondelete="cascade", index=True)
    criterion_id = fields.Many2one("loan.qa.criterion", required=True)
    critical = fields.Boolean(related="criterion_id.critical")
    passed = fields.Boolean(default=True)
    note = fields.Char()
