from odoo import models

from .masking import mask_name

BATCH = 2000


class ReportLoanClassificationXlsx(models.AbstractModel):
    """The month-end classification list auditors ask for: every contract of the
    snapshot with its group, balances, provision rate and provisions, then the totals per
    group. Rows are read in batches and written in xlsxwriter's constant-memory mode, so
    the memory used does not grow with the portfolio."""

    _name = "report.loan_reporting.classification_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Month-end Classification List (XLSX)"

    def _get_objs_for_report(self, docids, data):
        # the list is chosen by ``data`` (a month end), whatever record asked for it
        return self.env["loan.classification.list"].browse(docids or [])

    def get_workbook_options(self):
        return {"constant_memory": True, "in_memory": False}

    def _domain(self, data):
        domain = [("date", "=", data["date"])]
        if data.get("company_ids"):
            domain.append(("company_id", "in", data["company_ids"]))
        return domain

    def generate_xlsx_report(self, workbook, data, objs):
        Snapshot = self.env["loan.portfolio.snapshot"]
        wizard = self.env["loan.classification.list"]
        data = wizard._checked_data(data)
        ids = Snapshot._search(self._domain(data), order="classification_id, contract_id")
        ids = list(ids)
        currency = self.env.company.currency_id
        digits = currency.decimal_places
        decimals = "." + "0" * digits if digits else ""
        money = workbook.add_format({"num_format": "#,##0" + decimals})
        rate = workbook.add_format({"num_format": "0.00"})
        bold = workbook.add_format({"bold": True})
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        _ = self.env._
        sheet = workbook.add_worksheet(_("Classification"))
        sheet.write(0, 0, _("Loan classification and provisions at %s", data["date"]), bold)
        headers = [
            _("Contract"),
            _("Borrower (masked)"),
            _("ID Number (masked)"),
            _("Product"),
            _("Disbursement Date"),
            _("Principal Disbursed"),
            _("Days Past Due"),
            _("Classification"),
            _("Outstanding Principal"),
            _("Interest Receivable"),
            _("Charges Receivable"),
            _("Provision Rate (%)"),
            _("Specific Provision"),
            _("General Provision"),
            _("Currency"),
        ]
        for col, title in enumerate(headers):
            sheet.write(2, col, title, head)
        sheet.set_column(0, 3, 22)
        sheet.set_column(4, 14, 16)
        totals = {}
        row = 3
        fields_read = [
            "contract_id",
            "partner_id",
            "product_id",
            "dpd",
            "classification_id",
            "disbursed_amount",
            "outstanding_principal",
            "interest_receivable",
            "charges_receivable",
            "provision_rate",
            "specific_provision",
            "general_provision",
            "currency_id",
        ]
        for start in range(0, len(ids), BATCH):
            batch = Snapshot.browse(ids[start : start + BATCH])
            records = batch.read(fields_read)
            partners = batch.partner_id
            masks = {p.id: p.loan_id_number_mask or "" for p in partners}
            disbursed = {c.id: c.disbursed_date for c in batch.contract_id}
            for rec in records:
                contract = rec["contract_id"]
                partner = rec["partner_id"]
                group = rec["classification_id"][1] if rec["classification_id"] else ""
                values = [
                    contract[1] if contract else "",
                    mask_name(partner[1]) if partner else "",
                    masks.get(partner[0], "") if partner else "",
                    rec["product_id"][1] if rec["product_id"] else "",
                    str(disbursed.get(contract[0]) or "") if contract else "",
                    rec["disbursed_amount"],
                    rec["dpd"],
                    group,
                    rec["outstanding_principal"],
                    rec["interest_receivable"],
                    rec["charges_receivable"],
                    rec["provision_rate"],
                    rec["specific_provision"],
                    rec["general_provision"],
                    rec["currency_id"][1] if rec["currency_id"] else "",
                ]
                for col, value in enumerate(values):
                    if col in (5, 8, 9, 10, 12, 13):
                        sheet.write_number(row, col, value or 0.0, money)
                    elif col == 11:
                        sheet.write_number(row, col, value or 0.0, rate)
                    elif col == 6:
                        sheet.write_number(row, col, value or 0)
                    else:
                        sheet.write_string(row, col, value)
                total = totals.setdefault(group, [0, 0.0, 0.0, 0.0, 0.0])
                total[0] += 1
                total[1] += rec["outstanding_principal"]
                total[2] += rec["specific_provision"]
                total[3] += rec["general_provision"]
                total[4] += rec["interest_receivable"] + rec["charges_receivable"]
                row += 1
            # the batch's contracts and borrowers leave the cache too: memory stays flat
            self.env.invalidate_all()
        summary = workbook.add_worksheet(_("Totals by Group"))
        for col, title in enumerate(
            [
                _("Classification"),
                _("Contracts"),
                _("Outstanding Principal"),
                _("Specific Provision"),
                _("General Provision"),
                _("Receivables"),
            ]
        ):
            summary.write(0, col, title, head)
        summary.set_column(0, 5, 20)
        line = 1
        for group, (count, outstanding, specific, general, receivable) in sorted(totals.items()):
            summary.write_string(line, 0, group)
            summary.write_number(line, 1, count)
            summary.write_number(line, 2, currency.round(outstanding), money)
            summary.write_number(line, 3, currency.round(specific), money)
            summary.write_number(line, 4, currency.round(general), money)
            summary.write_number(line, 5, currency.round(receivable), money)
            line += 1
        summary.write_string(line, 0, _("Total"), bold)
        for col, index in ((1, 0), (2, 1), (3, 2), (4, 3), (5, 4)):
            value = sum(t[index] for t in totals.values())
            summary.write_number(line, col, value if index == 0 else currency.round(value), money)
