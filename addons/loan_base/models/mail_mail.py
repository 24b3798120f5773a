from odoo import api, fields, models
from odoo.tools import email_normalize_all, html2plaintext

# what an e-mail about a record of these models is, for the contact policy (default: service)
MAIL_PURPOSES = {"loan.collection.case": "debt"}


class MailMail(models.Model):
    """Odoo's outgoing e-mail passes the outreach gate when it reaches a person of the
    lending business (a borrower, or someone related to one): chatter messages and their
    followers' notifications, templates, helpdesk stage e-mails, mass mailings. The gate
    judges each such recipient when the e-mail leaves: allowed, the attempt is logged and
    the e-mail goes; outside the person's contact window, the e-mail waits for its next
    opening; blocked otherwise (refused channel, caps, third-party rules), the person is
    dropped from the e-mail and the blocked attempt logged. The gate's own e-mails
    (``loan_attempt_id``) were judged already."""

    _inherit = "mail.mail"

    loan_attempt_id = fields.Many2one(
        "loan.outreach.attempt", readonly=True, index="btree_not_null", copy=False
    )

    def send(self, *args, **kwargs):
        # judged before Odoo connects to the mail server: what waits or is cancelled never
        # reaches it, whatever becomes of the connection
        leaving = self._loan_gate()
        if not leaving:
            return True
        return super(MailMail, leaving).send(*args, **kwargs)

    @api.model
    def _loan_persons(self, partners):
        """The partners among ``partners`` whom the lending business contacts only through
        the gate: borrowers and their related persons."""
        partners = partners.sudo()
        related = self.env["loan.related.person"].sudo().search([("person_id", "in", partners.ids)])
        return partners.filtered("loan_is_borrower") | related.person_id

    def _loan_purpose(self):
        self.ensure_one()
        if "mailing_id" in self._fields and self.mailing_id:
            return "marketing"
        return MAIL_PURPOSES.get(self.model, "service")

    @api.model
    def _loan_record(self, model, res_id):
        """The record an e-mail or SMS is about, for the attempt's origin, or None."""
        if model in self.env and res_id:
            return self.env[model].sudo().browse(res_id).exists() or None
        return None

    def _loan_gate(self):
        """The e-mails of ``self`` that may leave now, the gate having judged the lending
        persons they reach; the others wait or are cancelled."""
        todo = self.filtered(lambda m: m.state == "outgoing" and not m.loan_attempt_id)
        if not todo:
            return self
        Partner = self.env["res.partner"].sudo()
        addressed = {
            mail.id: Partner.search(
                [("email_normalized", "in", email_normalize_all(mail.email_to))]
            )
            if mail.email_to
            else Partner
            for mail in todo
        }
        everyone = todo.recipient_ids.sudo()
        for partners in addressed.values():
            everyone |= partners
        persons = self._loan_persons(everyone)
        if not persons:
            return self
        Gate = self.env["loan.outreach.attempt"].sudo()
        now = Gate._gate_now()
        leaving = self
        for mail in todo:
            by_address = addressed[mail.id] & persons
            targets = (mail.recipient_ids & persons) | by_address
            if not targets:
                continue
            purpose = mail._loan_purpose()
            contexts = {
                partner: Gate._gate_context(
                    partner, "email", purpose, Gate._gate_debtor_of(partner), None, now
                )
                for partner in targets
            }
            waiting = Partner.union(
                *(p for p, ctx in contexts.items() if ctx["verdict"].code == "outside_window")
            )
            if waiting:
                later = max(Gate._gate_next_window(contexts[p]) for p in waiting)
                others = mail.recipient_ids - waiting
                if waiting & by_address or not (others or mail.email_to or mail.email_cc):
                    # the whole e-mail waits for the latest of the persons' windows
                    mail.scheduled_date = later
                    leaving -= mail
                    continue
                # the persons outside their window get the e-mail then, the others now
                mail._loan_hold_for(waiting, later)
                for partner in waiting:
                    del contexts[partner]
            origin = self._loan_record(mail.model, mail.res_id)
            body = html2plaintext(mail.body_html or "")
            refusals = {}
            for partner, ctx in contexts.items():
                attempt = Gate._gate_log(ctx, subject=mail.subject, body=body, origin=origin)
                if attempt.state != "sent":
                    refusals[partner] = attempt.reason
            if not refusals:
                continue
            blocked = Partner.union(*refusals)
            mail.recipient_ids = [fields.Command.unlink(partner.id) for partner in blocked]
            # an address typed in the e-mail cannot be taken out of it: then none of it goes
            if (blocked & by_address) or not (
                mail.recipient_ids or (mail.email_to or "").strip() or mail.email_cc
            ):
                mail.write({"state": "cancel", "failure_reason": next(iter(refusals.values()))})
                leaving -= mail
        return leaving

    def _loan_hold_for(self, partners, when):
        """Take ``partners`` out of this e-mail into a copy of it (same message) that waits
        until ``when``, their notifications with it."""
        self.ensure_one()
        held = self.create(
            {
                "mail_message_id": self.mail_message_id.id,
                "body_html": self.body_html,
                "recipient_ids": [fields.Command.set(partners.ids)],
                "headers": self.headers,
                "references": self.references,
                "is_notification": self.is_notification,
                "auto_delete": self.auto_delete,
                "mail_server_id": self.mail_server_id.id,
                "scheduled_date": when,
            }
        )
        self.env["mail.notification"].sudo().search(
            [("mail_mail_id", "=", self.id), ("res_partner_id", "in", partners.ids)]
        ).mail_mail_id = held
        self.recipient_ids = [fields.Command.unlink(partner.id) for partner in partners]
        return held
