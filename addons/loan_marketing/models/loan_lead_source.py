import hashlib
import hmac
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

from .loan_lead_intake import FETCH_BATCH

ADMIN = "base.group_system"
KINDS = [
    ("landing", "Landing page"),
    ("facebook", "Facebook Lead Ads"),
    ("zalo", "Zalo Official Account"),
    ("import", "Import (events, agents)"),
    ("api", "Partner API"),
]
# what a captured value may become on the lead
TARGETS = [
    ("name", "Full name"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("province", "Province"),
    ("product", "Product code"),
    ("amount", "Amount"),
    ("term", "Term"),
    ("income", "Monthly income"),
    ("consent_marketing", "Consent: marketing"),
    ("consent_data", "Consent: data processing"),
    ("note", "Note"),
]


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class LoanLeadSource(models.Model):
    """One way leads come in: the landing page, a Facebook page's lead forms, a Zalo
    Official Account, imports from an event or an agent, a partner's API. It sets the
    campaign, channel, medium and source of what it brings, the consent text version shown
    to people, and holds the credentials its webhook or API checks (administrators only;
    an API key is stored hashed and shown once)."""

    _name = "loan.lead.source"
    _description = "Lead Source"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="In the webhook address: /loan/webhook/<kind>/<code>.", copy=False
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(KINDS, required=True, default="landing")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    campaign_id = fields.Many2one("utm.campaign", index=True)
    channel_id = fields.Many2one("loan.marketing.channel", required=True)
    medium_id = fields.Many2one("utm.medium")
    utm_source_id = fields.Many2one("utm.source", "UTM Source")
    product_id = fields.Many2one("loan.product", "Default Product")
    consent_text_version = fields.Char(
        required=True,
        default="2027.1",
        help="Version of the consent text people agree to through this source.",
    )
    consent_text = fields.Html(
        translate=True, help="The consent text shown on the landing form, in full."
    )
    field_ids = fields.One2many("loan.lead.source.field", "source_id", "Field Map", copy=True)
    # credentials: administrators only
    fb_app_secret = fields.Char("Facebook App Secret", groups=ADMIN, copy=False)
    fb_verify_token = fields.Char("Facebook Verify Token", groups=ADMIN, copy=False)
    fb_page_token = fields.Char("Facebook Page Token", groups=ADMIN, copy=False)
    zalo_app_id = fields.Char("Zalo App ID", groups=ADMIN, copy=False)
    zalo_secret = fields.Char("Zalo OA Secret Key", groups=ADMIN, copy=False)
    api_key_hash = fields.Char(groups=ADMIN, copy=False)
    api_key_hint = fields.Char("API Key", readonly=True, copy=False)
    replay_window = fields.Integer(
        "Replay Window (s)",
        default=300,
        help="A webhook call whose timestamp is older than this is refused as a replay.",
    )
    lead_count = fields.Integer(compute="_compute_lead_count")

    _code_uniq = models.Constraint("UNIQUE(code)", "A source code must be unique.")

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]
            .sudo()
            ._read_group([("loan_source_id", "in", self.ids)], ["loan_source_id"], ["__count"])
        )
        for source in self:
            source.lead_count = counts.get(source, 0)

    def action_generate_api_key(self):
        """A new key for the partner's API, shown once: only its hash is stored."""
        self.ensure_one()
        if not self.env.user.has_group(ADMIN):
            raise UserError(self.env._("Only an administrator manages API keys."))
        key = "lls_%s_%s" % (self.code, secrets.token_urlsafe(24))
        self.sudo().write({"api_key_hash": hash_key(key), "api_key_hint": key[:8] + "…"})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._(
                    "Copy the key now: it is not stored and cannot be shown again."
                ),
                "message": key,
            },
        }

    @api.model
    def _for_api_key(self, key):
        """The active API source whose hashed key matches ``key``, or an empty recordset."""
        if not key or not key.startswith("lls_"):
            return self.browse()
        code = key[4:].rsplit("_", 1)[0]
        source = self.sudo().search([("code", "=", code), ("kind", "=", "api")], limit=1)
        if (
            source
            and source.api_key_hash
            and hmac.compare_digest(source.api_key_hash, hash_key(key))
        ):
            return source
        return self.browse()

    def _fetch_facebook_leads(self):
        """Job: fetch this source's queued Lead Ads leads that are due, oldest first, a
        batch at a time. Each intake is locked (SKIP LOCKED: two jobs never fetch the same
        lead) and fetched in a savepoint of its own; another job follows for the rest."""
        self.ensure_one()
        Intake = self.env["loan.lead.intake"].sudo()
        Intake.flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM loan_lead_intake
             WHERE state = 'queued' AND source_id = %s
               AND (next_try_at IS NULL OR next_try_at <= %s)
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            [self.id, fields.Datetime.now(), FETCH_BATCH],
        )
        intakes = Intake.browse([r[0] for r in self.env.cr.fetchall()])
        results = [intake._fetch_facebook_lead() for intake in intakes]
        if len(intakes) == FETCH_BATCH:
            Intake._enqueue_fetch(self)
        return {
            "fetched": len(intakes),
            "errors": sum(1 for r in results if r["status"] == "error"),
        }

    def _map_fields(self, raw):
        """The lead values of a platform's answers ``raw`` ({question: answer}) through the
        source's field map; questions without a mapping keep their own name when it is a
        known target."""
        self.ensure_one()
        mapping = {line.external: line.target for line in self.field_ids}
        known = {key for key, _label in TARGETS}
        row = {}
        for key, value in raw.items():
            target = mapping.get(key) or (key if key in known else None)
            if target and value not in (None, ""):
                row[target] = value
        return row


class LoanLeadSourceField(models.Model):
    """How a question of a platform's form (Facebook's ``full_name``, ``phone_number``, a
    custom question) becomes a field of the lead: the admin edits it per form."""

    _name = "loan.lead.source.field"
    _description = "Lead Source Field Map"
    _order = "source_id, id"

    source_id = fields.Many2one("loan.lead.source", required=True, ondelete="cascade", index=True)
    external = fields.Char("Platform Field", required=True)
    target = fields.Selection(TARGETS, "Lead Field", required=True)
