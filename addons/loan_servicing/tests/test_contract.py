import base64
from decimal import Decimal

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import LoanServicingCommon


@tagged("post_install", "-at_install")
class TestContract(LoanServicingCommon):
    """Approval freezes the terms into a contract with an exact schedule and disclosure."""

    @freeze_time("2026-11-20 03:00:00")
    def test_approval_creates_frozen_contract(self):
        _app, contract = self._approved()
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.state, "draft")
        self.assertEqual((contract.amount, contract.term, contract.rate), (20_000_000, 12, 28.0))
        lines = contract.line_ids
        self.assertEqual(len(lines), 12)
        principal = sum(Decimal(str(p)) for p in lines.mapped("principal"))
        self.assertEqual(principal, Decimal(20_000_000))
        self.assertEqual(lines[-1].closing_balance, 0)
        self.assertTrue(all(line.fee == 12000 for line in lines))
        self.assertGreater(contract.eir, 28.0, "fees make the disclosed rate exceed the nominal")
        self.assertEqual(contract.upfront_fees, 1_000_000)
        # terms are frozen: a later product change does not touch the contract
        self.product.rate = 10.0
        self.assertEqual(contract.rate, 28.0)

    @freeze_time("2026-11-20 03:00:00")
    def test_contract_document_and_signature(self):
        _app, contract = self._approved()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("loan_servicing.action_report_loan_contract", contract.ids)[0]
            .decode()
        )
        self.assertIn(contract.name, html)
        self.assertIn("Effective annual rate", html)
        self.assertIn("%.2f" % contract.eir, html)
        self.assertEqual(html.count("<tr>") - 5, 12, "one row per instalment")  # 4 + header
        officer_view = contract.with_user(self.officer)
        with self.assertRaises(UserError):
            officer_view.action_mark_signed()
        officer_view.write(
            {"signed_file": base64.b64encode(b"%PDF-1.4 signed"), "signed_filename": "s.pdf"}
        )
        officer_view.action_mark_signed()
        self.assertEqual(contract.state, "signed")
        with self.assertRaises(AccessError):
            contract.with_user(self.officer2).read(["name"])
        # the schedule follows its contract
        lines = contract.line_ids
        self.assertEqual(len(officer_view.line_ids.read(["instalment"])), len(lines))
        with self.assertRaises(AccessError):
            lines.with_user(self.officer2).read(["instalment"])

    @freeze_time("2026-11-20 03:00:00")
    def test_contract_printed_in_the_borrowers_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["loan_servicing"], ["vi_VN"])
        _app, contract = self._approved()
        self.borrower.lang = "vi_VN"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("loan_servicing.action_report_loan_contract", contract.ids)[0]
            .decode()
        )
        self.assertIn("Lịch trả nợ", html)
        self.assertIn("Lãi suất thực tế năm", html)
