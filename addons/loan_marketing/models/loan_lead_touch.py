import re

from odoo import api, fields, models
from odoo.addons.loan_base.engine.pii import aad_for

# long digit runs in a payload (phone and ID numbers): masked in the readable copy
DIGITS = re.compile(r"\+?\d[\d .\-]{6,}\d")


def scrub(text):
    """``text`` with every run of 8 or more digits masked but its last three.

    >>> scrub('{"phone": "0901 234 678", "name": "An"}')
    '{"phone": "*********678", "name": "An"}'
    """
    if not text:
        return text

    def _mask(match):
        digits = re.sub(r"\D", "", match.group(0))
        return "*" * (len(digits) - 3) + digits[-3:]

    return DIGITS.sub(_mask, text)


class LoanLeadTouch(models.Model):
    """One time a person reached us through a source: the first capture and every repeat
    (another campaign, another day). Attribution credits campaigns, channels and media
    from these. The platform's raw payload is kept encrypted for audit, with a readable
    copy whose numbers are masked."""

    _name = "loan.lead.touch"
    _description = "Lead Touch"
    _order = "touched_at desc, id desc"

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    user_id = fields.Many2one(related="lead_id.user_id", string="Consultant")
    source_id = fields.Many2one("loan.lead.source", required=True, index=True)
    campaign_id = fields.Many2one("utm.campaign", index=True)
    channel_id = fields.Many2one("loan.marketing.channel", index=True)
    medium_id = fields.Many2one("utm.medium")
    utm_source_id = fields.Many2one("utm.source", "UTM Source")
    touched_at = fields.Datetime(required=True, index=True)
    sequence = fields.Integer(
        "Touch No.", help="1 for the capture, then one more for each repeat of the person."
    )
    external_id = fields.Char("Platform ID", index="btree_not_null")
    payload = fields.Text("Payload (masked)")
    payload_enc = fields.Text(groups="base.group_system")

    _source_external_uniq = models.UniqueIndex(
        "(source_id, external_id) WHERE external_id IS NOT NULL",
        "The platform sent this lead already.",
    )
    _lead_time_idx = models.Index("(lead_id, touched_at)")

    @api.model
    def _loan_record(self, source, rows):
        """Touches for captured ``rows`` (with their ``lead_id``), numbered per lead."""
        if not rows:
            return self.browse()
        lead_ids = list({row["lead_id"] for row in rows})
        self.flush_model(["lead_id"])
        self.env.cr.execute(
            "SELECT lead_id, COUNT(*) FROM loan_lead_touch"
            " WHERE lead_id = ANY(%s) GROUP BY lead_id",
            [lead_ids],
        )
        counts = dict(self.env.cr.fetchall())
        vals_list = []
        for row in rows:
            counts[row["lead_id"]] = counts.get(row["lead_id"], 0) + 1
            vals_list.append(
                {
                    "lead_id": row["lead_id"],
                    "company_id": source.company_id.id,
                    "source_id": source.id,
                    "campaign_id": row.get("campaign_id") or False,
                    "channel_id": source.channel_id.id,
                    "medium_id": source.medium_id.id or source.channel_id.medium_id.id or False,
                    "utm_source_id": source.utm_source_id.id or False,
                    "touched_at": row.get("touched_at") or fields.Datetime.now(),
                    "sequence": counts[row["lead_id"]],
                    "external_id": row.get("external_id") or False,
                    "payload": scrub(row.get("payload")) or False,
                }
            )
        touches = self.sudo().create(vals_list)
        keyring = self.env["loan.pii.mixin"]._loan_pii_keyring()
        for touch, row in zip(touches, rows, strict=True):
            if row.get("payload"):
                touch.payload_enc = keyring.encrypt(
                    row["payload"], aad_for(self._name, touch.id, "payload")
                )
        return touches
