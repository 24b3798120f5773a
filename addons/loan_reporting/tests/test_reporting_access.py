import io
import zipfile

import openpyxl
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..report.masking import mask_name
from .common import MONTH_ENDS, ReportingCommon

REPORTS = [
    "loan.portfolio.snapshot",
    "loan.portfolio.daily",
    "report.loan.roll.rate",
    "report.loan.vintage",
]
# finance: accountants and compliance (and managers, who are both)
FINANCE = [
    "report.loan.subledger",
    "report.loan.receipt.book",
    "report.loan.disbursement",
    "report.loan.revenue",
    "report.loan.finance.daily",
    "report.loan.cash",
    "report.loan.receivable.ageing",
    "report.loan.waiver.budget",
]


@tagged("post_install", "-at_install")
class TestReportingAccess(ReportingCommon):
    """Role by action: who reads which figures, of which teams and companies; nobody
    writes them; only an administrator rebuilds history; the classification list masks
    identity numbers."""

    def _ours(self, user, model, day=None):
        Model = self.env[model].with_user(user)
        domain = [("product_id", "=", self.product.id)] if "product_id" in Model else []
        if day:
            domain.append(("date", "=", day))
        return Model.search(domain)

    def test_role_by_action_matrix(self):
        day = MONTH_ENDS[-1]
        ours = len(self.states[day])
        # (user, model) -> rows of ours expected, or None when refused
        readers = {
            self.accountant: ours,
            self.compliance: ours,
            self.manager: ours,
            self.appraiser: ours,  # leads the sales team of our loans
            self.other_lead: 0,  # leads another team
            self.teamlead: 0,  # a collection team lead: not the sales team
        }
        for user, expected in readers.items():
            with self.subTest(user=user.login, model="loan.portfolio.snapshot"):
                self.assertEqual(len(self._ours(user, "loan.portfolio.snapshot", day)), expected)
            with self.subTest(user=user.login, model="report.loan.roll.rate"):
                rolled = self._ours(user, "report.loan.roll.rate", day)
                # into the last month end: the contracts open at the one before
                before = len(self.states[MONTH_ENDS[-2]]) if expected else 0
                self.assertEqual(sum(rolled.mapped("contract_count")), before)
            with self.subTest(user=user.login, model="loan.portfolio.daily"):
                rows = self._ours(user, "loan.portfolio.daily", day)
                self.assertEqual(sum(rows.mapped("contract_count")), expected)
        for user in (self.accountant, self.compliance, self.manager):
            self.assertTrue(self._ours(user, "report.loan.vintage"))
        for user in (self.appraiser, self.teamlead):
            with self.assertRaises(AccessError):
                self._ours(user, "report.loan.vintage")
        for model in FINANCE:
            for user in (self.accountant, self.compliance, self.manager):
                with self.subTest(user=user.login, model=model):
                    self.env[model].with_user(user).search([], limit=1)
            for user in (self.appraiser, self.teamlead, self.officer, self.collector):
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([], limit=1)
        readable = {
            "report.loan.origination": (self.appraiser, self.compliance, self.manager),
            "report.loan.decision.reason": (self.appraiser, self.compliance, self.manager),
            "report.loan.collection.efficiency": (
                self.teamlead,
                self.accountant,
                self.compliance,
            ),
        }
        for model, allowed in readable.items():
            for user in (self.accountant, self.appraiser, self.teamlead, self.officer):
                with self.subTest(user=user.login, model=model):
                    if user in allowed:
                        self.env[model].with_user(user).search([], limit=1)
                    else:
                        with self.assertRaises(AccessError):
                            self.env[model].with_user(user).search([], limit=1)
        for user in (self.officer, self.collector, self.internal):
            for model in REPORTS:
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self._ours(user, model)
        # nobody writes the figures, not even a manager
        row = self._ours(self.manager, "loan.portfolio.snapshot", day)[:1]
        with self.assertRaises(AccessError):
            row.write({"dpd": 0})
        with self.assertRaises(AccessError):
            row.unlink()
        money = self.env["report.loan.finance.daily"].with_user(self.accountant).search([], limit=1)
        self.assertTrue(money)
        with self.assertRaises(AccessError):
            money.write({"amount": 0})
        with self.assertRaises(AccessError):
            money.unlink()

    def test_other_company_sees_none_of_ours(self):
        other = self.env["res.company"].create({"name": "Other lender"})
        self.accountant.write({"company_ids": [(4, other.id)]})
        for model in REPORTS + FINANCE:
            Model = self.env[model].with_user(self.accountant).with_company(other)
            Model = Model.with_context(allowed_company_ids=[other.id])
            self.assertFalse(Model.search([]), model)

    def test_only_an_administrator_rebuilds_history(self):
        Snapshot = self.env["loan.portfolio.snapshot"]
        for user in (self.accountant, self.manager):
            with self.assertRaises(AccessError):
                Snapshot.with_user(user)._rebuild("2026-10-01", "2026-10-31")
            with self.assertRaises(AccessError):
                self.env["loan.portfolio.rebuild"].with_user(user).create(
                    {"date_from": "2026-10-01", "date_to": "2026-10-31"}
                )
        wizard = (
            self.env["loan.portfolio.rebuild"]
            .with_user(self.lending_admin)
            .create({"date_from": "2026-10-01", "date_to": "2026-10-31"})
        )
        action = wizard.action_rebuild()
        self.assertEqual(action["params"]["type"], "success")

    def test_classification_list_xlsx(self):
        day = MONTH_ENDS[-1]
        wizard = (
            self.env["loan.classification.list"].with_user(self.accountant).create({"date": day})
        )
        action = wizard.action_download()
        self.assertEqual(action["report_type"], "xlsx")
        report = self.env["ir.actions.report"].with_user(self.accountant)
        content, kind = report._render_xlsx(
            "loan_reporting.classification_xlsx", wizard.ids, data=action["data"]
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheet = book.worksheets[0]
        rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
        snapshots = self.env["loan.portfolio.snapshot"].with_user(self.accountant)
        everyone = snapshots.search([("date", "=", day)])
        self.assertEqual(len(rows), len(everyone))
        names = {r[0] for r in rows}
        self.assertTrue(set(self.mine.mapped("name")) & names)
        text = repr(rows)
        self.assertNotIn("079195000567", text, "identity numbers masked")
        self.assertIn(self.borrower.loan_id_number_mask, text)
        self.assertNotIn(self.borrower.name, text, "names masked")
        self.assertIn(mask_name(self.borrower.name), text)
        # the totals sheet adds up to the list
        totals = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
        self.assertEqual(totals[-1][1], len(everyone))
        self.assertEqual(round(totals[-1][2]), round(sum(everyone.mapped("outstanding_principal"))))

    def test_classification_list_refusals(self):
        with self.assertRaises(AccessError):
            self.env["loan.classification.list"].with_user(self.officer).create(
                {"date": MONTH_ENDS[-1]}
            )
        wizard = (
            self.env["loan.classification.list"]
            .with_user(self.accountant)
            .create({"date": "2026-11-15"})
        )
        with self.assertRaisesRegex(Exception, "no month-end snapshot"):
            wizard.action_download()
        outsider = new_test_user(self.env, "t_outsider_acc", "loan_base.group_loan_accountant")
        other = self.env["res.company"].create({"name": "Foreign lender"})
        with self.assertRaisesRegex(Exception, "your companies"):
            self.env["loan.classification.list"].with_user(outsider)._checked_data(
                {"date": str(MONTH_ENDS[-1]), "company_ids": [other.id]}
            )

    def test_management_pack_xlsx(self):
        wizard = (
            self.env["loan.management.pack"]
            .with_user(self.accountant)
            .create({"date_from": "2026-10-01", "date_to": "2027-01-31"})
        )
        action = wizard.action_download()
        report = self.env["ir.actions.report"].with_user(self.accountant)
        content, _kind = report._render_xlsx(
            "loan_reporting.management_pack_xlsx", wizard.ids, data=action["data"]
        )
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        self.assertEqual(len([n for n in names if n.startswith("xl/charts/chart")]), 7)
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(book.worksheets), 5)
        portfolio = book.worksheets[0]
        rows = [r for r in portfolio.iter_rows(min_row=4, values_only=True) if r[0]]
        Daily = self.env["loan.portfolio.daily"].with_user(self.accountant)
        self.assertEqual([r[0].date() for r in rows], MONTH_ENDS)
        for row in rows:
            day = row[0].date()
            figures = Daily.search([("date", "=", day)])
            self.assertEqual(row[1], sum(figures.mapped("contract_count")))
            self.assertAlmostEqual(row[2], sum(figures.mapped("outstanding_principal")))
            self.assertAlmostEqual(row[3], sum(figures.mapped("par30_amount")))
        # an appraiser reads the portfolio of a team but not the books: refused
        with self.assertRaises(AccessError):
            self.env["loan.management.pack"].with_user(self.appraiser).create(
                {"date_from": "2026-10-01", "date_to": "2027-01-31"}
            )
        with self.assertRaises(AccessError):
            self.env["loan.management.pack"].with_user(self.appraiser)._checked_data(
                {"date_from": "2026-10-01", "date_to": "2027-01-31"}
            )
        with self.assertRaisesRegex(Exception, "start is on or before"):
            wizard._checked_data({"date_from": "2027-01-31", "date_to": "2026-10-01"})

    def test_customer_care_tickets_and_sla(self):
        Category = self.env["helpdesk.ticket.category"].sudo()
        complaint = Category.create(
            {"name": "T complaint", "loan_kind": "complaint", "loan_sla_hours": 24}
        )
        about = Category.create(
            {"name": "T collector", "loan_kind": "collector_complaint", "loan_sla_hours": 48}
        )
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.create(
            [
                {"name": "On time", "description": "x", "category_id": complaint.id},
                {"name": "Late", "description": "x", "category_id": complaint.id},
                {
                    "name": "About a collector",
                    "description": "x",
                    "category_id": about.id,
                    "loan_collector_id": self.collector.id,
                },
            ]
        )
        self.env.flush_all()
        for ticket, hours in zip(tickets[:2], (10, 30), strict=True):
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = now() AT TIME ZONE 'UTC' - interval"
                " '3 days', closed_date = now() AT TIME ZONE 'UTC' - interval '3 days'"
                " + make_interval(hours => %s),"
                " loan_sla_deadline = now() AT TIME ZONE 'UTC' - interval '2 days'"
                " WHERE id = %s",
                [hours, ticket.id],
            )
        Report = self.env["report.loan.ticket"].with_user(self.compliance)
        rows = Report.search([("ticket_id", "in", tickets.ids)])
        self.assertEqual(sum(rows.mapped("ticket_count")), 3)
        self.assertEqual(sum(rows.mapped("in_sla_count")), 1)
        self.assertEqual(sum(rows.mapped("late_count")), 1)
        self.assertEqual(sum(rows.mapped("closed_count")), 2)
        groups = Report._read_group([("ticket_id", "in", tickets.ids)], [], ["hours_to_close:avg"])
        self.assertAlmostEqual(groups[0][0], 20.0, places=3)
        about_row = rows.filtered(lambda r: r.loan_kind == "collector_complaint")
        self.assertEqual(about_row.collector_id, self.collector)
        # a collection team lead sees the tickets of their teams' cases only
        lead_rows = (
            self.env["report.loan.ticket"]
            .with_user(self.teamlead)
            .search([("ticket_id", "in", tickets.ids)])
        )
        self.assertFalse(lead_rows)
        with self.assertRaises(AccessError):
            self.env["report.loan.ticket"].with_user(self.accountant).search([])

    def test_management_summary_pdf(self):
        """The pack's PDF summary shows the same month ends as the portfolio figures."""
        wizard = (
            self.env["loan.management.pack"]
            .with_user(self.accountant)
            .create({"date_from": "2026-10-01", "date_to": "2027-01-31"})
        )
        action = wizard.action_download_pdf()
        self.assertEqual(action["report_type"], "qweb-pdf")
        Report = self.env["ir.actions.report"].with_user(self.accountant)
        html, _kind = Report._render_qweb_html(
            "loan_reporting.management_summary", wizard.ids, data=action["data"]
        )
        tree = etree.fromstring(html, etree.HTMLParser())
        rows = tree.xpath("//table[contains(@class, 'o_loan_summary_portfolio')]/tbody/tr")
        self.assertEqual(len(rows), len(MONTH_ENDS))
        Daily = self.env["loan.portfolio.daily"].with_user(self.accountant)
        for row, day in zip(rows, MONTH_ENDS, strict=True):
            cells = [" ".join(td.itertext()).strip() for td in row.xpath("./td")]
            figures = Daily.search([("date", "=", day)])
            self.assertEqual(int(cells[1]), sum(figures.mapped("contract_count")))
            outstanding = sum(figures.mapped("outstanding_principal"))
            par30 = sum(figures.mapped("par30_amount"))
            self.assertEqual(cells[3], "%.2f" % (100.0 * par30 / outstanding))
        self.assertTrue(tree.xpath("//table[contains(@class, 'o_loan_summary_vintage')]//td"))
        # the PDF is wkhtmltopdf's rendering of this HTML: in a test, wkhtmltopdf's requests
        # for the report's assets can wait on the test's own transaction, so the PDF
        # itself is left to the browser-less voucher test of loan_servicing
        with self.assertRaises(AccessError):
            Report.with_user(self.appraiser)._render_qweb_html(
                "loan_reporting.management_summary", wizard.ids, data=action["data"]
            )

    def test_names_are_masked(self):
        self.assertEqual(mask_name("Nguyễn Văn An"), "Nguyễn V. A.")
        self.assertEqual(mask_name("  Trần   Thị  Bích Ngọc "), "Trần T. B. N.")
        self.assertEqual(mask_name("王小明"), "王**")
        self.assertEqual(mask_name("Li"), "L*")
        self.assertEqual(mask_name("Nguyen"), "Ng****")
        self.assertEqual(mask_name(False), "")
