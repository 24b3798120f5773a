from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.loan_base.engine import scorecard as engine
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import UserError, ValidationError

VARIABLES = [
    ("age", "Age (years)"),
    ("monthly_income", "Monthly income"),
    ("dti", "Debt-to-income (%)"),
    ("years_at_address", "Years at address"),
    ("employment_type", "Employment"),
    ("marital_status", "Marital status"),
    ("residence_type", "Residence"),
    ("dependants", "Dependants"),
    ("amount", "Requested amount"),
    ("term", "Term (instalments)"),
]
CATEGORICAL = ("employment_type", "marital_status", "residence_type")


class LoanScorecard(models.Model):
    """An application scorecard an administrator builds: attributes with bins and points,
    and grade bands with a recommendation. The engine evaluates it."""

    _name = "loan.scorecard"
    _description = "Scorecard"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by companies.")
    base_points = fields.Integer()
    attribute_ids = fields.One2many(
        "loan.scorecard.attribute", "scorecard_id", "Attributes", copy=True
    )
    grade_ids = fields.One2many("loan.scorecard.grade", "scorecard_id", "Grades", copy=True)
    score_range = fields.Char(compute="_compute_score_range")

    @api.depends("attribute_ids.bin_ids.points", "attribute_ids.weight", "grade_ids", "base_points")
    def _compute_score_range(self):
        for card in self:
            try:
                built = card._to_engine()
                card.score_range = "%s - %s" % (engine.min_score(built), engine.max_score(built))
            except UserError:
                card.score_range = False

    @api.constrains("attribute_ids", "grade_ids", "base_points")
    def _check_engine(self):
        for card in self.filtered(lambda c: c.attribute_ids and c.grade_ids):
            try:
                card._to_engine()
            except UserError as exc:
                raise ValidationError(exc.args[0]) from exc

    def _to_engine(self):
        """The engine's Scorecard for this record (UserError, translated, if malformed)."""
        self.ensure_one()
        try:
            attributes = tuple(
                engine.Attribute(
                    code=attr.variable,
                    label=attr.name,
                    bins=tuple(b._to_engine() for b in attr.bin_ids),
                    missing_points=attr.missing_points,
                    weight=attr.weight,
                )
                for attr in self.attribute_ids
            )
            grades = tuple(
                engine.Grade(min_score=g.min_score, grade=g.name, recommendation=g.recommendation)
                for g in self.grade_ids
            )
            return engine.Scorecard(
                attributes=attributes, grades=grades, base_points=self.base_points
            )
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc

    def evaluate(self, values):
        """Score ``values`` (a dict variable -> value) with this scorecard."""
        self.ensure_one()
        try:
            return engine.evaluate(self._to_engine(), values)
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc

    @api.model
    def _application_values(self, application):
        """The scorecard variables of an application and its borrower."""
        partner = application.partner_id.sudo()
        today = fields.Date.context_today(self)
        income = application.stated_income or partner.loan_monthly_income
        return {
            "age": relativedelta(today, partner.loan_birth_date).years
            if partner.loan_birth_date
            else None,
            "monthly_income": income or None,
            "dti": application.dti if income else None,
            "years_at_address": partner.loan_years_at_address
            if partner.loan_residence_since
            else None,
            "employment_type": partner.loan_employment_type or None,
            "marital_status": partner.loan_marital_status or None,
            "residence_type": partner.loan_residence_type or None,
            "dependants": partner.loan_dependants,
            "amount": application.amount,
            "term": application.term,
        }


class LoanScorecardAttribute(models.Model):
    _name = "loan.scorecard.attribute"
    _description = "Scorecard Attribute"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one("loan.scorecard", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    variable = fields.Selection(VARIABLES, required=True)
    name = fields.Char("Label", required=True, translate=True)
    weight = fields.Integer(default=1)
    missing_points = fields.Integer(help="Points when the value is unknown or matches no bin.")
    bin_ids = fields.One2many("loan.scorecard.bin", "attribute_id", "Bins", copy=True)

    _variable_unique = models.Constraint(
        "UNIQUE(scorecard_id, variable)", "A variable appears once per scorecard."
    )


class LoanScorecardBin(models.Model):
    _name = "loan.scorecard.bin"
    _description = "Scorecard Bin"
    _order = "attribute_id, sequence, id"

    attribute_id = fields.Many2one(
        "loan.scorecard.attribute", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    min_value = fields.Float("From", digits=(16, 4), help="Included.")
    no_min = fields.Boolean("No Lower Bound")
    max_value = fields.Float("Below", digits=(16, 4), help="Excluded.")
    no_max = fields.Boolean("No Upper Bound")
    category = fields.Char(help="For employment, marital status or residence: the value code.")
    points = fields.Integer(required=True)

    def _to_engine(self):
        self.ensure_one()
        if self.attribute_id.variable in CATEGORICAL:
            return engine.Bin(points=self.points, value=self.category or "")
        return engine.Bin(
            points=self.points,
            low=None if self.no_min else to_decimal(self.min_value, 4),
            high=None if self.no_max else to_decimal(self.max_value, 4),
        )


class LoanScorecardGrade(models.Model):
    _name = "loan.scorecard.grade"
    _description = "Scorecard Grade"
    _order = "scorecard_id, min_score desc"

    scorecard_id = fields.Many2one("loan.scorecard", required=True, index=True, ondelete="cascade")
    name = fields.Char("Grade", required=True)
    min_score = fields.Integer("From Score", required=True)
    recommendation = fields.Selection(
        [("approve", "Approve"), ("refer", "Refer"), ("decline", "Decline")], required=True
    )
