from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.exceptions import EngineError
from ..engine.phone import mask_phone, normalise_phone
from ..tools.engine_messages import engine_message
from .loan_pii_mixin import pii_columns, pii_field


class LoanPartnerPhone(models.Model):
    """One phone number of a person, encrypted, with its own refusals.

    Numbers are normalised to E.164 (phonenumbers) before encryption, so that the blind
    index finds the same number however it was typed."""

    _name = "loan.partner.phone"
    _inherit = ["loan.pii.mixin"]
    _description = "Borrower Phone"
    _order = "partner_id, is_primary desc, sequence, id"
    _rec_name = "number_mask"

    _loan_pii_fields = {"number": "phone"}

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    phone_type = fields.Selection(
        [("mobile", "Mobile"), ("home", "Home"), ("work", "Work"), ("other", "Other")],
        "Type",
        required=True,
        default="mobile",
    )
    country_id = fields.Many2one(
        "res.country",
        help="Country used to read a number typed without its international prefix.",
    )
    number = pii_field(None, "_search_number", required=True)
    number_enc, number_bidx, number_mask = pii_columns("Number (masked)")
    is_primary = fields.Boolean("Primary")
    do_not_call = fields.Boolean(help="Never call this number.")
    refuse_sms = fields.Boolean("Refuses SMS")
    refuse_call = fields.Boolean("Refuses Calls")
    refuse_zalo = fields.Boolean("Refuses Zalo")
    is_valid = fields.Boolean("Reachable", default=True, help="Cleared when the number is wrong.")
    note = fields.Char()

    @api.depends("number_mask")
    def _compute_loan_pii(self):
        return super()._compute_loan_pii()

    def _search_number(self, operator, value):
        return self._loan_pii_search("number", operator, value)

    def _loan_pii_region(self):
        country = self.country_id or self.partner_id.country_id or self.env.company.country_id
        return country.code or "VN"

    def _loan_pii_normalise(self, fname, value):
        region = self._loan_pii_region() if self else self.env.company.country_id.code or "VN"
        try:
            e164 = normalise_phone(value, region)
        except EngineError as exc:
            raise ValidationError(engine_message(self.env, exc.code, exc.params)) from exc
        return e164, mask_phone(e164)

    def _loan_pii_log_partner(self):
        return self.partner_id

    def refused_channels(self):
        """Channels this number may not be used for."""
        self.ensure_one()
        refused = set()
        if self.refuse_sms:
            refused.add("sms")
        if self.refuse_call or self.do_not_call:
            refused.add("call")
        if self.refuse_zalo:
            refused.add("zalo")
        return refused
