from odoo import fields, models


class LoanVerification(models.Model):
    _name = "loan.verification"
    _description = "Application Check"
    _order = "application_id, id"

    application_id = fields.Many2one(
        "loan.application", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="application_id.company_id", store=True)
    check_type_id = fields.Many2one("loan.check.type", "Check", required=True)
    result = fields.Selection(
        [("pending", "Pending"), ("pass", "Passed"), ("fail", "Failed")],
        required=True,
        default="pending",
    )
    notes = fields.Text()
    user_id = fields.Many2one("res.users", "Checked By", default=lambda self: self.env.user)
    date = fields.Datetime(default=fields.Datetime.now)

    def action_pass(self):
        """Record the check as passed, by me, now."""
        self.write({"result": "pass", "user_id": self.env.uid, "date": fields.Datetime.now()})
        return True

    def action_fail(self):
        """Record the check as failed, by me, now."""
        self.write({"result": "fail", "user_id": self.env.uid, "date": fields.Datetime.now()})
        return True
