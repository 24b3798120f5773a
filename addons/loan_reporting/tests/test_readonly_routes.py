import json

from odoo.tests import HttpCase, tagged

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
