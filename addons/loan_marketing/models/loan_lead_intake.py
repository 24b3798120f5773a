import hashlib
import hmac
import json
import logging
import secrets
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .loan_lead_touch import scrub

_logger = logging.getLogger(__name__)

GRAPH_URL = "https://graph.facebook.com/v19.0/%s"
OTP_MINUTES = 10
OTP_TRIES = 5
OTP_PER_IP_HOUR = 10
OTP_PER_PHONE_DAY = 5
FETCH_BATCH = 100  # Graph API calls per job
FETCH_TRIES = 5  # then the intake is failed; retried after 2, 4, 8, 16 minutes


class LoanLeadIntake(models.Model):
    """Every call of a webhook or of the partner API, accepted or not: forged signatures,
    replays, unknown sources and bad payloads are refused and logged here with the caller's
    address, so that an administrator sees who knocks."""

    _name = "loan.lead.intake"
    _description = "Lead Intake Log"
    _order = "received_at desc, id desc"
    _rec_name = "received_at"

    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    source_id = fields.Many2one("loan.lead.source", index=True, ondelete="set null")
    company_id = fields.Many2one("res.company", index=True)
    kind = fields.Selection(
        [("facebook", "Facebook"), ("zalo", "Zalo"), ("api", "Partner API")], required=True
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("done", "Captured"),
            ("duplicate", "Repeat"),
            ("refused", "Refused"),
            ("failed", "Failed"),
        ],
        required=True,
        index=True,
    )
    reason = fields.Char()
    remote_addr = fields.Char("Caller")
    external_id = fields.Char("Platform ID", index="btree_not_null")
    payload = fields.Text("Payload (masked)")
    lead_id = fields.Many2one("crm.lead", ondelete="set null")
    attempts = fields.Integer("Fetch Attempts", readonly=True)
    next_try_at = fields.Datetime("Next Try", readonly=True)

    _queued_idx = models.Index("(source_id, id) WHERE state = 'queued'")

    @api.model
    def _log(self, kind, state, reason=None, source=None, remote_addr=None, payload=None, **extra):
        """One row of the log, written in one INSERT as Odoo's own ``ir.logging`` handler
        writes: a webhook answers in milliseconds, and the log has no computed field, no
        default beyond the time and no dependant to tell."""
        unknown = set(extra) - {"external_id", "lead_id"}
        if unknown:
            raise ValueError("loan.lead.intake._log: unknown values %s" % sorted(unknown))
        self.env.cr.execute(
            """
            INSERT INTO loan_lead_intake (received_at, kind, state, reason, source_id,
                   company_id, remote_addr, payload, external_id, lead_id,
                   create_uid, create_date, write_uid, write_date)
            VALUES ((now() AT TIME ZONE 'UTC'), %(kind)s, %(state)s, %(reason)s, %(source)s,
                    %(company)s, %(addr)s, %(payload)s, %(external)s, %(lead)s,
                    %(uid)s, (now() AT TIME ZONE 'UTC'), %(uid)s, (now() AT TIME ZONE 'UTC'))
            RETURNING id
            """,
            {
                "kind": kind,
                "state": state,
                "reason": reason or None,
                "source": source.id if source else None,
                "company": source.company_id.id or None if source else None,
                "addr": remote_addr or None,
                "payload": scrub(payload[:20000]) if payload else None,
                "external": extra.get("external_id") or None,
                "lead": extra.get("lead_id") or None,
                "uid": self.env.uid,
            },
        )
        return self.sudo().browse(self.env.cr.fetchone()[0])

    @api.model
    def _received(self, source, external_id):
        """Whether the platform's lead ``external_id`` of ``source`` was already received:
        queued or captured here, or a touch of a lead (one statement, both indexes)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT EXISTS(SELECT 1 FROM loan_lead_intake
                           WHERE external_id = %(ext)s AND source_id = %(source)s
                             AND state IN ('queued', 'done', 'duplicate'))
                OR EXISTS(SELECT 1 FROM loan_lead_touch
                           WHERE external_id = %(ext)s AND source_id = %(source)s)
            """,
            {"ext": external_id, "source": source.id},
        )
        return self.env.cr.fetchone()[0]

    # ---------------------------------------------------------------- Facebook
    @api.model
    def _enqueue_fetch(self, source):
        """Have a job fetch the queued leads of ``source`` from the Graph API. One job
        serves every notification that arrives before it starts: when one is waiting to
        start, nothing is added (it reads the queued intakes when it runs). Whether one
        waits is read in queue_job's own partial index of waiting identity keys."""
        key = "fb-fetch-%d" % source.id
        self.env.cr.execute(
            "SELECT 1 FROM queue_job WHERE identity_key = %s"
            " AND state IN ('pending', 'enqueued', 'wait_dependencies') LIMIT 1",
            [key],
        )
        if self.env.cr.fetchone():
            return False
        source.sudo().with_delay(
            identity_key=key,
            description=self.env._("Fetch the Lead Ads leads of %s", source.display_name),
        )._fetch_facebook_leads()
        return True

    @api.model
    def _cron_fetch_queued(self):
        """Queued Lead Ads leads nobody fetches (a job that failed, a retry due, a
        notification that came as a job was starting): a job per source."""
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT source_id FROM loan_lead_intake
             WHERE state = 'queued' AND kind = 'facebook' AND source_id IS NOT NULL
               AND COALESCE(next_try_at, received_at) <= %s
            """,
            [fields.Datetime.now() - timedelta(minutes=1)],
        )
        sources = self.env["loan.lead.source"].sudo().browse([r[0] for r in self.env.cr.fetchall()])
        for source in sources:
            self._enqueue_fetch(source)
        return len(sources)

    def _fetch_facebook_lead(self):
        """Fetch this lead's answers from the Graph API with the page token and a timeout,
        map them through the source's field map and capture them. Idempotent by the
        platform's lead id (a retry finds its touch). A failed call is retried later, up to
        FETCH_TRIES times, then the intake is failed with the reason."""
        self.ensure_one()
        source = self.source_id.sudo()
        try:
            with self.env.cr.savepoint():
                response = requests.get(
                    GRAPH_URL % self.external_id,
                    params={"access_token": source.fb_page_token},
                    timeout=10,
                )
                response.raise_for_status()
                data = response.json()
                raw = {
                    item.get("name"): (item.get("values") or [None])[0]
                    for item in data.get("field_data", [])
                }
                row = source._map_fields(raw)
                row.update(
                    external_id=self.external_id,
                    payload=json.dumps(data, ensure_ascii=False),
                    consent_data=row.get("consent_data", True),  # Lead Ads' privacy consent
                )
                result = self.env["crm.lead"]._loan_capture(source, [row])[0]
        except (requests.RequestException, ValueError, UserError, ValidationError) as exc:
            attempts = self.attempts + 1
            failed = attempts >= FETCH_TRIES
            self.write(
                {
                    "attempts": attempts,
                    "state": "failed" if failed else "queued",
                    "reason": str(exc)[:200],
                    "next_try_at": False
                    if failed
                    else fields.Datetime.now() + timedelta(minutes=2**attempts),
                }
            )
            _logger.info("Lead Ads lead %s not fetched (%s): %s", self.external_id, attempts, exc)
            return {"status": "error", "error": str(exc)}
        state = {"created": "done", "touch": "done", "duplicate": "duplicate"}.get(
            result["status"], "failed"
        )
        self.write(
            {
                "state": state,
                "attempts": self.attempts + 1,
                "reason": result.get("error"),
                "lead_id": result.get("lead_id"),
                "next_try_at": False,
            }
        )
        return result


class LoanLeadOtp(models.Model):
    """A one-time code confirming a landing-page visitor's phone, sent through the gate.
    Only its hash is stored; codes expire, allow a few tries, and are rate limited per IP
    address and per phone."""

    _name = "loan.lead.otp"
    _description = "Phone Confirmation Code"
    _order = "id desc"

    token = fields.Char(required=True, index=True, readonly=True)
    phone_bidx = fields.Char(required=True, index=True, readonly=True)
    code_hash = fields.Char(required=True, readonly=True)
    source_id = fields.Many2one("loan.lead.source", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", readonly=True)
    remote_addr = fields.Char(index=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    tries = fields.Integer(readonly=True)
    verified_at = fields.Datetime(readonly=True)

    @api.model
    def _hash(self, token, code):
        return hmac.new(token.encode(), code.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _check_limits(self, bidx, remote_addr):
        now = fields.Datetime.now()
        if (
            remote_addr
            and self.sudo().search_count(
                [("remote_addr", "=", remote_addr), ("create_date", ">", now - timedelta(hours=1))]
            )
            >= OTP_PER_IP_HOUR
        ):
            raise UserError(self.env._("Too many codes were asked from here; try again later."))
        if (
            self.sudo().search_count(
                [("phone_bidx", "=", bidx), ("create_date", ">", now - timedelta(days=1))]
            )
            >= OTP_PER_PHONE_DAY
        ):
            raise UserError(self.env._("Too many codes were sent to this number today."))

    @api.model
    def _issue(self, source, phone, remote_addr=None):
        """Send a code to ``phone`` through the gate; returns the token the browser keeps."""
        Lead = self.env["crm.lead"].sudo()
        e164, _masked = Lead._loan_normalise_phone(phone, source.company_id)
        bidx = self.env["loan.pii.mixin"]._loan_pii_keyring().blind_index(e164, "phone")
        self._check_limits(bidx, remote_addr)
        partner = self._person(source, e164, bidx)
        token = secrets.token_urlsafe(24)
        code = "%06d" % secrets.randbelow(1_000_000)
        otp = self.sudo().create(
            {
                "token": token,
                "phone_bidx": bidx,
                "code_hash": self._hash(token, code),
                "source_id": source.id,
                "partner_id": partner.id,
                "remote_addr": remote_addr,
                "expires_at": fields.Datetime.now() + timedelta(minutes=OTP_MINUTES),
            }
        )
        body = self.env._(
            "Your confirmation code: %(code)s (valid %(minutes)s minutes)",
            code=code,
            minutes=OTP_MINUTES,
        )
        attempt = (
            self.env["loan.outreach.attempt"]
            .sudo()
            .gate_send(partner, "sms", purpose="verification", body=body, origin=otp)
        )
        # the code is a secret: the log keeps the message without it
        attempt.sudo().write({"body": body.replace(code, "******")})
        if attempt.state not in ("sent", "scheduled"):
            raise UserError(
                self.env._("The code could not be sent: %s", attempt.reason or attempt.reason_code)
            )
        return otp.token

    @api.model
    def _person(self, source, e164, bidx):
        """The person of a number: its owner if known, else a new prospect (no lead yet)."""
        found = self.env["crm.lead"].sudo()._loan_partners_by_bidx([bidx])
        if bidx in found:
            return self.env["res.partner"].sudo().browse(found[bidx][0])
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(tracking_disable=True)
            .create(
                {
                    "name": self.env._("Website visitor"),
                    "company_id": source.company_id.id,
                    "country_id": source.company_id.country_id.id,
                    "loan_is_prospect": True,
                    "loan_phone_ids": [fields.Command.create({"number": e164, "is_primary": True})],
                }
            )
        )

    @api.model
    def _verify(self, token, code, phone):
        """The OTP record of ``token`` if ``code`` is right for ``phone``, else UserError."""
        otp = self.sudo().search([("token", "=", token or "")], limit=1)
        if not otp or otp.verified_at or otp.expires_at < fields.Datetime.now():
            raise UserError(self.env._("The confirmation code has expired; ask for a new one."))
        if otp.tries >= OTP_TRIES:
            raise UserError(self.env._("Too many wrong codes; ask for a new one."))
        e164, _masked = (
            self.env["crm.lead"].sudo()._loan_normalise_phone(phone, otp.source_id.company_id)
        )
        bidx = self.env["loan.pii.mixin"]._loan_pii_keyring().blind_index(e164, "phone")
        if bidx != otp.phone_bidx or not hmac.compare_digest(
            otp.code_hash, self._hash(otp.token, (code or "").strip())
        ):
            otp.tries += 1
            raise UserError(self.env._("The confirmation code is wrong."))
        otp.verified_at = fields.Datetime.now()
        return otp
