from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanApprovalMixin(models.AbstractModel):
    """A servicing request on a contract (waiver, restructure, write-off) under
    maker-checker: numbered from ``_loan_sequence``, submitted, then approved or refused by
    someone who did not request it; ``_apply`` does what approval means."""

    _name = "loan.approval.mixin"
    _description = "Loan Request with Maker-Checker"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _loan_sequence = None

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    contract_id = fields.Many2one(
        "loan.contract",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', 'in', ('active', 'overdue'))]",
    )
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id", store=True)
    note = fields.Text()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    requested_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._loan_sequence) or "/"
        return super().create(vals_list)

    def action_submit(self):
        for rec in self:
            if rec.state != "draft":
                raise UserError(self.env._("%s was already submitted.", rec.name))
            rec._check_submit()
            rec.write({"state": "to_approve", "requested_by_id": self.env.uid})
        return True

    def _check_submit(self):
        """Hook: refuse a request that cannot be submitted as it is."""

    def _check_approver_group(self):
        """Hook: refuse an approver outside the group this kind of request needs."""

    def _check_approver(self):
        self.ensure_one()
        if self.state != "to_approve":
            raise UserError(self.env._("%s is not awaiting approval.", self.name))
        if self.env.user in (self.requested_by_id | self.create_uid):
            raise UserError(
                self.env._("You requested %s: another person must approve it.", self.name)
            )
        self._check_approver_group()

    def action_refuse(self):
        for rec in self:
            rec._check_approver()
            rec.state = "refused"
        return True

    def action_approve(self):
        for rec in self:
            rec._check_approver()
            rec._apply()
        return True

    def _apply(self):
        raise NotImplementedError
