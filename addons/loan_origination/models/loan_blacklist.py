from odoo import api, fields, models
from odoo.addons.loan_base.engine import identity
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.phone import mask_phone, normalise_phone
from odoo.addons.loan_base.models.loan_pii_mixin import pii_columns, pii_field
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import ValidationError


class LoanBlacklistEntry(models.Model):
    """An identity or phone number known for fraud; stored like any personal number:
    encrypted, matched through the blind index, displayed masked."""

    _name = "loan.blacklist.entry"
    _inherit = ["loan.pii.mixin"]
    _description = "Blacklist Entry"
    _order = "id desc"

    _loan_pii_fields = {"value": "identity"}

    kind = fields.Selection([("identity", "ID number"), ("phone", "Phone")], required=True)
    value = pii_field("Number", "_search_value", required=True)
    value_enc, value_bidx, value_mask = pii_columns("Number (masked)")
    reason = fields.Text(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("value_mask")
    def _compute_loan_pii(self):
        return super()._compute_loan_pii()

    def _search_value(self, operator, value):
        return self._loan_pii_search("value", operator, value)

    def _loan_pii_normalise(self, fname, value):
        kind = self.kind if self else self.env.context.get("loan_blacklist_kind", "identity")
        try:
            if kind == "phone":
                e164 = normalise_phone(value, self.env.company.country_id.code or "VN")
                return e164, mask_phone(e164)
        except EngineError as exc:
            raise ValidationError(engine_message(self.env, exc.code, exc.params)) from exc
        return self._loan_pii_identity(value, identity.OTHER, validate=False)

    def _loan_pii_purpose(self, fname):
        # a phone entry is indexed as the borrowers' phones are, an identity entry as
        # their ID numbers (one canonical form for every document type): matching compares
        # blind indexes and decrypts nothing
        kind = self.kind if self else self.env.context.get("loan_blacklist_kind", "identity")
        return "phone" if kind == "phone" else super()._loan_pii_purpose(fname)

    def _matches(self, partner):
        """Entries matching ``partner``'s ID number or one of its phones, by blind index."""
        partner = partner.sudo()
        indexes = [partner.loan_id_number_bidx, *partner.loan_phone_ids.mapped("number_bidx")]
        indexes = [index for index in indexes if index]
        if not indexes:
            return self.browse()
        return self.sudo().search([("value_bidx", "in", indexes)])

    @api.model
    def _fraud_signals(self, partner):
        """Reasons to doubt an applicant, ``partner``: the same ID or phone on another
        person, a blacklist match, an employer phone shared by many applicants."""
        partner = partner.sudo()
        signals = []
        Partner = self.env["res.partner"].sudo()
        if partner.loan_id_number_bidx:
            same_id = Partner.search(
                [
                    ("loan_id_number_bidx", "=", partner.loan_id_number_bidx),
                    ("id", "!=", partner.id),
                ]
            )
            if same_id:
                signals.append(
                    self.env._("The same ID number is on %s other person(s).", len(same_id))
                )
        bidxs = [b for b in partner.loan_phone_ids.mapped("number_bidx") if b]
        if bidxs:
            shared = (
                self.env["loan.partner.phone"]
                .sudo()
                .search([("number_bidx", "in", bidxs), ("partner_id", "!=", partner.id)])
            )
            others = shared.partner_id.filtered(lambda p: p.name != partner.name)
            if others:
                signals.append(
                    self.env._(
                        "A phone of the applicant belongs to %s other person(s).", len(others)
                    )
                )
        if self._matches(partner):
            signals.append(self.env._("The ID number or a phone is on the blacklist."))
        if partner.loan_employer_phone:
            count = Partner.search_count(
                [
                    ("loan_employer_phone", "=", partner.loan_employer_phone),
                    ("id", "!=", partner.id),
                ]
            )
            if count >= 4:
                signals.append(
                    self.env._("The employer phone is shared by %s other applicants.", count)
                )
        return signals
