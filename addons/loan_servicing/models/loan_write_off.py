from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class LoanWriteOff(models.Model):
    """Taking a loan off the books: the outstanding principal and the interest, fees and
    penalties recognised and unpaid go to the write-off expense. Requested by a person, or
    by the end of day once a contract passes its product's write-off days past due, and
    approved by a Lending Manager who did not request it. Later money is a recovery."""

    _name = "loan.write.off"
    _description = "Loan Write-off"
    _inherit = ["loan.approval.mixin"]
    _order = "date desc, id desc"
    _loan_sequence = "loan.write.off"

    date = fields.Date(required=True, default=fields.Date.context_today)
    reason_id = fields.Many2one(
        "loan.decision.reason", required=True, domain="[('kind', '=', 'write_off')]"
    )
    automatic = fields.Boolean(
        readonly=True,
        help="Requested by the end of day: the contract passed its product's "
        "write-off days past due.",
    )
    principal = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        readonly=True,
        copy=False,
        help="Outstanding principal to write off: as of the request until it is approved, "
        "then what was written off.",
    )
    charges = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        readonly=True,
        copy=False,
        help="Interest, fees and penalties recognised and unpaid: as of the request until it "
        "is approved, then what was written off.",
    )
    move_id = fields.Many2one("account.move", readonly=True, copy=False)

    @api.depends("contract_id", "state")
    def _compute_amounts(self):
        # an approved write-off keeps the amounts its entry posted (written with the state)
        for request in self:
            if request.state == "approved":
                continue
            principal, charges = (
                request.contract_id.sudo()._write_off_amounts()
                if request.contract_id
                else (Decimal(0), Decimal(0))
            )
            request.principal = float(principal)
            request.charges = float(charges)

    def _check_approver_group(self):
        if not self.env.user.has_group("loan_base.group_loan_manager"):
            raise AccessError(self.env._("Only a Lending Manager may decide a write-off."))

    def _apply(self):
        contract = self.contract_id
        contract._lock_for_servicing()
        if contract.state not in ("active", "overdue"):
            raise UserError(self.env._("%s cannot be written off now.", contract.name))
        product = contract.product_id
        product._loan_check_accounting()
        principal, charges = contract._write_off_amounts()
        company = contract.company_id
        cur = contract.currency_id

        def amounts(value):
            value = float(value)
            return {
                "amount_currency": value,
                "balance": cur._convert(value, company.currency_id, company, self.date),
            }

        common = {
            "partner_id": contract.partner_id.id,
            "currency_id": cur.id,
            "loan_contract_id": contract.id,
        }
        lines = [
            {
                **common,
                "name": self.reason_id.name,
                "account_id": product.account_write_off_id.id,
                **amounts(principal + charges),
            },
            {
                **common,
                "name": self.name,
                "account_id": product.account_receivable_id.id,
                **amounts(-principal),
            },
        ]
        if charges:
            lines.append(
                {
                    **common,
                    "name": self.name,
                    "account_id": product.account_charges_receivable_id.id,
                    **amounts(-charges),
                }
            )
        move = self.env["account.move"]._loan_post_entry(
            company,
            product.journal_id.id,
            self.date,
            self.env._("Write-off %(name)s, %(contract)s", name=self.name, contract=contract.name),
            lines,
            contract=contract,
        )
        receivable = product.account_receivable_id
        to_match = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("loan_contract_id", "=", contract.id),
                    ("account_id", "=", receivable.id),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ]
            )
        )
        if len(to_match) > 1:
            to_match.reconcile()
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "principal": float(principal),
                "charges": float(charges),
                "move_id": move.id,
            }
        )
        contract.sudo().write(
            {
                "state": "written_off",
                "outstanding_principal": 0.0,
                "written_off_amount": float(principal + charges),
                "written_off_date": self.date,
            }
        )
        contract.message_post(
            body=self.env._(
                "Written off on %(date)s (%(name)s): principal %(principal)s, charges "
                "%(charges)s, approved by %(user)s.",
                date=self.date,
                name=self.name,
                principal=cur.format(float(principal)),
                charges=cur.format(float(charges)),
                user=self.env.user.name,
            )
        )

    @api.model
    def _refresh_pending(self, contract_ids):
        """End of day: the requests awaiting a decision show what they would take off after
        the day's interest and penalties."""
        pending = self.search(
            [("contract_id", "in", list(contract_ids)), ("state", "in", ("draft", "to_approve"))]
        )
        if pending:
            for fname in ("principal", "charges"):
                self.env.add_to_compute(self._fields[fname], pending)
            pending.flush_recordset(["principal", "charges"])

    @api.model
    def _request_for_dpd(self, contract_ids, day):
        """End of day: a write-off request for every contract that passed its product's
        write-off days past due and has none open."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT c.id FROM loan_contract c
            JOIN loan_product p ON p.id = c.product_id
            WHERE c.id = ANY(%s) AND c.state = 'overdue'
              AND COALESCE(p.write_off_dpd, 0) > 0 AND c.dpd >= p.write_off_dpd
              AND NOT EXISTS (SELECT 1 FROM loan_write_off w WHERE w.contract_id = c.id
                              AND w.state IN ('draft', 'to_approve', 'approved'))
            """,
            [list(contract_ids)],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return self.browse()
        reason = self.env.ref("loan_servicing.loan_decision_reason_write_off_dpd")
        requests = self.sudo().create(
            [
                {
                    "contract_id": cid,
                    "date": day,
                    "reason_id": reason.id,
                    "automatic": True,
                    "state": "to_approve",
                    "requested_by_id": self.env.ref("base.user_root").id,
                }
                for cid in ids
            ]
        )
        return requests
