import logging
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..engine.contact_policy import PastAttempt, Person, contact_verdict, next_window
from ..tools.engine_messages import engine_message
from ..tools.outreach_api import OutreachApiError
from .loan_outreach_provider import CHANNELS, MESSAGE_CHANNELS

_logger = logging.getLogger(__name__)

PURPOSES = [
    ("service", "Service"),
    ("reminder", "Payment reminder"),
    ("debt", "Debt collection"),
    ("marketing", "Marketing"),
    ("verification", "Verification"),
    ("locate", "Locating a borrower"),
]
DEBT_PURPOSES = ("reminder", "debt")
VOICE_CHANNELS = frozenset({"call", "visit"})


class LoanOutreachAttempt(models.Model):
    """Every message or call attempt with a person, with the gate's verdict and why.

    Nothing contacts a person except through :meth:`gate_send` (messages) and
    :meth:`gate_log_contact` (calls, visits, letters): consent, refusals and do-not-call
    first, then the contact policy of the person's jurisdiction, then the provider."""

    _name = "loan.outreach.attempt"
    _description = "Contact Attempt"
    _order = "attempted_at desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Person", required=True, index=True, readonly=True)
    debtor_id = fields.Many2one(
        "res.partner",
        "About the Borrower",
        index=True,
        readonly=True,
        help="Whose loan the contact is about, when the person is somebody else.",
    )
    recipient_role = fields.Selection(
        [("borrower", "Borrower"), ("obligor", "Obliged to pay"), ("third_party", "Third party")],
        "Recipient",
        readonly=True,
    )
    phone_id = fields.Many2one("loan.partner.phone", readonly=True, index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    user_id = fields.Many2one("res.users", "By", index=True, readonly=True)
    attempted_at = fields.Datetime("When", required=True, index=True, readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")],
        required=True,
        default="outbound",
        readonly=True,
        help="Inbound: the person contacted us (called in, walked in, wrote). Logged, never "
        "blocked, and not counted towards the policy's caps.",
    )
    purpose = fields.Selection(PURPOSES, required=True, readonly=True)
    policy_id = fields.Many2one("loan.contact.policy", readonly=True)
    provider_id = fields.Many2one("loan.outreach.provider", readonly=True)
    template_id = fields.Many2one("mail.template", readonly=True)
    subject = fields.Char(readonly=True)
    body = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("sent", "Sent / made"),
            ("scheduled", "Waiting for the window"),
            ("blocked", "Blocked"),
            ("failed", "Failed"),
        ],
        "Verdict",
        required=True,
        index=True,
        readonly=True,
    )
    scheduled_for = fields.Datetime(
        readonly=True,
        index="btree_not_null",
        help="A message outside the contact window of the person waits for the window's "
        "next opening in their time zone, when the gate judges it again and sends it.",
    )
    reason_code = fields.Char(readonly=True)
    reason = fields.Char(readonly=True)
    provider_ref = fields.Char("Provider Reference", readonly=True)
    answered = fields.Boolean(readonly=True)
    conversation = fields.Boolean("Right-party Conversation", readonly=True)
    res_model = fields.Char("Origin Model", readonly=True)
    res_id = fields.Many2oneReference("Origin", model_field="res_model", readonly=True)

    _partner_time_idx = models.Index("(partner_id, attempted_at DESC)")

    # ---------------------------------------------------------------- the gate
    @api.private
    @api.model
    def gate_check(self, partner, channel, purpose="service", debtor=None, phone=None, when=None):
        """The gate's verdict for an attempt, without logging or sending anything.

        Returns a dict: ``allowed`` (bool), ``code``, ``reason`` (translated), ``policy``
        and ``phone``. Shown to a collector before a call."""
        ctx = self._gate_context(partner, channel, purpose, debtor, phone, when)
        return {
            "allowed": ctx["verdict"].allowed,
            "code": ctx["verdict"].code,
            "reason": engine_message(self.env, ctx["verdict"].code, ctx["verdict"].params),
            "policy": ctx["policy"],
            "phone": ctx["phone"],
        }

    @api.private
    @api.model
    def gate_send(
        self,
        partner,
        channel,
        purpose="service",
        template=None,
        body=None,
        subject=None,
        debtor=None,
        phone=None,
        when=None,
        origin=None,
        defer=False,
    ):
        """Pass a message (SMS, Zalo, e-mail) through the gate and, if allowed, to the
        channel's provider. Always returns the logged attempt: sent, blocked or failed.

        ``defer``: a message blocked only by the contact window is not dropped but waits,
        ``scheduled``, for the window's next opening in the person's time zone (automated
        messages: strategies, reminders); :meth:`_cron_send_scheduled` sends it then."""
        if channel not in MESSAGE_CHANNELS:
            raise UserError(self.env._("Use gate_log_contact for calls, visits and letters."))
        ctx = self._gate_context(partner, channel, purpose, debtor, phone, when)
        if template:
            subject, body = self._gate_render(template, partner, channel, origin)
        extra = {}
        if defer and ctx["verdict"].code == "outside_window":
            extra = {"state": "scheduled", "scheduled_for": self._gate_next_window(ctx)}
        attempt = self._gate_log(
            ctx, template=template, subject=subject, body=body, origin=origin, **extra
        )
        if attempt.state == "sent":
            attempt._gate_deliver(ctx)
        return attempt

    @api.model
    def _gate_debtor_of(self, partner):
        """Whose loan a contact with ``partner`` is about when nothing says: a borrower's
        own, else that of the borrower they are related to."""
        if partner.sudo().loan_is_borrower:
            return partner
        relation = (
            self.env["loan.related.person"].sudo().search([("person_id", "=", partner.id)], limit=1)
        )
        return relation.partner_id or partner

    @api.model
    def _gate_next_window(self, ctx):
        """The next opening of the contact window for ``ctx``'s person (UTC, naive)."""
        policy = ctx["policy"]._to_engine()
        opening = next_window(
            policy, Person(tz=ctx["partner"].tz or None), ctx["when"].replace(tzinfo=timezone.utc)
        )
        return opening.astimezone(timezone.utc).replace(tzinfo=None)

    @api.model
    def _cron_send_scheduled(self, limit=500):
        """Every few minutes: the messages whose window opened are judged again, now, and
        sent, blocked (a cap reached since) or scheduled again (the window moved). Each is
        taken under a row lock that skips what another worker is sending: none goes twice."""
        now = self._gate_now()
        self.flush_model(["state", "scheduled_for"])
        self.env.cr.execute(
            """
            SELECT id FROM loan_outreach_attempt
            WHERE state = 'scheduled' AND scheduled_for <= %s
            ORDER BY scheduled_for, id
            LIMIT %s
            FOR NO KEY UPDATE SKIP LOCKED
            """,
            [now, limit],
        )
        due = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for attempt in due:
            attempt._gate_send_scheduled(now)
        return len(due)

    def _gate_send_scheduled(self, now):
        self.ensure_one()
        ctx = self._gate_context(
            self.partner_id,
            self.channel,
            self.purpose,
            self.debtor_id or None,
            self.phone_id or None,
            now,
        )
        verdict = ctx["verdict"]
        vals = {
            "attempted_at": now,
            "reason_code": verdict.code,
            "reason": engine_message(self.env, verdict.code, verdict.params),
        }
        if verdict.allowed:
            vals.update(state="sent", scheduled_for=False)
        elif verdict.code == "outside_window":
            vals.update(scheduled_for=self._gate_next_window(ctx))
        else:
            vals.update(state="blocked", scheduled_for=False)
        self.write(vals)
        if self.state == "sent":
            self._gate_deliver(ctx)
        self._gate_scheduled_done()

    def _gate_scheduled_done(self):
        """Hook: a scheduled message was sent, blocked or scheduled again."""

    @api.private
    @api.model
    def gate_log_contact(
        self,
        partner,
        channel,
        purpose="debt",
        debtor=None,
        phone=None,
        when=None,
        answered=False,
        conversation=False,
        note=None,
        origin=None,
        direction="outbound",
    ):
        """Log a call, visit or letter. A contact the gate blocks is logged as blocked and
        never as made: the caller must not place it.

        ``direction="inbound"`` logs a contact the person started (they called or wrote in,
        walked in), on any channel: the gate does not judge it, it is logged as made with
        the code ``inbound``."""
        if direction == "inbound":
            ctx = self._gate_context(partner, channel, purpose, debtor, phone, when, inbound=True)
            return self._gate_log(
                ctx,
                body=note,
                origin=origin,
                direction="inbound",
                answered=True,
                conversation=conversation,
            )
        if channel in MESSAGE_CHANNELS:
            raise UserError(self.env._("Use gate_send for SMS, Zalo and e-mail."))
        ctx = self._gate_context(partner, channel, purpose, debtor, phone, when)
        return self._gate_log(
            ctx,
            body=note,
            origin=origin,
            answered=answered and ctx["verdict"].allowed,
            conversation=conversation and ctx["verdict"].allowed,
        )

    # ---------------------------------------------------------------- steps
    @api.model
    def _gate_now(self):
        """The time the gate judges a contact at when none is given (UTC, naive). One
        place, so that a browser test can fix the hour of the day."""
        return fields.Datetime.now()

    @api.model
    def _gate_context(self, partner, channel, purpose, debtor, phone, when, inbound=False):
        partner.ensure_one()
        partner = partner.sudo()
        debtor = (debtor or partner).sudo()
        when = when or self._gate_now()
        policy = self.env["loan.contact.policy"].sudo()._for_partner(debtor)
        if not policy:
            raise UserError(self.env._("No contact policy applies to %s.", partner.display_name))
        phone = phone or self._gate_pick_phone(partner, channel)
        role = self._gate_recipient_role(partner, debtor)
        refused = set(phone.refused_channels()) if phone else set()
        if partner.loan_refuse_email:
            refused.add("email")
        consent = True
        if purpose == "marketing":
            consent = self.env["loan.consent"]._has_consent(partner, "marketing", when)
        person = Person(
            tz=partner.tz or None,
            is_obligor=role != "third_party",
            consent=consent,
            refused_channels=frozenset(refused),
            do_not_call=bool(phone and phone.do_not_call),
        )
        verdict = contact_verdict(
            policy._to_engine(),
            person,
            when.replace(tzinfo=timezone.utc),
            channel,
            self._gate_history(partner, policy, when),
            debt_content=purpose in DEBT_PURPOSES,
            number=str(phone.id) if phone else None,
            voice_channels=VOICE_CHANNELS,
        )
        if verdict.allowed and channel in ("sms", "zalo", "call") and not phone:
            verdict = verdict.__class__(False, "no_address", {"channel": channel})
        if verdict.allowed and channel == "email" and not partner.email:
            verdict = verdict.__class__(False, "no_address", {"channel": channel})
        if inbound:
            # the person started it: nothing to judge, whatever the hour or the caps
            verdict = verdict.__class__(True, "inbound", {})
        return {
            "partner": partner,
            "debtor": debtor,
            "role": role,
            "channel": channel,
            "purpose": purpose,
            "when": when,
            "policy": policy,
            "phone": phone,
            "verdict": verdict,
        }

    @api.model
    def _gate_pick_phone(self, partner, channel):
        if channel not in ("sms", "zalo", "call"):
            return self.env["loan.partner.phone"]
        phones = partner.sudo().loan_phone_ids.filtered("is_valid")
        if channel in ("sms", "zalo"):
            phones = phones.filtered(lambda p: p.phone_type == "mobile") or phones
        return phones.sorted(lambda p: (not p.is_primary, p.sequence, p.id))[:1]

    @api.model
    def _gate_recipient_role(self, partner, debtor):
        if partner == debtor:
            return "borrower"
        relation = (
            self.env["loan.related.person"]
            .sudo()
            .search([("partner_id", "=", debtor.id), ("person_id", "=", partner.id)])
        )
        return "obligor" if any(relation.mapped("is_obligor")) else "third_party"

    @api.model
    def _gate_history(self, partner, policy, when):
        """Counted past attempts with ``partner``, as far back as the policy looks."""
        days = max(policy.rolling_days or 1, policy.quiet_after_conversation_days or 1, 1) + 1
        rows = self.sudo().search_read(
            [
                ("partner_id", "=", partner.id),
                ("state", "=", "sent"),
                ("attempted_at", ">=", when - timedelta(days=days)),
                ("attempted_at", "<=", when),
            ],
            ["attempted_at", "channel", "phone_id", "conversation", "direction"],
        )
        # what the person started does not count towards the caps; a conversation in it
        # still is one
        return [
            PastAttempt(
                at=row["attempted_at"].replace(tzinfo=timezone.utc),
                channel=row["channel"],
                number=str(row["phone_id"][0]) if row["phone_id"] else None,
                counted=row["direction"] != "inbound",
                conversation=row["conversation"],
            )
            for row in rows
        ]

    @api.model
    def _gate_render(self, template, partner, channel, origin=None):
        """Subject and text of ``template`` in the partner's language, rendered on
        ``origin`` when the template is made for its model (a quote, a contract...), else
        on the partner."""
        template = template.sudo()
        lang = partner.lang or self.env.lang
        template = template.with_context(lang=lang)
        record = origin if origin and template.model == origin._name else partner
        body = template._render_field("body_html", record.ids, compute_lang=True)[record.id]
        subject = template._render_field("subject", record.ids, compute_lang=True)[record.id]
        text = html2plaintext(body or "") if channel in ("sms", "zalo") else str(body or "")
        return subject, text

    @api.model
    def _gate_log(self, ctx, template=None, subject=None, body=None, origin=None, **extra):
        verdict = ctx["verdict"]
        vals = {
            "partner_id": ctx["partner"].id,
            "debtor_id": ctx["debtor"].id if ctx["debtor"] != ctx["partner"] else False,
            "recipient_role": ctx["role"],
            "phone_id": ctx["phone"].id if ctx["phone"] else False,
            "company_id": (ctx["debtor"].company_id or self.env.company).id,
            "user_id": self.env.user.id,
            "attempted_at": ctx["when"],
            "channel": ctx["channel"],
            "purpose": ctx["purpose"],
            "policy_id": ctx["policy"].id,
            "template_id": template.id if template else False,
            "subject": subject,
            "body": body,
            "state": "sent" if verdict.allowed else "blocked",
            "reason_code": verdict.code,
            "reason": engine_message(self.env, verdict.code, verdict.params),
            "res_model": origin._name if origin else False,
            "res_id": origin.id if origin else False,
            **extra,
        }
        return self.sudo().create(vals)

    def _gate_deliver(self, ctx):
        """Hand an allowed message to its provider; a failure is logged, never raised."""
        self.ensure_one()
        provider = (
            self.env["loan.outreach.provider"].sudo()._for_channel(self.channel, self.company_id)
        )
        if not provider:
            self.write(
                {
                    "state": "failed",
                    "reason_code": "no_provider",
                    "reason": engine_message(self.env, "no_provider", {"channel": self.channel}),
                }
            )
            return
        self.provider_id = provider
        text = self.body or ""
        if self.channel in ("sms", "zalo") and provider.opt_out_text:
            text = "%s %s" % (text.strip(), provider.opt_out_text)
            self.body = text
        try:
            if provider.provider_type == "sandbox":
                ref = "sandbox-%s" % self.id
            elif provider.provider_type == "mail":
                ref = self._deliver_mail(ctx)
            else:
                number = ctx["phone"]._loan_pii_plain("number")
                api = provider._api()
                if provider.provider_type == "zalo_zns":
                    template_ref = self.template_id.sudo().loan_zns_template_ref or ""
                    data = {"name": self.partner_id.name, "text": text}
                    ref = api.send(number, template_ref, data, "attempt-%s" % self.id)
                else:
                    ref = api.send(number, text, "attempt-%s" % self.id)
        except OutreachApiError as exc:
            _logger.info("Outreach attempt %s failed: %s", self.id, exc.code)
            self.write(
                {"state": "failed", "reason_code": exc.code, "reason": exc.message(self.env)}
            )
            return
        self.provider_ref = ref

    def _deliver_mail(self, ctx):
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": self.subject or "",
                    "body_html": self.body or "",
                    "recipient_ids": [fields.Command.link(self.partner_id.id)],
                    "auto_delete": False,
                    "model": "res.partner",
                    "res_id": self.partner_id.id,
                    "loan_attempt_id": self.id,
                }
            )
        )
        return "mail-%s" % mail.id
