from odoo import api, fields, models


class LoanContract(models.Model):
    """Origination's side of a contract: the approved application it was made from, and the
    application moved to "disbursed" when the money leaves."""

    _inherit = "loan.contract"

    application_id = fields.Many2one(
        "loan.application", readonly=True, index="btree_not_null", ondelete="restrict"
    )

    _application_unique = models.Constraint(
        "UNIQUE(application_id)", "An application has one contract."
    )

    @api.model
    def _prepare_contract_vals(self, application, start_date, first_due_date=None):
        """Frozen terms, schedule and disclosure of ``application`` as create values."""
        return self._loan_contract_vals(
            application.partner_id,
            application.product_id,
            application.amount,
            application.term,
            start_date,
            first_due_date,
            application_id=application.id,
            user_id=application.user_id.id,
            team_id=application.team_id.id,
            company_id=application.company_id.id,
        )

    def _disburse(self, date):
        result = super()._disburse(date)
        stage = self.env["loan.application.stage"].search([("kind", "=", "disbursed")], limit=1)
        if stage and self.application_id:
            # the disbursement is the authority here: the accountant moves the application
            # without needing read access to its appraisal
            self.application_id.sudo().with_context(loan_disbursement=True).write(
                {"stage_id": stage.id}
            )
        return result
