from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAccountantUi(HttpCase):
    """The Loan Accountant's day in the browser, as the demo accountant in her language:
    disburse the signed contract, print its payment voucher; record and post a receipt on
    an active contract, print its receipt voucher; print the borrower's statement."""

    def setUp(self):
        super().setUp()
        self.accountant = self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False)
        if not self.accountant:
            self.skipTest("no demo data: the demo accountant does not exist")
        self.printed = []
        Report = self.registry["ir.actions.report"]
        render_html = Report._render_qweb_html
        printed = self.printed

        # reports are rendered by the HTTP worker of this process: record what it prints
        def _render_qweb_html(report, report_ref, docids, data=None):
            printed.append((report._get_report(report_ref).report_name, tuple(docids or ())))
            return render_html(report, report_ref, docids, data=data)

        self.patch(Report, "_render_qweb_html", _render_qweb_html)

    def _contract(self, application_xmlid):
        application = self.env.ref("loan_origination.%s" % application_xmlid)
        return application.contract_ids[:1]

    def test_accountant_disburses_receives_and_prints(self):
        self.assertEqual(self.accountant.lang, "vi_VN")
        signed = self._contract("loan_application_hoa_cash_demo")
        self.assertEqual(signed.state, "signed")
        self.start_tour(
            "/odoo/action-loan_origination.loan_contract_action/%d" % signed.id,
            "loan_origination_accountant_disburse_tour",
            login="accountant",
        )
        self.env.invalidate_all()
        self.assertEqual(signed.state, "active")
        self.assertEqual(signed.disbursed_by_id, self.accountant)
        self.assertIn(("loan_origination.report_loan_payment_voucher", (signed.id,)), self.printed)

        active = self._contract("loan_application_bao_durable_demo")
        self.assertIn(active.state, ("active", "overdue"))
        before = active.receipt_ids
        self.start_tour(
            "/odoo/action-loan_origination.loan_contract_action/%d" % active.id,
            "loan_origination_accountant_receipt_tour",
            login="accountant",
        )
        self.env.invalidate_all()
        receipt = active.receipt_ids - before
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.state, "posted")
        self.assertEqual(receipt.amount, 1_500_000)
        self.assertEqual(receipt.create_uid, self.accountant)
        self.assertIn(("loan_origination.report_loan_receipt_voucher", (receipt.id,)), self.printed)
        self.assertIn(
            ("loan_origination.report_loan_borrower_statement", (active.partner_id.id,)),
            self.printed,
        )
