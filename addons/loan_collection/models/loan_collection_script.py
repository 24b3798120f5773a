from markupsafe import Markup, escape

from odoo import api, fields, models

SITUATIONS = [
    ("first_reminder", "First reminder"),
    ("broken_promise", "Broken promise"),
    ("hardship", "Hardship"),
    ("reference_contact", "Reference contact"),
    ("disputed_debt", "Disputed debt"),
]


class LoanCollectionScript(models.Model):
    """What a collector says in a situation, with what must and must not be said."""

    _name = "loan.collection.script"
    _description = "Collection Script"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    situation = fields.Selection(SITUATIONS, required=True)
    body = fields.Html("Script", translate=True)
    must_say = fields.Text(translate=True)
    must_not_say = fields.Text(translate=True)


class LoanCollectionActivity(models.Model):
    _inherit = "loan.collection.activity"

    situation = fields.Selection(
        SITUATIONS, compute="_compute_situation", store=True, readonly=False
    )
    script_id = fields.Many2one("loan.collection.script", compute="_compute_script", store=True)
    script_body = fields.Html(
        "Script Text",
        compute="_compute_script_body",
        sanitize=False,
        help="The script with its placeholders filled in: [greeting] (for the time of day "
        "where the person is), [name], [company], [borrower], [amount].",
    )
    script_must_say = fields.Text(related="script_id.must_say")
    script_must_not_say = fields.Text(related="script_id.must_not_say")

    @api.depends("case_id.state", "related_person_id")
    def _compute_situation(self):
        by_state = {"broken_promise": "broken_promise", "hardship": "hardship"}
        for activity in self:
            if activity.related_person_id and not activity.related_person_id.is_obligor:
                activity.situation = "reference_contact"
                continue
            activity.situation = by_state.get(activity.case_id.state, "first_reminder")

    @api.depends("script_id", "contact_partner_id", "case_id", "user_id")
    def _compute_script_body(self):
        for activity in self:
            body = activity.script_id.body
            if not body:
                activity.script_body = False
                continue
            # the collector reads the case's borrower through the case
            # (the saved records: in the dialog, the form's copies may not hold their fields)
            case = activity.case_id._origin.sudo()
            person = activity.sudo().contact_partner_id._origin or case.partner_id
            values = {
                "[greeting]": self._greeting(person),
                "[name]": (activity.user_id or self.env.user).name or "",
                "[company]": (case.company_id or self.env.company).name or "",
                "[borrower]": case.partner_id.name or "",
                "[amount]": case.currency_id.format(case.overdue_amount)
                if case.currency_id
                else "",
            }
            text = str(body)
            for placeholder, value in values.items():
                text = text.replace(placeholder, str(escape(value)))
            activity.script_body = Markup(text)  # the values are escaped above

    @api.depends("situation", "case_id.script_id")
    def _compute_script(self):
        """The script of the situation; for a first reminder, the one the strategy's step
        chose if any."""
        Script = self.env["loan.collection.script"]
        for activity in self:
            if activity.situation == "first_reminder" and activity.case_id.script_id:
                activity.script_id = activity.case_id.script_id
                continue
            activity.script_id = Script.search([("situation", "=", activity.situation)], limit=1)
