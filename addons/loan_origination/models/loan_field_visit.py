from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class LoanFieldVisit(models.Model):
    """A field verification of an applicant's address by an appraiser: appointment, result,
    GPS position and photos. Completing it records the field check of the application; the
    visit itself is a contact and passes the outreach gate."""

    _name = "loan.field.visit"
    _description = "Field Verification Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "appointment desc, id desc"

    application_id = fields.Many2one("loan.application", index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", compute="_compute_partner_company", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_partner_company", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users", "Assigned To", required=True, tracking=True, default=lambda self: self.env.user
    )
    appointment = fields.Datetime(required=True, tracking=True)
    address = fields.Char(required=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        tracking=True,
    )
    result = fields.Selection(
        [
            ("confirmed", "Lives or works there"),
            ("not_found", "Address not found"),
            ("moved", "Moved away"),
            ("refused", "Refused the visit"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    notes = fields.Text()
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    done_at = fields.Datetime("Visited On", readonly=True)

    @api.depends("application_id")
    def _compute_partner_company(self):
        for visit in self:
            visit.partner_id = visit.application_id.partner_id
            visit.company_id = visit.application_id.company_id

    # appointment is always written on create: the check runs even without an application
    @api.constrains("application_id", "appointment")
    def _check_subject(self):
        if any(not visit.application_id for visit in self):
            raise ValidationError(self.env._("A field verification visit needs its application."))

    @api.model
    def _address_of(self, partner):
        """Where to go: the person's street and city."""
        partner = partner.sudo()
        return ", ".join(p for p in (partner.street, partner.city) if p)

    @api.onchange("application_id")
    def _onchange_application_id(self):
        partner = self.application_id.partner_id
        if partner and not self.address:
            self.address = self._address_of(partner)

    @api.constrains("latitude", "longitude")
    def _check_coordinates(self):
        for visit in self:
            if not (-90 <= visit.latitude <= 90 and -180 <= visit.longitude <= 180):
                raise UserError(self.env._("GPS coordinates are out of range."))

    def action_done(self):
        """Record the visit: the gate logs it as a contact, then the field check is set."""
        self.ensure_one()
        if self.state != "planned":
            raise UserError(self.env._("Only a planned visit can be completed."))
        if not self.result:
            raise UserError(self.env._("Record the result of the visit first."))
        attempt = self.env["loan.outreach.attempt"].gate_log_contact(
            self.partner_id,
            "visit",
            purpose="verification",
            conversation=self.result == "confirmed",
            note=self.notes,
            origin=self.application_id,
        )
        if attempt.state != "sent":
            self.message_post(body=self.env._("Visit not recorded: %s", attempt.reason))
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"message": attempt.reason, "type": "danger"},
            }
        self.write({"state": "done", "done_at": fields.Datetime.now()})
        check_type = self.env.ref("loan_origination.loan_check_type_field")
        self.env["loan.verification"].create(
            {
                "application_id": self.application_id.id,
                "check_type_id": check_type.id,
                "result": "pass" if self.result == "confirmed" else "fail",
                "notes": self.notes,
                "user_id": self.user_id.id,
            }
        )
        return True

    def action_cancel(self):
        self.filtered(lambda v: v.state == "planned").state = "cancelled"
