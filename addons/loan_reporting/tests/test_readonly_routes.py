import io
import json

import openpyxl

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..report.masking import mask_name
from .common import MONTH_ENDS, ReportingCommon


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(ReportingCommon, HttpCase):
    """Reports only read: their views' requests and the XLSX download run on a read-only
    cursor (as on a replica, `db_replica_host`), where any write would fail."""

    def test_report_requests_on_a_readonly_cursor(self):
        self.authenticate("t_accountant", "t_accountant")
        day = str(MONTH_ENDS[-1])
        for model, groupby, aggregates in [
            ("loan.portfolio.daily", ["classification_id"], ["outstanding_principal:sum"]),
            ("loan.portfolio.snapshot", ["date:month"], ["specific_provision:sum"]),
            ("report.loan.roll.rate", ["from_bucket_id", "to_bucket_id"], ["amount:sum"]),
            ("report.loan.vintage", ["cohort:month", "months_on_book"], ["share_30:avg"]),
            ("report.loan.subledger", ["account_id", "reason"], ["difference:sum"]),
            ("report.loan.receipt.book", ["date:day", "journal_id"], ["amount:sum"]),
            ("report.loan.disbursement", ["date:month"], ["amount:sum"]),
            ("report.loan.revenue", ["date:month", "kind"], ["amount:sum"]),
            ("report.loan.finance.daily", ["date:month", "kind"], ["amount:sum"]),
            ("report.loan.cash", ["week:week"], ["amount:sum"]),
            ("report.loan.collection.efficiency", ["month:month"], ["due_amount:sum"]),
            ("report.loan.disbursement", ["product_id"], ["net_disbursed:sum"]),
        ]:
            result = self.make_jsonrpc_request(
                "/web/dataset/call_kw/%s/web_read_group" % model,
                {
                    "model": model,
                    "method": "web_read_group",
                    "args": [],
                    "kwargs": {"domain": [], "groupby": groupby, "aggregates": aggregates},
                },
            )
            self.assertTrue(result["groups"], model)
        response = self.url_open(
            "/report/xlsx/loan_reporting.classification_xlsx?options=%s"
            % json.dumps({"date": day, "company_ids": []})
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK", "an XLSX file")

    def _export(self, fmt, model, fields, groupby=()):
        data = {
            "model": model,
            "fields": [
                {
                    "name": name,
                    "label": name,
                    "type": self.env[model]._fields[name].type if "/" not in name else "char",
                }
                for name in fields
            ],
            "ids": False,
            "domain": [("contract_id", "in", self.mine.ids)],
            "groupby": list(groupby),
            "import_compat": False,
            "context": {},
        }
        return self.url_open(
            "/web/export/%s" % fmt,
            data={"data": json.dumps(data), "csrf_token": http.Request.csrf_token(self)},
        )

    def test_list_exports_mask_borrowers(self):
        """Odoo's list export of a report that names borrowers (month-end snapshots,
        receivables ageing), or leads to them (the receipts book through its contract),
        writes their names masked, in rows and in the groups of a grouped export, and
        refuses anything else of the borrower."""
        self.accountant.group_ids += self.env.ref("base.group_allow_export")
        self.authenticate("t_accountant", "t_accountant")
        name = self.borrower.name
        masked = mask_name(name)
        self.assertNotEqual(masked, name)
        for model in ("loan.portfolio.snapshot", "report.loan.receivable.ageing"):
            with self.subTest(model=model):
                response = self._export("csv", model, ["contract_id", "partner_id"])
                self.assertEqual(response.status_code, 200)
                text = response.content.decode("utf-8")
                self.assertIn(masked, text)
                self.assertNotIn(name, text)
                response = self._export(
                    "xlsx", model, ["contract_id", "partner_id"], groupby=["partner_id"]
                )
                self.assertEqual(response.status_code, 200)
                book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
                cells = [
                    str(cell) for row in book.active.iter_rows(values_only=True) for cell in row
                ]
                self.assertTrue(any(masked in cell for cell in cells), cells[:10])
                self.assertFalse(any(name in cell for cell in cells))
                rows = (
                    self.env[model]
                    .with_user(self.accountant)
                    .search([("contract_id", "in", self.mine.ids)])
                )
                with self.assertRaisesRegex(UserError, "partner_id/phone"):
                    rows.export_data(["contract_id", "partner_id/phone"])
                with mute_logger("odoo.addons.web.controllers.export", "odoo.http"):
                    response = self._export("csv", model, ["partner_id/phone"])
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(name, response.content.decode("utf-8", "replace"))
        response = self._export(
            "csv", "report.loan.receipt.book", ["receipt_id", "contract_id/partner_id"]
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(masked, response.content.decode("utf-8"))
        self.assertNotIn(name, response.content.decode("utf-8"))
        book = self.env["report.loan.receipt.book"].with_user(self.accountant).search([], limit=1)
        with self.assertRaisesRegex(UserError, "contract_id/partner_id/email"):
            book.export_data(["contract_id/partner_id/email"])
