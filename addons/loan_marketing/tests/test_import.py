import base64
import csv
import io
from datetime import date

import xlsxwriter

from odoo.addons.loan_marketing.wizard import loan_lead_import
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

MARKETING = "loan_marketing.group_loan_marketing_user"
LEAD_HEADER = [
    "STT",
    "Họ và tên",
    "Số điện thoại",
    "Tỉnh/Thành phố",
    "Số tiền vay",
    "Kỳ hạn (tháng)",
    "Đồng ý xử lý dữ liệu",
    "Đồng ý nhận quảng cáo",
    "Ghi chú",
]
# row 2 and 3 new; row 4 the same number as row 2; row 5 the number of an existing lead;
# row 6 without consent, row 7 a number that is not one, row 8 without a number
LEAD_ROWS = [
    ["1", "Nguyễn Văn An", "0901 234 561", "Hà Nội", "20.000.000", "12", "Đồng ý", "có", ""],
    ["2", "Trần Thị Bình", "0901234562", "", "15,000,000", "6", "x", "", "hội chợ"],
    ["3", "Nguyễn Văn An", "+84 901 234 561", "", "", "", "Đồng ý", "", "đến lần hai"],
    ["4", "Lê Existing", "0912 345 678", "", "", "", "có", "", ""],
    ["5", "Phạm Không Đồng Ý", "0901 234 565", "", "", "", "", "", ""],
    ["6", "Vũ Số Sai", "12345", "", "", "", "Đồng ý", "", ""],
    ["7", "Đỗ Không Số", "", "", "", "", "Đồng ý", "", ""],
]


def csv_file(header, rows, delimiter=";"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return base64.b64encode(buffer.getvalue().encode("utf-8-sig"))


def xlsx_file(header, rows):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for col, value in enumerate(header):
        sheet.write(0, col, value)
    for row_index, row in enumerate(rows, 1):
        for col, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(row_index, col, value, date_format)
            else:
                sheet.write(row_index, col, value)
    book.close()
    return base64.b64encode(buffer.getvalue())


class LoanImportCommon(TransactionCase):
    """A Vietnamese lender, a marketing user and a consultant, an event channel and a
    Facebook one, a campaign, and an import source bringing leads to the campaign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.vn")
        cls.marketer = new_test_user(cls.env, "t_import_marketer", MARKETING)
        cls.consultant = new_test_user(
            cls.env, "t_import_consultant", "loan_base.group_loan_officer"
        )
        Channel = cls.env["loan.marketing.channel"]
        cls.channel = Channel.create({"name": "Test event", "code": "t_event"})
        cls.channel_fb = Channel.create({"name": "Test Facebook Ads", "code": "t_fb"})
        cls.campaign = cls.env["utm.campaign"].create(
            {"name": "Test import campaign", "loan_is_lending": True}
        )
        cls.source = cls.env["loan.lead.source"].create(
            {
                "name": "Test event sheet",
                "code": "t-event-sheet",
                "kind": "import",
                "channel_id": cls.channel.id,
                "campaign_id": cls.campaign.id,
            }
        )


@tagged("post_install", "-at_install")
class TestLeadImport(LoanImportCommon):
    """A marketing user imports an event's sheet: the preview refuses the rows without
    consent or a valid number and writes nothing; the import creates the new leads, records
    repeats as touches and hands back the rejected rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        result = cls.env["crm.lead"]._loan_capture(
            cls.source,
            [{"name": "Lê Existing", "phone": "0912345678", "consent_data": "yes"}],
        )
        cls.existing = cls.env["crm.lead"].browse(result[0]["lead_id"])

    def _wizard(self, file, file_name="hoi-cho.csv", user=None):
        return (
            self.env["loan.lead.import"]
            .with_user(user or self.marketer)
            .create({"source_id": self.source.id, "file": file, "file_name": file_name})
        )

    def _counts(self):
        return {
            model: self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in ("crm.lead", "res.partner", "loan.lead.touch", "loan.consent")
        }

    def _lead(self, phone):
        return self.env["crm.lead"].sudo().search([("loan_phone", "=", phone)])

    def test_preview_writes_nothing(self):
        before = self._counts()
        wizard = self._wizard(csv_file(LEAD_HEADER, LEAD_ROWS))
        self.assertEqual(wizard.campaign_id, self.campaign, "the source's campaign by default")
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(
            {line.column: line.target for line in wizard.line_ids},
            {
                "STT": "ignore",
                "Họ và tên": "name",
                "Số điện thoại": "phone",
                "Tỉnh/Thành phố": "province",
                "Số tiền vay": "amount",
                "Kỳ hạn (tháng)": "term",
                "Đồng ý xử lý dữ liệu": "consent_data",
                "Đồng ý nhận quảng cáo": "consent_marketing",
                "Ghi chú": "note",
            },
        )
        phone_line = wizard.line_ids.filtered(lambda line: line.target == "phone")
        self.assertEqual(phone_line.sample, "0901 234 561")
        self.assertEqual(
            (wizard.row_count, wizard.new_count, wizard.repeat_count, wizard.problem_count),
            (7, 2, 2, 3),
        )
        html = str(wizard.preview_html)
        self.assertIn("silence is not consent", html, "row 6: no consent")
        self.assertIn("A phone number is required", html, "row 8: no number")
        self.assertIn("Vũ Số Sai", html)
        self.assertEqual(self._counts(), before, "a preview writes nothing")

    def test_import_creates_touches_and_rejects(self):
        # chunks of two rows: a repeat of a number captured in an earlier chunk is a touch
        self.patch(loan_lead_import, "CHUNK", 2)
        consents = self.env["loan.consent"].sudo().search_count([])
        wizard = self._wizard(csv_file(LEAD_HEADER, LEAD_ROWS))
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual((wizard.created_count, wizard.touch_count, wizard.error_count), (2, 2, 3))
        an, binh = self._lead("0901234561"), self._lead("0901234562")
        self.assertEqual(len(an), 1, "the same number twice makes one lead")
        self.assertEqual(len(binh), 1)
        self.assertFalse(self._lead("0901234565"), "no consent: never imported")
        self.assertEqual(wizard.lead_ids, an | binh | self.existing)
        self.assertEqual(an.loan_source_id, self.source)
        self.assertEqual(an.campaign_id, self.campaign)
        self.assertEqual(an.loan_channel_id, self.channel)
        self.assertEqual(an.loan_amount, 20_000_000, "dots group the thousands")
        self.assertEqual(binh.loan_amount, 15_000_000)
        self.assertEqual(an.loan_term, 12)
        self.assertEqual(an.loan_province_id, self.env.ref("base.state_vn_VN-HN"))
        self.assertIn("hội chợ", binh.description)
        self.assertEqual(len(an.loan_touch_ids), 2, "the capture and the repeat")
        self.assertEqual(len(self.existing.loan_touch_ids), 2)
        # data processing for both, marketing for An only
        self.assertEqual(self.env["loan.consent"].sudo().search_count([]) - consents, 3)
        # the rejected rows, as they came, with their row number and reason
        self.assertEqual(wizard.error_file_name, "rejected-hoi-cho.csv")
        content = base64.b64decode(wizard.error_file).decode("utf-8-sig")
        rejected = list(csv.reader(io.StringIO(content)))
        self.assertEqual(rejected[0], [*LEAD_HEADER, "Row", "Error"])
        self.assertEqual([row[-2] for row in rejected[1:]], ["6", "7", "8"])
        self.assertEqual(rejected[1][:-2], LEAD_ROWS[4])
        self.assertIn("consent", rejected[1][-1])
        self.assertTrue(
            self.env["ir.attachment"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", "loan.lead.import"),
                    ("res_id", "=", wizard.id),
                    ("res_field", "=", "error_file"),
                ]
            )
        )
        self.assertIn("Vũ Số Sai", str(wizard.result_html) + content)
        action = wizard.action_view_leads()
        self.assertEqual(action["domain"], [("id", "in", wizard.lead_ids.ids)])

    def test_import_xlsx(self):
        header = ["Name", "Phone", "Email", "Amount", "Consent", "Marketing consent"]
        rows = [
            ["Xlsx Một", 901234571, "mot@example.com", 30_000_000, "yes", "no"],
            ["Xlsx Hai", "0901 234 572", "", 10_000_000, "", ""],
        ]
        wizard = self._wizard(xlsx_file(header, rows), "agent.xlsx")
        wizard.action_preview()
        self.assertEqual(wizard.problem_count, 1)
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.error_count), (1, 1))
        lead = self._lead("0901234571")
        self.assertEqual(lead.email_from, "mot@example.com")
        self.assertEqual(lead.loan_amount, 30_000_000)
        self.assertFalse(self._lead("0901234572"))

    def test_edited_mapping(self):
        """The user's path in the form: upload, preview, correct the guessed columns."""
        header = ["Khách hàng", "Số", "Ghi", "Consent"]
        rows = [["Mapped By Hand", "0901234581", "0901234589", "1"]]
        form = Form(self.env["loan.lead.import"].with_user(self.marketer))
        form.source_id = self.source
        form.file = csv_file(header, rows, ",")
        wizard = form.save()
        wizard.action_preview()
        self.assertIn("phone number", wizard.mapping_error, "said, for the user to map it")
        self.assertEqual(
            wizard.line_ids.mapped("target"), ["name", "ignore", "ignore", "consent_data"]
        )
        with self.assertRaisesRegex(UserError, "phone number"):
            wizard.action_import()
        with Form(wizard) as form:
            for index in (1, 2):
                with form.line_ids.edit(index) as line:
                    line.target = "phone"
        with self.assertRaisesRegex(UserError, "Two columns"):
            wizard.action_import()
        with Form(wizard) as form, form.line_ids.edit(2) as line:
            line.target = "note"
        wizard.action_preview()
        self.assertFalse(wizard.mapping_error)
        self.assertEqual(wizard.new_count, 1, "the edited mapping is kept")
        wizard.action_import()
        self.assertIn("0901234589", self._lead("0901234581").description)
        with self.assertRaisesRegex(UserError, "imported already"):
            wizard.action_import()

    def test_refusals(self):
        with self.assertRaisesRegex(UserError, "Upload"):
            self._wizard(False).action_preview()
        with self.assertRaisesRegex(UserError, "cannot be read"):
            self._wizard(base64.b64encode(b"PK\x03\x04broken"), "broken.xlsx").action_preview()
        with self.assertRaisesRegex(UserError, "cannot be read"):
            self._wizard(base64.b64encode("Tên;SĐT".encode("utf-16")), "x.csv").action_preview()
        before = self.env["crm.lead"].sudo().search_count([])
        no_consent = self._wizard(csv_file(["Name", "Phone"], [["A", "0901234591"]]))
        no_consent.action_preview()
        self.assertIn("consent", no_consent.mapping_error)
        with self.assertRaisesRegex(UserError, "consent"):
            no_consent.action_import()
        no_phone = self._wizard(csv_file(["Name", "Consent"], [["A", "yes"]]))
        no_phone.action_preview()
        with self.assertRaisesRegex(UserError, "phone number"):
            no_phone.action_import()
        self.assertEqual(self.env["crm.lead"].sudo().search_count([]), before)

    def test_consultant_refused(self):
        with self.assertRaises(AccessError):
            self._wizard(csv_file(LEAD_HEADER, LEAD_ROWS), user=self.consultant)


@tagged("post_install", "-at_install")
class TestCampaignCostImport(LoanImportCommon):
    """A marketing user imports a campaign's spend export: days already recorded are
    corrected, the others added; one wrong row and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls.env["loan.campaign.cost"].create(
            {
                "campaign_id": cls.campaign.id,
                "date": "2026-11-01",
                "channel_id": cls.channel_fb.id,
                "amount": 100,
            }
        )

    def _import(self, file, file_name="spend.csv", **vals):
        wizard = (
            self.env["loan.campaign.cost.import"]
            .with_user(self.marketer)
            .with_context(active_model="utm.campaign", active_id=self.campaign.id)
            .create({"file": file, "file_name": file_name, **vals})
        )
        self.assertEqual(wizard.campaign_id, self.campaign)
        return wizard.action_import()

    def _costs(self):
        return {
            (str(cost.date), cost.channel_id.code): (cost.amount, cost.impressions, cost.clicks)
            for cost in self.env["loan.campaign.cost"].search(
                [("campaign_id", "=", self.campaign.id)]
            )
        }

    def test_upsert(self):
        header = ["Day", "Channel", "Amount spent (VND)", "Impressions", "Cost per result"]
        rows = [
            ["2026-11-01", "t_fb", "250000", "1000", "5"],
            ["02/11/2026", "Test Facebook Ads", "300,000", "1200", "6"],
            ["2026-11-02", "T_EVENT", "50000", "", ""],
            ["2026-11-02", "t_event", "25000", "", ""],
            ["", "Total", "625000", "2200", ""],
        ]
        result = self._import(csv_file(header, rows, ","))
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(
            self._costs(),
            {
                ("2026-11-01", "t_fb"): (250_000, 1000, 0),
                ("2026-11-02", "t_fb"): (300_000, 1200, 0),
                ("2026-11-02", "t_event"): (75_000, 0, 0),
            },
        )
        self.assertEqual(self.first.amount, 250_000, "the existing day corrected in place")

    def test_default_channel_xlsx(self):
        header = ["Ngày", "Số tiền đã chi tiêu (VND)", "Lượt nhấp vào liên kết"]
        rows = [[date(2026, 11, 3), 120_000, 14], ["2026-11-01", 90_000, 9]]
        self._import(xlsx_file(header, rows), "zalo.xlsx", channel_id=self.channel_fb.id)
        costs = self._costs()
        self.assertEqual(costs[("2026-11-03", "t_fb")], (120_000, 0, 14))
        self.assertEqual(costs[("2026-11-01", "t_fb")], (90_000, 0, 9))

    def test_bad_rows_write_nothing(self):
        count = self.env["loan.campaign.cost"].search_count([])
        header = ["Date", "Channel", "Amount"]
        rows = [
            ["2026-11-01", "t_fb", "999"],
            ["2026-11-05", "t_fb", "-5"],
            ["2026-13-01", "t_fb", "10"],
            ["2026-11-06", "tiktok", "10"],
            ["2026-11-07", "t_event", "ten"],
        ]
        with self.assertRaises(UserError) as caught:
            self._import(csv_file(header, rows))
        message = caught.exception.args[0]
        self.assertIn("Nothing was imported: 4 rows are wrong", message)
        self.assertIn("Row 3: the amount -5 is negative", message)
        self.assertIn("Row 4: the date 2026-13-01", message)
        self.assertIn("Row 5: the channel tiktok is unknown", message)
        self.assertIn("Row 6: the amount ten is not a number", message)
        self.assertEqual(self.env["loan.campaign.cost"].search_count([]), count)
        self.assertEqual(self.first.amount, 100)
        with self.assertRaisesRegex(UserError, "default channel"):
            self._import(csv_file(["Date", "Amount"], [["2026-11-01", "5"]]))
        with self.assertRaisesRegex(UserError, "No amount column"):
            self._import(csv_file(["Date", "Channel"], [["2026-11-01", "t_fb"]]))
