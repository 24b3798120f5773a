from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanHardshipRequest(models.Model):
    """A borrower in difficulty asks for relief from a collection case: the proposal is a
    waiver in a relief programme, under the servicing rules (role limits, the programme's
    monthly budget, maker-checker), or a restructure to be prepared by servicing."""

    _name = "loan.hardship.request"
    _description = "Hardship Request"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "loan.collection.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="case_id.partner_id", store=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    contract_id = fields.Many2one(
        "loan.contract",
        required=True,
        check_company=True,
        domain="[('id', 'in', allowed_contract_ids)]",
    )
    allowed_contract_ids = fields.Many2many(related="case_id.contract_ids")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    situation = fields.Text(required=True, help="What happened to the borrower.")
    proposal = fields.Selection(
        [("waiver", "Waiver"), ("restructure", "Restructure")], required=True, default="waiver"
    )
    programme_id = fields.Many2one("loan.waiver.programme", check_company=True)
    component = fields.Selection(
        [("penalty", "Penalties"), ("fees", "Fees"), ("interest", "Interest")], default="penalty"
    )
    amount = fields.Monetary()
    waiver_id = fields.Many2one("loan.waiver", readonly=True, copy=False)
    waiver_state = fields.Selection(related="waiver_id.state", string="Waiver Status")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("done", "Granted"),
            ("refused", "Refused"),
        ],
        required=True,
        default="draft",
        tracking=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        requests.case_id.filtered(lambda c: c.state not in ("resolved", "closed")).sudo().write(
            {"state": "hardship"}
        )
        return requests

    def action_submit(self):
        reason = self.env.ref("loan_origination.loan_decision_reason_waiver_hardship")
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("This request was already submitted."))
            if request.proposal == "waiver":
                if not (request.programme_id and request.amount > 0):
                    raise UserError(self.env._("A waiver needs a programme and an amount."))
                waiver = self.env["loan.waiver"].create(
                    {
                        "contract_id": request.contract_id.id,
                        "programme_id": request.programme_id.id,
                        "component": request.component,
                        "amount": request.amount,
                        "reason_id": reason.id,
                        "note": request.situation,
                    }
                )
                waiver.action_submit()
                request.waiver_id = waiver
            request.state = "submitted"
        return True

    def action_approve_waiver(self):
        """Approve the proposed waiver (as its approver): refused over the approver's limit
        or the programme's remaining budget, like any waiver."""
        for request in self:
            if not request.waiver_id:
                raise UserError(self.env._("This request proposes no waiver."))
            request.waiver_id.action_approve()
            request.state = "done"
        return True
