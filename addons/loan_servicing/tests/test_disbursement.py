import base64
from decimal import Decimal

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestDisbursement(LoanOriginationCommon):
    """From a CRM lead to a disbursed loan in real accounting, each step as its role."""

    def _sign(self, contract, user=None):
        contract = contract.with_user(user or self.officer)
        contract.write(
            {"signed_file": base64.b64encode(b"%PDF-1.4 signed"), "signed_filename": "signed.pdf"}
        )
        contract.action_mark_signed()

    def _signed_contract(self):
        _app, contract = self._approved()
        self._sign(contract)
        return contract

    @freeze_time("2026-11-20 03:00:00")  # 10:00 in Ho Chi Minh City
    def test_lead_to_disbursed_contract_each_step_by_its_role(self):
        Application = self.env["loan.application"]
        stage = {
            key: self.env.ref("loan_origination.loan_application_stage_%s" % key)
            for key in ("documents", "verification", "field", "analysis", "approval", "contract")
        }
        # 0. administrator: the product withholds a 5% insurance premium at disbursement
        self.product.with_user(self.lending_admin).write(
            {
                "scorecard_id": self.env.ref("loan_origination.loan_scorecard_vn_consumer").id,
                "fee_ids": [
                    (0, 0, {"name": "Insurance", "fee_type": "insurance_percent", "value": 5})
                ],
            }
        )
        # 1. consultant: lead, pre-qualification, application
        lead = self._lead()
        self.assertEqual(lead.loan_prequal_state, "qualified")
        with self.assertRaises(AccessError):
            lead.with_user(self.collector).action_loan_create_application()
        action = lead.action_loan_create_application()
        app = Application.with_user(self.officer).browse(action["res_id"])
        app.write(
            {
                "team_id": self.sales_team.id,
                "appraiser_id": self.appraiser.id,
                "stated_income": 15_000_000,
            }
        )
        app.action_next_stage()
        self.assertEqual(app.stage_id, stage["documents"])
        # 2. consultant: the dossier is received
        app.document_ids.write({"state": "received"})
        app.action_next_stage()
        self.assertEqual(app.stage_id, stage["verification"])
        # 3. appraiser: documents verified, phone and reference checks
        with self.assertRaises(UserError):
            app.action_next_stage()  # verification belongs to appraisers
        as_appraiser = app.with_user(self.appraiser)
        self._attach(app.document_ids)
        as_appraiser.document_ids.action_verify()
        Check = self.env["loan.verification"].with_user(self.appraiser)
        for code in ("PHONE", "REFERENCE"):
            check_type = self.env["loan.check.type"].search([("code", "=", code)])
            Check.create(
                {"application_id": app.id, "check_type_id": check_type.id, "result": "pass"}
            )
        with self.assertRaises(AccessError):
            Check.with_user(self.officer).create(
                {"application_id": app.id, "check_type_id": check_type.id, "result": "pass"}
            )
        as_appraiser.action_next_stage()
        self.assertEqual(app.stage_id, stage["field"])
        # 4. appraiser: field verification through the gate
        visit = (
            self.env["loan.field.visit"]
            .with_user(self.appraiser)
            .create(
                {
                    "application_id": app.id,
                    "appointment": "2026-11-20 03:00:00",
                    "address": "45 Lê Lợi, Quận 1",
                    "result": "confirmed",
                    "latitude": 10.7731,
                    "longitude": 106.7004,
                }
            )
        )
        visit.action_done()
        as_appraiser.action_next_stage()
        self.assertEqual(app.stage_id, stage["analysis"])
        # 5. appraiser: credit analysis
        with self.assertRaises(AccessError):
            app.with_user(self.officer2).action_score()
        as_appraiser.action_score()
        self.assertEqual(app.recommendation, "approve")
        as_appraiser.action_next_stage()
        self.assertEqual(app.stage_id, stage["approval"])
        # 6. approver: the application awaits them, not its own appraiser
        Awaiting = Application.with_user(self.approver).search(
            [("awaiting_my_decision", "=", True)]
        )
        self.assertIn(app, Awaiting)
        self.assertNotIn(
            app, as_appraiser.search([("awaiting_my_decision", "=", True)]), "a maker never"
        )
        with self.assertRaises(UserError):
            as_appraiser._decide("approved", self._reasons("approve"))
        app.with_user(self.approver)._decide("approved", self._reasons("approve"))
        self.assertEqual(app.stage_id, stage["contract"])
        self.assertNotIn(
            app, Application.with_user(self.approver).search([("awaiting_my_decision", "=", True)])
        )
        contract = app.contract_ids
        # 7. consultant: signature
        self._sign(contract)
        self.assertEqual(contract.state, "signed")
        # the application does not reach "disbursed" by hand
        with self.assertRaises(UserError) as err:
            app.with_user(self.accountant).action_next_stage()
        self.assertIn("disburses its contract", str(err.exception))
        # 8. accountant: disbursement, exactly once
        for user in (self.officer, self.approver, self.appraiser):
            with self.assertRaises(AccessError):
                contract.with_user(user).action_disburse()
        self.assertFalse(contract.disbursement_payment_id)
        contract.with_user(self.accountant).action_disburse()
        self.assertEqual(contract.state, "active")
        self.assertEqual(app.stage_kind, "disbursed")
        self.assertEqual(contract.disbursed_by_id, self.accountant)
        with self.assertRaises(UserError) as err:
            contract.with_user(self.accountant).action_disburse()
        self.assertIn("already disbursed", str(err.exception))
        payments = self.env["account.payment"].search([("loan_contract_id", "=", contract.id)])
        self.assertEqual(payments, contract.disbursement_payment_id)
        self._assert_books(contract)

    def _assert_books(self, contract):
        contract = contract.with_user(self.accountant)
        product = self.product
        payment = contract.disbursement_payment_id
        move = payment.move_id
        self.assertEqual(payment.payment_type, "outbound")
        self.assertEqual(payment.partner_id, contract.partner_id)
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, product.disbursement_journal_id)
        self.assertEqual(move.loan_contract_id, contract)
        lines = move.line_ids
        self.assertTrue(lines)
        self.assertEqual(set(lines.loan_contract_id.ids), {contract.id})
        self.assertAlmostEqual(sum(lines.mapped("debit")), sum(lines.mapped("credit")), 2)
        by_account = {
            account: sum(
                lines.filtered(lambda x, a=account: x.account_id == a).mapped("amount_currency")
            )
            for account in lines.account_id
        }
        fees = contract.upfront_fees
        self.assertEqual(fees, 1_000_000, "5% insurance on 20,000,000 withheld")
        self.assertEqual(by_account[product.account_receivable_id], 20_000_000)
        self.assertEqual(by_account[product.account_fee_income_id], -fees)
        self.assertEqual(by_account[payment.outstanding_account_id], -(20_000_000 - fees))
        self.assertEqual(payment.amount, contract.net_disbursed)
        self.assertEqual(contract.net_disbursed, 19_000_000)
        # the borrower's receivable equals the schedule's principal
        principal = sum(Decimal(str(p)) for p in contract.line_ids.mapped("principal"))
        self.assertEqual(Decimal(str(contract.receivable_balance)), principal)
        self.assertEqual(contract.receivable_balance, contract.amount)
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", contract.partner_id.id),
                ("account_id", "=", product.account_receivable_id.id),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertEqual(sum(receivable.mapped("amount_currency")), contract.amount)

    @freeze_time("2026-11-20 03:00:00")
    def test_disbursement_refusals_write_nothing(self):
        _app, contract = self._approved()
        accountant_view = contract.with_user(self.accountant)
        with self.assertRaises(UserError) as err:
            accountant_view.action_disburse()
        self.assertIn("must be signed", str(err.exception))
        self._sign(contract)
        receivable = self.product.account_receivable_id
        self.product.with_user(self.lending_admin).write(
            {"account_receivable_id": False, "disbursement_journal_id": False}
        )
        with self.assertRaises(UserError) as err:
            accountant_view.action_disburse()
        for label in ("Loan Receivable Account", "Disbursement Journal"):
            self.assertIn(label, str(err.exception))
        self.assertEqual(contract.state, "signed")
        self.assertFalse(
            self.env["account.payment"].search([("loan_contract_id", "=", contract.id)])
        )
        self.product.account_receivable_id = receivable
        self.product.disbursement_journal_id = self.company.loan_disbursement_journal_id
        accountant_view.action_disburse()
        self._assert_books(contract)

    def test_disbursed_later_schedule_runs_from_the_disbursement_date(self):
        with freeze_time("2026-11-20 03:00:00"):
            contract = self._signed_contract()
        self.assertEqual(str(contract.first_due_date), "2026-12-20")
        with freeze_time("2026-11-25 03:00:00"):
            contract.with_user(self.accountant).action_disburse()
        self.assertEqual(str(contract.start_date), "2026-11-25")
        self.assertEqual(str(contract.disbursed_date), "2026-11-25")
        self.assertEqual(str(contract.first_due_date), "2026-12-25")
        lines = contract.line_ids
        self.assertEqual(len(lines), 12)
        self.assertEqual(
            sum(Decimal(str(p)) for p in lines.mapped("principal")), Decimal(20_000_000)
        )
        self.assertEqual(lines[-1].closing_balance, 0)
        self.assertTrue(contract._principal_check())
        self.assertEqual(contract.receivable_balance, 20_000_000)

    @freeze_time("2026-11-20 03:00:00")
    def test_company_loan_accounts_are_created_once(self):
        company = self.company
        accounts = (
            company.loan_receivable_account_id
            | company.loan_fee_income_account_id
            | company.loan_interest_income_account_id
        )
        self.assertEqual(len(accounts), 3)
        self.assertEqual(company.loan_receivable_account_id.account_type, "asset_receivable")
        self.assertTrue(company.loan_receivable_account_id.reconcile)
        count = self.env["account.account"].search_count([])
        company._loan_setup_accounting()
        self.assertEqual(self.env["account.account"].search_count([]), count)
        self.assertEqual(self.product.account_receivable_id, company.loan_receivable_account_id)
        self.assertEqual(self.product.journal_id, company.loan_journal_id)
