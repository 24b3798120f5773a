from odoo import api, fields, models
from odoo.exceptions import UserError

CONSENT_PURPOSES = [
    ("data_processing", "Processing of personal data"),
    ("credit_check", "Credit bureau check"),
    ("marketing", "Marketing messages"),
    ("third_party_sharing", "Sharing with partners"),
    ("sensitive_data", "Sensitive data (ID images, credit information)"),
]
CONSENT_CHANNELS = [
    ("paper", "Signed paper form"),
    ("web", "Web form"),
    ("app", "Mobile app"),
    ("phone", "Recorded call"),
    ("sms", "SMS"),
    ("email", "E-mail"),
    ("zalo", "Zalo"),
]


class LoanConsent(models.Model):
    """What a person agreed to, which text version, when and through which channel.

    Silence is not consent: a purpose without an active record is not consented to. A
    withdrawal is recorded, never deleted, and holds from its timestamp on."""

    _name = "loan.consent"
    _description = "Consent"
    _inherit = ["mail.thread"]
    _order = "given_at desc, id desc"

    partner_id = fields.Many2one("res.partner", "Person", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    purpose = fields.Selection(CONSENT_PURPOSES, required=True, tracking=True)
    text_version = fields.Char(
        required=True, help="Version of the consent text the person agreed to."
    )
    channel = fields.Selection(CONSENT_CHANNELS, required=True, default="paper")
    given_at = fields.Datetime("Given On", required=True, default=fields.Datetime.now)
    withdrawn_at = fields.Datetime("Withdrawn On", readonly=True, tracking=True)
    withdrawal_channel = fields.Selection(CONSENT_CHANNELS, readonly=True)
    state = fields.Selection(
        [("active", "Active"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        store=True,
    )
    recorded_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)

    @api.depends("withdrawn_at")
    def _compute_state(self):
        for consent in self:
            consent.state = "withdrawn" if consent.withdrawn_at else "active"

    def _compute_display_name(self):
        labels = dict(self._fields["purpose"]._description_selection(self.env))
        for consent in self:
            consent.display_name = "%s (%s)" % (labels.get(consent.purpose), consent.text_version)

    def write(self, vals):
        frozen = {"partner_id", "purpose", "text_version", "channel", "given_at"}
        if frozen & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "A consent record is evidence and cannot be changed; record a withdrawal "
                    "and a new consent instead."
                )
            )
        return super().write(vals)

    def action_withdraw(self, channel="phone"):
        """Record the withdrawal now; it holds for every later contact. Only on consents
        the user sees (their portfolio's borrowers and their related persons)."""
        self.check_access("read")
        for consent in self.filtered(lambda c: c.state == "active"):
            consent.sudo().write(
                {"withdrawn_at": fields.Datetime.now(), "withdrawal_channel": channel}
            )
            consent.message_post(body=self.env._("Consent withdrawn."))
        return True

    @api.model
    def _has_consent(self, partner, purpose, at=None):
        """Whether ``partner`` has an active consent for ``purpose`` at ``at`` (now)."""
        at = at or fields.Datetime.now()
        return bool(
            self.sudo().search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("purpose", "=", purpose),
                    ("given_at", "<=", at),
                    "|",
                    ("withdrawn_at", "=", False),
                    ("withdrawn_at", ">", at),
                ],
                limit=1,
            )
        )
