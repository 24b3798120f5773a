import base64
from datetime import timedelta

from odoo import api, fields, models


class LoanOriginationDemo(models.AbstractModel):
    """Builders of the origination demo data (approved applications funded into
    contracts, the instalments paid since), called from ``demo/*.xml`` and by the demo
    data of the modules above; nothing in production calls them."""

    _name = "loan.origination.demo"
    _description = "Loan Origination Demo Builders"

    @api.model
    def _loan_demo_fund(self, application_id, days_ago, state):
        """Demo data only: approve a demo application ``days_ago`` days back, as the demo
        approver, and take its contract to ``state`` (draft, signed or active) as the demo
        consultant and accountant would have."""
        app = self.env["loan.application"].browse(application_id)
        day = fields.Date.context_today(self) - timedelta(days=days_ago)
        approver = self.env.ref("loan_base.user_approver_demo", raise_if_not_found=False)
        reason = self.env.ref("loan_origination.loan_decision_reason_good_score")
        if app.product_id.scorecard_id:
            app.action_score()
        app.write(
            {
                "decision": "approved",
                "decision_reason_ids": [fields.Command.set(reason.ids)],
                "decided_by_id": approver.id if approver else self.env.uid,
                "decided_at": fields.Datetime.to_datetime(day),
                "stage_id": self.env.ref("loan_origination.loan_application_stage_contract").id,
            }
        )
        contract = app._create_contract(day)
        if state in ("signed", "active"):
            contract.write(
                {
                    "signed_file": base64.b64encode(b"%PDF-1.4 (signed copy, demo)"),
                    "signed_filename": "%s.pdf" % contract.name.replace("/", "-"),
                }
            )
            contract.action_mark_signed()
            contract.signed_date = day
        if state == "active":
            accountant = self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False)
            if accountant and contract.company_id in accountant.company_ids:
                contract = contract.with_user(accountant).with_company(contract.company_id)
            contract._disburse(day)
        return contract.id

    @api.model
    def _loan_demo_servicing(self):
        """Demo data only: the demo accountant records the instalments the demo borrowers
        paid on time, and the end of day has closed every date up to yesterday (so one loan
        is overdue)."""
        accountant = self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False)
        today = fields.Date.context_today(self)
        Run = self.env["loan.eod.run"].with_context(queue_job__no_delay=True)
        payments = []
        for xmlid in (
            "loan_origination.loan_application_bao_durable_demo",
            "loan_origination.loan_application_wang_demo",
        ):
            contract = self.env.ref(xmlid).contract_ids
            due = contract.line_ids.filtered(lambda line: line.due_date < today)
            receipts = self.env["loan.receipt"]
            if accountant and contract.company_id in accountant.company_ids:
                receipts = receipts.with_user(accountant).with_company(contract.company_id)
            payments += [(line.due_date, receipts, contract, line.instalment) for line in due]
        # each receipt taken on its date, after the end of day closed the date before: the
        # history of every date is what the books said then
        for day, receipts, contract, amount in sorted(payments, key=lambda p: (p[0], p[2].id)):
            Run.run_to(day - timedelta(days=1))
            receipts.create({"contract_id": contract.id, "amount": amount, "date": day})._post()
        Run.run_to(today - timedelta(days=1))
        # today's bank statement: a transfer for Bao's next instalment, not yet recorded
        contract = self.env.ref("loan_origination.loan_application_bao_durable_demo").contract_ids
        following = contract.line_ids.filtered(lambda line: line.amount_open).sorted("sequence")
        journal = contract.product_id.disbursement_journal_id
        if following and (journal.currency_id or journal.company_id.currency_id) == (
            contract.currency_id
        ):
            self.env["account.bank.statement.line"].create(
                {
                    "journal_id": journal.id,
                    "date": today,
                    "partner_id": contract.partner_id.id,
                    "payment_ref": "CK tra no hop dong %s" % contract.name,
                    "amount": following[0].amount_open,
                }
            )
