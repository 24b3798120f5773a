from odoo import fields, models

from ..models.loan_portfolio import month_end


class ReportLoanManagementPackXlsx(models.AbstractModel):
    """The periodic business report: one sheet per area (portfolio and quality, roll
    rates, vintages, finance, expected cash), each a table of the report models' figures
    for the period, read with the caller's rights, and a native chart. Amounts carry the
    company currency's decimals."""

    _name = "report.loan_reporting.management_pack_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Management Pack (XLSX)"

    def _get_objs_for_report(self, docids, data):
        return self.env["loan.management.pack"].browse(docids or [])

    def get_workbook_options(self):
        return {"constant_memory": False, "in_memory": True}

    # ------------------------------------------------------------------ helpers
    def _formats(self, workbook):
        digits = self.env.company.currency_id.decimal_places
        decimals = "." + "0" * digits if digits else ""
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "head": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
            "money": workbook.add_format({"num_format": "#,##0" + decimals}),
            "pct": workbook.add_format({"num_format": "0.00"}),
            "int": workbook.add_format({"num_format": "0"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        }

    def _write_table(self, sheet, fmt, row, headers, rows, kinds):
        for col, title in enumerate(headers):
            sheet.write(row, col, title, fmt["head"])
        for n, values in enumerate(rows, start=row + 1):
            for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
                if kind == "text":
                    sheet.write_string(n, col, str(value or ""))
                elif kind == "date" and value:
                    sheet.write_datetime(n, col, fields.Datetime.to_datetime(value), fmt["date"])
                elif kind == "date":
                    sheet.write_blank(n, col, None)
                else:
                    sheet.write_number(n, col, value or 0, fmt[kind])
        return row + 1, row + len(rows)

    def _chart(self, workbook, sheet, kind, name, first, last, categories, series, anchor):
        if last < first:
            return
        chart = workbook.add_chart({"type": kind})
        for col, title in series:
            chart.add_series(
                {
                    "name": title,
                    "categories": [sheet.name, first, categories, last, categories],
                    "values": [sheet.name, first, col, last, col],
                }
            )
        chart.set_title({"name": name})
        chart.set_size({"width": 720, "height": 320})
        sheet.insert_chart(anchor, chart)

    # ------------------------------------------------------------------ sheets
    def generate_xlsx_report(self, workbook, data, objs):
        wizard = self.env["loan.management.pack"]
        data = wizard._checked_data(data)
        date_from = fields.Date.to_date(data["date_from"])
        date_to = fields.Date.to_date(data["date_to"])
        fmt = self._formats(workbook)
        self._sheet_portfolio(workbook, fmt, date_from, date_to)
        self._sheet_roll_rates(workbook, fmt, date_to)
        self._sheet_vintages(workbook, fmt)
        self._sheet_finance(workbook, fmt, date_from, date_to)
        self._sheet_cash(workbook, fmt)

    def _sheet_portfolio(self, workbook, fmt, date_from, date_to):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Portfolio"))
        title = _("Portfolio and quality, %(start)s to %(end)s", start=date_from, end=date_to)
        sheet.write(0, 0, title, fmt["title"])
        rows = self.env["loan.management.pack"]._pack_portfolio_rows(date_from, date_to)
        first, last = self._write_table(
            sheet,
            fmt,
            2,
            [
                _("Month End"),
                _("Contracts"),
                _("Outstanding"),
                _("PAR 30"),
                _("PAR 90"),
                _("Non-performing"),
                _("Total Provision"),
                _("PAR 30 (%)"),
                _("NPL (%)"),
            ],
            rows,
            ["date", "int", "money", "money", "money", "money", "money", "pct", "pct"],
        )
        sheet.set_column(0, 8, 16)
        self._chart(
            workbook,
            sheet,
            "line",
            _("Outstanding and PAR 30"),
            first,
            last,
            0,
            [(2, _("Outstanding")), (3, _("PAR 30"))],
            "K3",
        )
        self._chart(
            workbook, sheet, "line", _("PAR 30 and NPL (%)"), first, last, 0,
            [(7, _("PAR 30 (%)")), (8, _("NPL (%)"))], "K20",
        )  # fmt: skip

    def _sheet_roll_rates(self, workbook, fmt, date_to):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Roll Rates"))
        Roll = self.env["report.loan.roll.rate"]
        latest = Roll.search([("date", "<=", month_end(date_to))], order="date desc", limit=1)
        sheet.write(0, 0, _("Roll rates at %s", latest.date or "-"), fmt["title"])
        if not latest:
            return
        groups = Roll._read_group(
            [("date", "=", latest.date)],
            ["from_bucket_id", "movement"],
            ["amount:sum"],
        )
        movements = dict(Roll._fields["movement"]._description_selection(self.env))
        order = list(movements)
        buckets = self.env["loan.collection.bucket"].search([], order="min_dpd")
        table = {bucket: dict.fromkeys(order, 0.0) for bucket in buckets}
        for bucket, movement, amount in groups:
            if bucket in table:
                table[bucket][movement] += amount
        rows = []
        for bucket in buckets:
            total = sum(table[bucket].values())
            flow = 100.0 * table[bucket]["worse"] / total if total else 0.0
            cure = 100.0 * table[bucket]["cured"] / total if total else 0.0
            rows.append([bucket.name, *(table[bucket][m] for m in order), total, flow, cure])
        first, last = self._write_table(
            sheet,
            fmt,
            2,
            [
                _("From Bucket"),
                *(movements[m] for m in order),
                _("Total"),
                _("Flow Rate (%)"),
                _("Cure Rate (%)"),
            ],
            rows,
            ["text", *(["money"] * len(order)), "money", "pct", "pct"],
        )
        sheet.set_column(0, len(order) + 3, 16)
        self._chart(
            workbook, sheet, "column", _("Flow and cure rates by bucket"), first, last, 0,
            [(len(order) + 2, _("Flow Rate (%)")), (len(order) + 3, _("Cure Rate (%)"))],
            "A%d" % (last + 4),
        )  # fmt: skip

    def _sheet_vintages(self, workbook, fmt):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Vintages"))
        sheet.write(0, 0, _("Share of principal more than 30 days past due (%)"), fmt["title"])
        triangle = self.env["report.loan.vintage"]._triangle(threshold=30)
        horizon = max((max(row) for row in triangle.values() if row), default=0)
        headers = [_("Disbursement Month")] + [str(n) for n in range(horizon + 1)]
        rows = []
        for cohort, cells in triangle.items():
            rows.append([cohort] + [cells.get(n, 0.0) for n in range(horizon + 1)])
        first, last = self._write_table(
            sheet, fmt, 2, headers, rows, ["date"] + ["pct"] * (horizon + 1)
        )
        sheet.set_column(0, 0, 18)
        if rows:
            chart = workbook.add_chart({"type": "line"})
            for n in range(first, last + 1):
                chart.add_series(
                    {
                        "name": [sheet.name, n, 0],
                        "categories": [sheet.name, 2, 1, 2, horizon + 1],
                        "values": [sheet.name, n, 1, n, horizon + 1],
                    }
                )
            chart.set_title({"name": _("Vintage curves (30+)")})
            chart.set_size({"width": 720, "height": 360})
            sheet.insert_chart("A%d" % (last + 4), chart)

    def _sheet_finance(self, workbook, fmt, date_from, date_to):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Finance"))
        title = _("Finance, %(start)s to %(end)s", start=date_from, end=date_to)
        sheet.write(0, 0, title, fmt["title"])
        rows = self.env["loan.management.pack"]._pack_finance_rows(date_from, date_to)
        first, last = self._write_table(
            sheet,
            fmt,
            2,
            [
                _("Month"),
                _("Disbursed"),
                _("Received"),
                _("Interest Income"),
                _("Fee Income"),
                _("Penalty Income"),
                _("Recoveries"),
                _("Revenue"),
            ],
            rows,
            ["date", "money", "money", "money", "money", "money", "money", "money"],
        )
        sheet.set_column(0, 7, 16)
        self._chart(
            workbook, sheet, "column", _("Disbursed and received"), first, last, 0,
            [(1, _("Disbursed")), (2, _("Received"))], "J3",
        )  # fmt: skip
        self._chart(
            workbook, sheet, "line", _("Revenue"), first, last, 0, [(7, _("Revenue"))], "J20",
        )  # fmt: skip

    def _sheet_cash(self, workbook, fmt):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Expected Cash"))
        sheet.write(0, 0, _("Cash expected from the schedules, 12 weeks"), fmt["title"])
        rows = self.env["loan.management.pack"]._pack_cash_rows()
        first, last = self._write_table(
            sheet,
            fmt,
            2,
            [_("Week"), _("Principal"), _("Interest"), _("Fees"), _("Penalties"), _("Total")],
            rows,
            ["date", "money", "money", "money", "money", "money"],
        )
        sheet.set_column(0, 5, 16)
        self._chart(
            workbook, sheet, "column", _("Expected cash by week"), first, last, 0,
            [(5, _("Total"))], "H3",
        )  # fmt: skip
