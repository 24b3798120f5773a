import logging
from contextlib import contextmanager

from odoo.tests import HttpCase, JsonRpcException, tagged


class _DropExpected(logging.Filter):
    """Drop the one warning odoo.http logs for a refusal the tour provokes on purpose."""

    def __init__(self, needle):
        super().__init__()
        self.needle = needle
        self.dropped = 0

    def filter(self, record):
        if record.levelno == logging.WARNING and self.needle in record.getMessage():
            self.dropped += 1
            return False
        return True


@tagged("post_install", "-at_install")
class TestOriginationTours(HttpCase):
    """Each origination role's day in the browser, as its demo user, on the demo data."""

    def _demo(self, xmlid):
        record = self.env.ref(xmlid, raise_if_not_found=False)
        if not record:
            self.skipTest("demo data not installed")
        return record

    @contextmanager
    def _expected_refusal(self, needle):
        """A UserError the tour provokes is logged as a warning by odoo.http: that one
        warning is expected; anything else still reaches the log."""
        drop = _DropExpected(needle)
        logger = logging.getLogger("odoo.http")
        logger.addFilter(drop)
        try:
            yield drop
        finally:
            logger.removeFilter(drop)

    def _lang(self, user, code):
        """Work in ``code``, as the demo users will once their languages are installed."""
        lang = self.env["res.lang"].with_context(active_test=False).search([("code", "=", code)])
        if not lang.active:
            self.env["res.lang"]._activate_lang(code)
            self.env["ir.module.module"].search(
                [("name", "in", ("web", "mail", "loan_base", "loan_origination"))]
            )._update_translations(code)
        user.lang = code

    def test_appraiser_verifies_scores_and_moves_on(self):
        user = self._demo("loan_base.user_appraiser_demo")
        app = self._demo("loan_origination.loan_application_ngoc_demo")
        verification = self.env.ref("loan_origination.loan_application_stage_verification")
        field = self.env.ref("loan_origination.loan_application_stage_field")
        self.assertEqual(app.stage_id, verification)
        back = app.document_ids[1]
        self.assertEqual(back.document_type_id.code, "ID_BACK", "the tour edits the second line")
        self.assertEqual((back.state, len(back.attachment_ids)), ("received", 0))
        reference = app.verification_ids[1]
        self.assertEqual((reference.check_type_id.code, reference.result), ("REFERENCE", "pending"))
        self.assertFalse(app.scored_at)
        with self._expected_refusal(app.name) as refusal:
            self.start_tour(
                "/odoo/action-loan_origination.loan_application_action/%s" % app.id,
                "loan_origination_appraiser_tour",
                login=user.login,
            )
        self.assertEqual(refusal.dropped, 1, "the premature move was refused once")
        self.assertEqual(back.state, "verified")
        self.assertEqual(back.checked_by_id, user)
        self.assertEqual(back.attachment_ids.name, "cccd_mat_sau.pdf")
        self.assertEqual(
            (back.attachment_ids.res_model, back.attachment_ids.res_id), (back._name, back.id)
        )
        self.assertEqual((reference.result, reference.user_id), ("pass", user))
        self.assertEqual(app.scored_by_id, user)
        self.assertEqual(app.stage_id, field)

    def test_approver_decides_with_a_reason(self):
        user = self._demo("loan_base.user_approver_demo")
        app = self._demo("loan_origination.loan_application_approval_demo")
        Application = self.env["loan.application"].with_user(user)
        self.assertEqual(
            Application.search([("awaiting_my_decision", "=", True)]),
            app,
            "the tour opens the one application awaiting the approver",
        )
        self.assertFalse(app._missing_for_decision())
        self.start_tour("/odoo", "loan_origination_approver_tour", login=user.login)
        self.assertEqual(app.decision, "approved")
        self.assertEqual(app.decided_by_id, user)
        self.assertEqual(app.decision_reason_ids.code, "APP_POLICY")
        self.assertEqual(app.decision_note, "Stable income, complete file")
        self.assertEqual(
            app.stage_id, self.env.ref("loan_origination.loan_application_stage_contract")
        )
        self.assertTrue(app.contract_ids)

    def test_cn_consultant_creates_a_cny_application_in_chinese(self):
        user = self._demo("loan_base.user_cn_consultant_demo")
        product = self._demo("loan_servicing.loan_product_cash_cny_demo")
        self._lang(user, "zh_CN")
        self.assertEqual(user.lang, "zh_CN")
        self.start_tour("/odoo", "loan_origination_cn_consultant_tour", login=user.login)
        app = self.env["loan.application"].search(
            [("create_uid", "=", user.id), ("purpose", "=", "装修"), ("amount", "=", 12345.67)]
        )
        self.assertEqual(len(app), 1)
        self.assertEqual(app.product_id, product)
        self.assertEqual(app.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(app.company_id, self.env.ref("loan_base.res_company_shenzhen_demo"))
        self.assertEqual(app.partner_id, self.env.ref("loan_base.partner_borrower_wang_demo"))
        self.assertEqual(app.stated_income, 8000.0)
        self.assertEqual(app.document_ids.document_type_id, product.document_type_ids)


@tagged("post_install", "-at_install")
class TestOriginationRpc(HttpCase):
    """The controls as the web client reaches them, by JSON-RPC, as the demo roles."""

    _demo = TestOriginationTours._demo
    _expected_refusal = TestOriginationTours._expected_refusal

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/%s/%s" % (model, method),
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_only_an_appraiser_verifies_and_only_with_a_file(self):
        app = self._demo("loan_origination.loan_application_ngoc_demo")
        form = app.document_ids.filtered(lambda d: d.document_type_id.code == "APPLICATION")
        self.assertEqual((form.state, len(form.attachment_ids)), ("received", 0))
        self.authenticate("consultant", "consultant")
        with (
            self._expected_refusal("Only an appraiser") as refusal,
            self.assertRaises(JsonRpcException) as err,
        ):
            self._call(form._name, "action_verify", form.ids)
        self.assertEqual(err.exception.args[0], "odoo.exceptions.AccessError")
        self.authenticate("appraiser", "appraiser")
        with (
            self._expected_refusal("cannot be verified without a file") as refusal,
            self.assertRaises(JsonRpcException) as err,
        ):
            self._call(form._name, "action_verify", form.ids)
        self.assertEqual(err.exception.args[0], "odoo.exceptions.ValidationError")
        self.assertEqual(refusal.dropped, 1)
        self.assertEqual(form.state, "received")

    def test_incomplete_approval_refused_unless_a_manager_overrides(self):
        app = self._demo("loan_origination.loan_application_approval_demo")
        self._demo("loan_base.user_manager_demo")
        invoice = app.document_ids.filtered(lambda d: d.document_type_id.code == "INVOICE")
        invoice.state = "received"
        reason = self.env.ref("loan_origination.loan_decision_reason_good_score")
        wizard_vals = {"application_id": app.id, "reason_ids": [(6, 0, reason.ids)]}
        self.authenticate("approver", "approver")
        for override in (False, "Known customer"):
            wizard_id = self._call(
                "loan.application.decide", "create", dict(wizard_vals, override_reason=override)
            )
            missing = self._call("loan.application.decide", "read", [wizard_id], ["missing_items"])[
                0
            ]["missing_items"]
            self.assertIn(invoice.document_type_id.name, missing)
            with (
                self._expected_refusal("cannot be approved"),
                self.assertRaises(JsonRpcException) as err,
            ):
                self._call("loan.application.decide", "action_confirm", [wizard_id])
            self.assertEqual(err.exception.args[0], "odoo.exceptions.UserError")
        self.assertFalse(app.decision)
        self.authenticate("manager", "manager")
        wizard_id = self._call("loan.application.decide", "create", wizard_vals)
        with (
            self._expected_refusal("Give the reason"),
            self.assertRaises(JsonRpcException),
        ):
            self._call("loan.application.decide", "action_confirm", [wizard_id])
        wizard_id = self._call(
            "loan.application.decide",
            "create",
            dict(wizard_vals, override_reason="Invoice seen in the shop; scan follows"),
        )
        self._call("loan.application.decide", "action_confirm", [wizard_id])
        self.assertEqual(app.decision, "approved")
        self.assertEqual(app.decided_by_id.login, "manager")
        self.assertEqual(app.decision_override_reason, "Invoice seen in the shop; scan follows")
        self.assertIn(invoice.document_type_id.name, app.decision_override_missing)
        self.assertTrue(
            app.message_ids.filtered(
                lambda m: "Invoice seen in the shop; scan follows" in (m.body or "")
            )
        )


@tagged("post_install", "-at_install")
class TestConsultantTour(HttpCase):
    """The consultant's day in the browser, as the demo Loan Officer on demo data."""

    def test_consultant_lead_to_application(self):
        consultant = self.env.ref("loan_base.user_consultant_demo", raise_if_not_found=False)
        if not consultant:
            self.skipTest("the demo users are installed with demo data only")
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline/new",
            "loan_consultant_tour",
            login="consultant",
        )
        lead = self.env["crm.lead"].search([("name", "=", "Tour cash loan request")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.user_id, consultant)
        self.assertEqual(lead.loan_product_id.company_id, consultant.company_id)
        self.assertEqual(lead.loan_prequal_state, "qualified")
        application = lead.loan_application_ids
        self.assertEqual(len(application), 1)
        self.assertEqual(application.product_id, lead.loan_product_id)
        self.assertEqual(application.amount, 20_000_000)
        self.assertEqual(application.term, 12)
        self.assertEqual(application.partner_id, lead.partner_id)
        self.assertEqual(application.partner_id.name, "Tour Borrower Lead")
        self.assertTrue(application.partner_id.loan_is_borrower)
        self.assertEqual(application.partner_id.loan_user_id, consultant)


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

    def test_accountant_records_bank_transfers(self):
        """Today's bank statement holds a transfer for Bao's next instalment: the
        accountant records it from Loans > Bank Transactions; it is booked on the bank
        transaction's own entry and reconciled."""
        contract = self._contract("loan_application_bao_durable_demo")
        Line = self.env["account.bank.statement.line"]
        to_match = Line.search([("is_reconciled", "=", False), ("amount", ">", 0)])
        transfer = to_match.filtered(lambda line: "CK tra no hop dong" in (line.payment_ref or ""))
        self.assertEqual(len(transfer), 1, "the demo statement has the transfer")
        self.assertIn(contract.name, transfer.payment_ref)
        self.start_tour(
            "/odoo/action-loan_servicing.action_loan_bank_transactions",
            "loan_origination_accountant_bank_tour",
            login="accountant",
        )
        self.env.invalidate_all()
        receipt = transfer.loan_receipt_id
        self.assertEqual(receipt.state, "posted")
        self.assertEqual(receipt.contract_id, contract)
        self.assertEqual(receipt.create_uid, self.accountant)
        self.assertEqual(receipt.move_id, transfer.move_id)
        self.assertTrue(transfer.is_reconciled)

    def test_accountant_disburses_receives_and_prints(self):
        self.assertEqual(self.accountant.lang, "vi_VN")
        signed = self._contract("loan_application_hoa_cash_demo")
        self.assertEqual(signed.state, "signed")
        self.start_tour(
            "/odoo/action-loan_servicing.loan_contract_action/%d" % signed.id,
            "loan_origination_accountant_disburse_tour",
            login="accountant",
        )
        self.env.invalidate_all()
        self.assertEqual(signed.state, "active")
        self.assertEqual(signed.disbursed_by_id, self.accountant)
        self.assertIn(("loan_servicing.report_loan_payment_voucher", (signed.id,)), self.printed)

        active = self._contract("loan_application_bao_durable_demo")
        self.assertIn(active.state, ("active", "overdue"))
        before = active.receipt_ids
        self.start_tour(
            "/odoo/action-loan_servicing.loan_contract_action/%d" % active.id,
            "loan_origination_accountant_receipt_tour",
            login="accountant",
        )
        self.env.invalidate_all()
        receipt = active.receipt_ids - before
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.state, "posted")
        self.assertEqual(receipt.amount, 1_500_000)
        self.assertEqual(receipt.create_uid, self.accountant)
        self.assertIn(("loan_servicing.report_loan_receipt_voucher", (receipt.id,)), self.printed)
        self.assertIn(
            ("loan_servicing.report_loan_borrower_statement", (active.partner_id.id,)),
            self.printed,
        )
