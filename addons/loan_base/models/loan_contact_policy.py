from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import ValidationError

from ..engine.contact_policy import Policy


class LoanContactPolicy(models.Model):
    """The contact rules of a jurisdiction: hours in the person's time zone, caps across
    channels, minimum gap, and whether people who owe nothing may hear about a debt.

    Shipped as editable presets (Vietnam, China, USA); an admin copies and adapts them."""

    _name = "loan.contact.policy"
    _description = "Contact Policy"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code, e.g. VN, CN, US.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by companies.")
    country_ids = fields.Many2many(
        "res.country", string="Countries", help="Persons living in these countries follow it."
    )
    tz = fields.Selection(
        _tz_get,
        "Default Time Zone",
        required=True,
        default="Asia/Ho_Chi_Minh",
        help="Used for persons without a time zone of their own.",
    )
    window_start = fields.Float("Contact From", required=True, default=7.0)
    window_end = fields.Float("Contact Until", required=True, default=21.0)
    daily_cap = fields.Integer(
        "Contacts per Person per Day", help="All channels together; 0 means no limit."
    )
    number_daily_cap = fields.Integer(
        "Attempts per Number per Day", help="Attempts to one number a day; 0 means no limit."
    )
    rolling_cap = fields.Integer("Contacts per Period", help="0 means no limit.")
    rolling_days = fields.Integer("Period (days)", default=7)
    quiet_after_conversation_days = fields.Integer(
        "Days of Quiet after a Conversation", help="0 means none."
    )
    min_gap_minutes = fields.Integer("Minimum Gap (minutes)", help="0 means none.")
    non_obligor_debt_disclosure = fields.Boolean(
        "Debt May Be Disclosed to Non-obligors",
        help="If unchecked, references, relatives and employers who owe nothing may not be "
        "told about a debt.",
    )
    legal_reference = fields.Char("Legal Basis")
    note = fields.Html(translate=True)

    _window_valid = models.Constraint(
        "CHECK(window_start >= 0 AND window_end <= 24 AND window_start < window_end)",
        "The contact window must lie within the day and start before it ends.",
    )

    @api.constrains(
        "daily_cap", "number_daily_cap", "rolling_cap", "rolling_days", "min_gap_minutes"
    )
    def _check_non_negative(self):
        for policy in self:
            values = (
                policy.daily_cap,
                policy.number_daily_cap,
                policy.rolling_cap,
                policy.rolling_days,
                policy.min_gap_minutes,
                policy.quiet_after_conversation_days,
            )
            if any(v < 0 for v in values):
                raise ValidationError(self.env._("Limits of a contact policy cannot be negative."))
            if policy.rolling_cap and not policy.rolling_days:
                raise ValidationError(self.env._("A contacts-per-period limit needs a period."))

    def _to_engine(self):
        """The engine's immutable Policy for this record."""
        self.ensure_one()
        return Policy(
            code=self.code,
            tz=self.tz,
            window_start=self.window_start,
            window_end=self.window_end,
            daily_cap=self.daily_cap or None,
            number_daily_cap=self.number_daily_cap or None,
            rolling_cap=self.rolling_cap or None,
            rolling_days=self.rolling_days or None,
            min_gap_minutes=self.min_gap_minutes or None,
            quiet_after_conversation_days=self.quiet_after_conversation_days or None,
            non_obligor_debt_disclosure=self.non_obligor_debt_disclosure,
        )

    @api.model
    def _for_partner(self, partner):
        """The policy that governs contacts with ``partner``: the one of their country,
        else their company's default, else the first active one."""
        company = partner.company_id or self.env.company
        domain = [("company_id", "in", [company.id, False])]
        if partner.country_id:
            policy = self.search(domain + [("country_ids", "in", partner.country_id.ids)], limit=1)
            if policy:
                return policy
        return company.loan_contact_policy_id or self.search(domain, limit=1)
