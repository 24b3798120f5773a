from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

FRAUD_REASONS = [
    ("first_payment_default", "First payment default"),
    ("identity_doubt", "Identity in doubt"),
    ("shared_contact", "Phone or ID shared with other applicants"),
    ("other", "Other"),
]


class LoanFraudReferral(models.Model):
    """A case handed over to the fraud team: the case moves to the fraud queue with a
    deadline, and the finding goes back to the appraiser of each application and to the
    product ("problems discovered in collection related to appraisal and disbursement")."""

    _name = "loan.fraud.referral"
    _description = "Fraud Referral"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "loan.collection.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="case_id.partner_id", store=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    reason = fields.Selection(FRAUD_REASONS, required=True)
    note = fields.Text(required=True)
    sla_deadline = fields.Datetime("Answer By", readonly=True)
    state = fields.Selection(
        [("open", "Under Review"), ("confirmed", "Fraud Confirmed"), ("cleared", "Cleared")],
        required=True,
        default="open",
        tracking=True,
    )
    finding = fields.Text()
    application_ids = fields.Many2many(
        "loan.application", string="Applications", compute="_compute_application_ids"
    )

    @api.depends("case_id", "reason")
    def _compute_display_name(self):
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        for referral in self:
            referral.display_name = self.env._(
                "%(case)s: %(reason)s",
                case=referral.case_id.name,
                reason=reasons.get(referral.reason, ""),
            )

    def _compute_application_ids(self):
        for referral in self:
            referral.application_ids = referral.case_id.sudo().contract_ids.application_id

    def _notify_origination(self, body):
        """Tell each application's appraiser (an activity) and product (a note)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for referral in self:
            apps = referral.case_id.sudo().contract_ids.application_id
            for app in apps:
                app.message_post(body=body, subtype_xmlid="mail.mt_note")
                if app.appraiser_id:
                    app.activity_schedule(
                        activity_type_id=todo.id,
                        summary=self.env._("Fraud referral from collection"),
                        note=body,
                        user_id=app.appraiser_id.id,
                    )
            for product in apps.product_id:
                product.message_post(body=body, subtype_xmlid="mail.mt_note")

    def action_confirm(self):
        self._close("confirmed")

    def action_clear(self):
        self._close("cleared")

    def _close(self, state):
        if not self.env.user.has_group("loan_base.group_loan_collection_lead"):
            raise AccessError(self.env._("Only a collection team lead closes a fraud review."))
        for referral in self:
            if not referral.finding:
                raise UserError(self.env._("Write the finding before closing the review."))
            referral.state = state
            referral.sudo()._notify_origination(
                self.env._(
                    "Fraud review of %(partner)s closed (%(state)s): %(finding)s",
                    partner=referral.partner_id.display_name,
                    state=dict(referral._fields["state"]._description_selection(self.env))[state],
                    finding=referral.finding,
                )
            )
            if state == "cleared" and referral.case_id.state == "fraud":
                referral.case_id.sudo().state = "in_progress"


class LoanCollectionCase(models.Model):
    _inherit = "loan.collection.case"

    def action_flag_fraud(self, reason, note):
        """Hand the case over to the fraud team: by a collector working the case (their
        own, their team's), not by whoever may only read it."""
        self.ensure_one()
        if not self.env.user.has_group("loan_base.group_loan_collector"):
            raise AccessError(self.env._("Only collection staff refer a case for fraud."))
        self.check_access("write")
        return self._flag_fraud(reason, note)

    def _flag_fraud(self, reason, note):
        """Refer the case (checked by the caller: a collector's action, or the end of
        day's fraud rules)."""
        self.ensure_one()
        # read now: once with the fraud team, the case is no longer the collector's to read
        partner_name = self.partner_id.display_name
        if self.state in ("resolved", "closed", "fraud"):
            raise UserError(self.env._("%s cannot be referred for fraud now.", self.name))
        hours = int(self.env["ir.config_parameter"].sudo().get_param("loan.fraud_sla_hours", 48))
        referral = (
            self.env["loan.fraud.referral"]
            .sudo()
            .create(
                {
                    "case_id": self.id,
                    "reason": reason,
                    "note": note,
                    "sla_deadline": fields.Datetime.now() + timedelta(hours=hours),
                }
            )
        )
        queue = (
            self.env["loan.collection.queue"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("fraud_queue", "=", True)], limit=1)
        )
        vals = {"state": "fraud", "user_id": False, "held_by_id": False}
        if queue:
            vals["queue_id"] = queue.id
        self.sudo().write(vals)
        referral._notify_origination(
            self.env._(
                "Collection referred %(partner)s for fraud (%(reason)s): %(note)s",
                partner=partner_name,
                reason=dict(referral._fields["reason"]._description_selection(self.env))[reason],
                note=note,
            )
        )
        return referral


class LoanCollectionQueue(models.Model):
    _inherit = "loan.collection.queue"

    fraud_queue = fields.Boolean(
        help="Cases referred for fraud go to this queue, worked by the fraud team."
    )


class LoanFraudFlag(models.TransientModel):
    _name = "loan.fraud.flag"
    _description = "Refer a Case for Fraud"

    case_id = fields.Many2one("loan.collection.case", required=True)
    reason = fields.Selection(FRAUD_REASONS, required=True)
    note = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.case_id.action_flag_fraud(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
