from odoo import api, fields, models

from ..tools.outreach_api import SmsBrandnameApi, ZaloZnsApi

CHANNELS = [
    ("sms", "SMS"),
    ("zalo", "Zalo ZNS"),
    ("email", "E-mail"),
    ("call", "Call"),
    ("visit", "Field visit"),
    ("letter", "Letter"),
]
MESSAGE_CHANNELS = ("sms", "zalo", "email")


class LoanOutreachProvider(models.Model):
    """Where a message goes once the gate allows it: an SMS brandname gateway, Zalo ZNS,
    Odoo mail, or the sandbox, which only records what would be sent."""

    _name = "loan.outreach.provider"
    _description = "Outreach Provider"
    _order = "channel, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by companies.")
    channel = fields.Selection(
        [c for c in CHANNELS if c[0] in MESSAGE_CHANNELS], required=True, default="sms"
    )
    provider_type = fields.Selection(
        [
            ("sandbox", "Sandbox (record only)"),
            ("sms_http", "SMS brandname over HTTP"),
            ("zalo_zns", "Zalo ZNS"),
            ("mail", "Odoo mail"),
        ],
        "Type",
        required=True,
        default="sandbox",
    )
    url = fields.Char("Endpoint URL", groups="loan_base.group_loan_admin")
    api_token = fields.Char("API Token", groups="base.group_system", copy=False)
    sender = fields.Char("Sender / Brandname", groups="loan_base.group_loan_admin")
    timeout = fields.Float("Timeout (s)", default=10.0, groups="loan_base.group_loan_admin")
    opt_out_text = fields.Char(
        "Opt-out Text",
        translate=True,
        default="Reply STOP to opt out.",
        help="Appended to every SMS and Zalo message.",
    )
    sent_count = fields.Integer(compute="_compute_sent_count")

    _timeout_positive = models.Constraint(
        "CHECK(timeout > 0 AND timeout <= 120)", "The timeout must lie between 0 and 120 seconds."
    )

    def _compute_sent_count(self):
        counts = dict(
            self.env["loan.outreach.attempt"]._read_group(
                [("provider_id", "in", self.ids), ("state", "=", "sent")],
                ["provider_id"],
                ["__count"],
            )
        )
        for provider in self:
            provider.sent_count = counts.get(provider, 0)

    @api.model
    def _for_channel(self, channel, company):
        return self.search(
            [("channel", "=", channel), ("company_id", "in", [company.id, False])], limit=1
        )

    def _api(self):
        """The HTTP client for this provider (sms_http, zalo_zns)."""
        self.ensure_one()
        provider = self.sudo()
        cls = SmsBrandnameApi if provider.provider_type == "sms_http" else ZaloZnsApi
        return cls(
            provider.url, token=provider.api_token, sender=provider.sender, timeout=provider.timeout
        )
