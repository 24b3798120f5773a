import shutil

from lxml import html as lxml_html

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import LoanServicingCommon


def text_of(document, css_class):
    """Text of the element of ``css_class`` in a rendered voucher."""
    nodes = document.xpath("//*[contains(concat(' ', @class, ' '), ' %s ')]" % css_class)
    return " ".join(" ".join(nodes[0].itertext()).split()) if nodes else None


@tagged("post_install", "-at_install")
class TestVoucher(LoanServicingCommon):
    """Receipt and payment vouchers on the Vietnamese forms 01-TT and 02-TT, in the reader's
    language, dated in the company's format, printed from visible buttons; the borrower
    statement from the borrower's form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("vi_VN", "zh_CN"):
            cls.env["res.lang"]._activate_lang(code)
        cls.company.partner_id.write(
            {
                "lang": "vi_VN",
                "street": "12 Nguyễn Huệ, Phường Bến Nghé",
                "city": "Quận 1",
                "state_id": cls.env.ref("base.state_vn_VN-SG").id,
            }
        )
        cls.borrower.write({"street": "45 Lê Lợi", "city": "Hồ Chí Minh"})

    def _render(self, user, report, records):
        # as the web client prints: as the user, in the user's language
        content = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=user.lang)
            ._render_qweb_html(report, records.ids)[0]
            .decode()
        )
        return content, lxml_html.fromstring(content)

    def _vietnamese(self):
        # with or without demo data: Vietnamese active and this module's translations loaded
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["loan_servicing"], ["vi_VN"])

    def test_receipt_voucher_in_vietnamese(self):
        self._vietnamese()
        contract = self._active_contract()
        self.accountant.lang = "vi_VN"
        receipt = self._pay(contract, 3_000_000)
        content, doc = self._render(
            self.accountant, "loan_servicing.action_report_loan_receipt_voucher", receipt
        )
        self.assertEqual(text_of(doc, "o_loan_voucher_words"), "Ba triệu đồng")
        self.assertNotIn("Three Million", content)
        # the company's language (Vietnamese) writes dates day first
        self.assertEqual(text_of(doc, "o_loan_voucher_date"), "20/12/2026")
        self.assertEqual(text_of(doc, "o_loan_voucher_number"), receipt.name)
        self.assertEqual(text_of(doc, "o_loan_voucher_partner"), self.borrower.name)
        self.assertEqual(
            text_of(doc, "o_loan_voucher_partner_address"), "45 Lê Lợi, Hồ Chí Minh, Vietnam"
        )
        self.assertIn(contract.name, text_of(doc, "o_loan_voucher_reason"))
        address = text_of(doc, "o_loan_voucher_company_address")
        self.assertIn("TP Hồ Chí Minh", address)
        self.assertNotIn("California", address)
        # Nợ the bank or cash account the money came in, Có the loan receivables
        move = receipt.sudo().move_id
        debit = move.line_ids.filtered(lambda line: line.debit > 0).account_id
        self.assertEqual(
            text_of(doc, "o_loan_voucher_debit"), ", ".join(sorted(debit.mapped("code")))
        )
        self.assertIn(
            self.product.account_receivable_id.code, text_of(doc, "o_loan_voucher_credit")
        )
        self.assertIn("01-TT", content)
        self.assertEqual(doc.xpath("//div[@data-voucher-kind]/@data-voucher-kind"), ["receipt"])
        signatures = doc.xpath("//table[contains(@class, 'o_loan_voucher_signatures')]//strong")
        self.assertEqual(
            [s.text for s in signatures],
            ["Giám đốc", "Kế toán trưởng", "Người nộp tiền", "Người lập phiếu", "Thủ quỹ"],
        )

    def test_voucher_in_the_readers_language(self):
        self.accountant.lang = "en_US"
        contract = self._active_contract()
        receipt = self._pay(contract, 3_000_000)
        _content, doc = self._render(
            self.accountant, "loan_servicing.action_report_loan_receipt_voucher", receipt
        )
        self.assertEqual(text_of(doc, "o_loan_voucher_words"), "Three Million Dong")
        # an English reader of a Vietnamese company still reads its dates day first
        self.assertEqual(text_of(doc, "o_loan_voucher_date"), "20/12/2026")
        self.accountant.lang = "zh_CN"
        _content, doc = self._render(
            self.accountant, "loan_servicing.action_report_loan_receipt_voucher", receipt
        )
        self.assertEqual(text_of(doc, "o_loan_voucher_words"), "叁佰万越南盾整")
        cny = self.env.ref("base.CNY")
        self.assertEqual(
            cny._loan_amount_in_words(1234.56, "zh_CN"), "人民币壹仟贰佰叁拾肆元伍角陆分"
        )
        self.assertEqual(
            self.env.ref("base.VND")._loan_amount_in_words(12_277_281, "vi_VN"),
            "Mười hai triệu hai trăm bảy mươi bảy nghìn hai trăm tám mươi mốt đồng",
        )

    def test_payment_vouchers_of_the_disbursement(self):
        self._vietnamese()
        contract = self._active_contract()
        self.accountant.lang = "vi_VN"
        payment = contract.disbursement_payment_id
        _content, doc = self._render(
            self.accountant, "loan_servicing.action_report_loan_payment_voucher", contract
        )
        self.assertEqual(doc.xpath("//div[@data-voucher-kind]/@data-voucher-kind"), ["payment"])
        self.assertEqual(text_of(doc, "o_loan_voucher_number"), payment.name)
        self.assertEqual(text_of(doc, "o_loan_voucher_date"), "20/11/2026")
        words = self.env.ref("base.VND")._loan_amount_in_words(contract.net_disbursed, "vi_VN")
        self.assertEqual(text_of(doc, "o_loan_voucher_words"), words)
        self.assertIn(self.product.account_receivable_id.code, text_of(doc, "o_loan_voucher_debit"))
        signatures = doc.xpath("//table[contains(@class, 'o_loan_voucher_signatures')]//strong")
        self.assertEqual(signatures[2].text, "Người nhận tiền")
        # the same voucher from the payment; a receipt's payment prints a receipt voucher
        receipt = self._pay(contract, 1_000_000)
        payments = payment | receipt.sudo().payment_id
        content, doc = self._render(
            self.accountant,
            "loan_servicing.action_report_loan_outbound_payment_voucher",
            payments.with_user(self.accountant),
        )
        self.assertEqual(
            doc.xpath("//div[@data-voucher-kind]/@data-voucher-kind"), ["payment", "receipt"]
        )
        self.assertIn("02-TT", content)
        self.assertIn("01-TT", content)

    def test_print_buttons(self):
        contract = self._active_contract()
        receipt = self._pay(contract, 1_000_000)
        action = receipt.action_print_voucher()
        self.assertEqual(action["report_name"], "loan_servicing.report_loan_receipt_voucher")
        self.assertEqual(action["context"]["active_ids"], receipt.ids)
        action = contract.action_print_payment_voucher()
        self.assertEqual(action["report_name"], "loan_servicing.report_loan_payment_voucher")
        action = contract.disbursement_payment_id.with_user(
            self.accountant
        ).action_loan_print_voucher()
        self.assertEqual(
            action["report_name"], "loan_servicing.report_loan_outbound_payment_voucher"
        )
        draft = (
            self.env["loan.receipt"]
            .with_user(self.accountant)
            .create({"contract_id": contract.id, "amount": 500_000})
        )
        with self.assertRaises(UserError):
            draft.action_print_voucher()
        signed = self._approved(fees=False)[1]
        with self.assertRaises(UserError):
            signed.with_user(self.accountant).action_print_payment_voucher()
        # the buttons are on the forms the accountant opens
        for model, button in (
            ("loan.receipt", "action_print_voucher"),
            ("loan.contract", "action_print_payment_voucher"),
            ("account.payment", "action_loan_print_voucher"),
        ):
            arch = self.env[model].with_user(self.accountant).get_view(view_type="form")["arch"]
            self.assertIn('name="%s"' % button, arch, model)
        statement = self.env.ref("loan_servicing.action_report_loan_borrower_statement")
        arch = self.env["res.partner"].with_user(self.accountant).get_view(view_type="form")["arch"]
        self.assertIn('name="%d"' % statement.id, arch)
        arch = self.env["res.partner"].with_user(self.internal).get_view(view_type="form")["arch"]
        self.assertNotIn('name="%d"' % statement.id, arch)

    def test_borrower_statement(self):
        contract = self._active_contract()
        receipt = self._pay(contract, 1_000_000)
        content, _doc = self._render(
            self.accountant, "loan_servicing.action_report_loan_borrower_statement", self.borrower
        )
        self.assertIn(self.borrower.name, content)
        self.assertIn(contract.name, content)
        self.assertIn(receipt.name, content)
        with self.assertRaises(AccessError):
            self._render(
                self.internal,
                "loan_servicing.action_report_loan_borrower_statement",
                self.borrower,
            )


@tagged("post_install", "-at_install")
class TestDemoVoucher(TransactionCase):
    """On the demo database, as the demo accountant in her language: the voucher of a demo
    receipt is in Vietnamese with the company's Vietnamese address."""

    def test_demo_receipt_voucher(self):
        accountant = self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False)
        if not accountant:
            self.skipTest("no demo data")
        receipt = self.env["loan.receipt"].search(
            [("state", "=", "posted"), ("company_id", "=", self.env.ref("base.main_company").id)],
            limit=1,
        )
        self.assertTrue(receipt, "the demo accountant recorded receipts")
        content = (
            self.env["ir.actions.report"]
            .with_user(accountant)
            .with_context(lang=accountant.lang)
            ._render_qweb_html("loan_servicing.action_report_loan_receipt_voucher", receipt.ids)[0]
            .decode()
        )
        doc = lxml_html.fromstring(content)
        words = receipt.currency_id._loan_amount_in_words(receipt.amount, "vi_VN")
        self.assertTrue(words.endswith(" đồng"))
        self.assertEqual(text_of(doc, "o_loan_voucher_words"), words)
        self.assertEqual(text_of(doc, "o_loan_voucher_date"), receipt.date.strftime("%d/%m/%Y"))
        address = text_of(doc, "o_loan_voucher_company_address")
        self.assertIn("TP Hồ Chí Minh", address)
        self.assertNotIn("California", address)


@tagged("post_install", "-at_install")
class TestVoucherPdf(LoanServicingCommon, HttpCase):
    """One voucher printed as a PDF by wkhtmltopdf (Debian's build prints one document at a
    time). An HttpCase: wkhtmltopdf fetches the report's styles from this test server,
    which must see the test transaction."""

    def test_one_voucher_as_pdf(self):
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed (./dev installs it)")
        contract = self._active_contract()
        receipt = self._pay(contract, 1_000_000)
        # Debian's wkhtmltopdf (unpatched Qt) warns that it ignores header and footer options
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.accountant)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("loan_servicing.action_report_loan_receipt_voucher", receipt.ids)
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
