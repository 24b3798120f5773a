from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanPiiRevealLog(models.Model):
    """Who revealed which plain personal value, when and why. Append-only."""

    _name = "loan.pii.reveal.log"
    _description = "Personal Data Reveal Log"
    _order = "create_date desc, id desc"
    _log_access = True

    user_id = fields.Many2one("res.users", "Revealed By", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", "Person", readonly=True, index=True)
    res_model = fields.Char("Model", required=True, readonly=True)
    res_id = fields.Integer("Record", required=True, readonly=True)
    field_name = fields.Char("Field", required=True, readonly=True)
    field_label = fields.Char("Value", compute="_compute_field_label")
    reason = fields.Text(required=True, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    @api.depends("res_model", "field_name")
    def _compute_field_label(self):
        for log in self:
            model = self.env.get(log.res_model)
            field = model._fields.get(log.field_name) if model is not None else None
            log.field_label = field.get_description(self.env)["string"] if field else log.field_name

    def write(self, vals):
        if not self.env.context.get("loan_pii_reveal_log_migration"):
            raise UserError(self.env._("The reveal log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The reveal log cannot be deleted."))
