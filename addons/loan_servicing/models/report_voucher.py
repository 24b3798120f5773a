from odoo import api, models
from odoo.tools import format_date, get_lang

RECEIPT = "receipt"  # phiếu thu, form 01-TT
PAYMENT = "payment"  # phiếu chi, form 02-TT


def address_line(partner):
    """The address on one line, as the heading and the payer line of a voucher write it:
    street, ward, district, province, country, each part once; from the country down where
    the country writes addresses that way (China)."""
    parts = []
    for part in (
        partner.street,
        partner.street2,
        partner.city,
        partner.state_id.name,
        partner.country_id.name,
    ):
        if part and part not in parts:
            parts.append(part)
    if (partner.country_id.address_format or "").startswith("%(country_name)s"):
        return " ".join(reversed(parts))
    return ", ".join(parts)


def account_codes(move, side):
    """Codes of the accounts ``move`` debits (``side="debit"``) or credits, for the
    voucher's Nợ / Có lines."""
    lines = move.line_ids.filtered(lambda line: line[side] > 0)
    return ", ".join(sorted(set(lines.account_id.mapped("code"))))


class LoanVoucher(models.AbstractModel):
    """Values of the receipt voucher (phiếu thu, form 01-TT) and payment voucher (phiếu chi,
    form 02-TT) of Circulars 200/2014 and 133/2016: printed in the reader's language, dated
    in the company's date format (its language), the amount in words in the document's
    language."""

    _name = "loan.voucher"
    _description = "Receipt and Payment Voucher"

    @api.model
    def _voucher(self, kind, company, number, date, partner, amount, currency, reason, move=None):
        lang = get_lang(self.env).code
        company_lang = company.partner_id.lang or lang
        return {
            "kind": kind,
            "company": company,
            "company_address": address_line(company.partner_id),
            "number": number,
            "date": format_date(self.env, date, lang_code=company_lang),
            "debit": account_codes(move, "debit") if move else "",
            "credit": account_codes(move, "credit") if move else "",
            "partner": partner,
            "partner_address": address_line(partner),
            "reason": reason,
            "amount": amount,
            "currency": currency,
            "amount_words": currency._loan_amount_in_words(amount, lang),
        }

    @api.model
    def _attachment_count(self, records):
        """Original documents attached to each record (Kèm theo ... chứng từ gốc)."""
        groups = (
            self.env["ir.attachment"]
            .sudo()
            ._read_group(
                [("res_model", "=", records._name), ("res_id", "in", records.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        return dict(groups)

    @api.model
    def _report_values(self, docs, vouchers):
        """The values of a voucher report over ``docs``: each voucher of ``vouchers`` (by
        record id) completed with the count of its record's attached documents."""
        attachments = self._attachment_count(docs)
        for doc_id, values in vouchers.items():
            values["attachments"] = attachments.get(doc_id, 0)
        return {"doc_ids": docs.ids, "doc_model": docs._name, "docs": docs, "vouchers": vouchers}


class ReportLoanReceiptVoucher(models.AbstractModel):
    _name = "report.loan_servicing.report_loan_receipt_voucher"
    _description = "Receipt Voucher (phiếu thu)"

    @api.model
    def _get_report_values(self, docids, data=None):
        receipts = self.env["loan.receipt"].browse(docids)
        voucher = self.env["loan.voucher"]
        vouchers = {}
        for receipt in receipts:
            if receipt.recovery:
                reason = self.env._(
                    "Recovery of written-off loan contract %s", receipt.contract_id.name
                )
            else:
                reason = self.env._("Repayment of loan contract %s", receipt.contract_id.name)
            if receipt.reference:
                reason = "%s (%s)" % (reason, receipt.reference)
            vouchers[receipt.id] = voucher._voucher(
                RECEIPT,
                receipt.company_id,
                receipt.name,
                receipt.date,
                receipt.partner_id,
                receipt.amount,
                receipt.currency_id,
                reason,
                receipt.sudo().move_id,
            )
        return voucher._report_values(receipts, vouchers)


class ReportLoanPaymentVoucher(models.AbstractModel):
    _name = "report.loan_servicing.report_loan_payment_voucher"
    _description = "Payment Voucher of a Disbursement (phiếu chi)"

    @api.model
    def _get_report_values(self, docids, data=None):
        contracts = self.env["loan.contract"].browse(docids)
        voucher = self.env["loan.voucher"]
        vouchers = {}
        for contract in contracts.filtered("disbursement_payment_id"):
            payment = contract.sudo().disbursement_payment_id
            vouchers[contract.id] = voucher._voucher(
                PAYMENT,
                contract.company_id,
                payment.name,
                contract.disbursed_date,
                contract.partner_id,
                contract.net_disbursed,
                contract.currency_id,
                self.env._("Disbursement of loan contract %s", contract.name),
                payment.move_id,
            )
        return voucher._report_values(contracts, vouchers)


class ReportLoanOutboundPaymentVoucher(models.AbstractModel):
    _name = "report.loan_servicing.report_loan_outbound_payment_voucher"
    _description = "Receipt or Payment Voucher of a Payment"

    @api.model
    def _get_report_values(self, docids, data=None):
        payments = self.env["account.payment"].browse(docids)
        voucher = self.env["loan.voucher"]
        vouchers = {}
        for payment in payments:
            contract = payment.loan_contract_id
            if payment.loan_refund_contract_id:
                reason = self.env._("Refund of the advance of loan contract %s", contract.name)
            elif contract and payment.payment_type == "outbound":
                reason = self.env._("Disbursement of loan contract %s", contract.name)
            elif contract:
                reason = self.env._("Repayment of loan contract %s", contract.name)
            else:
                reason = payment.memo or ""
            vouchers[payment.id] = voucher._voucher(
                RECEIPT if payment.payment_type == "inbound" else PAYMENT,
                payment.company_id,
                payment.name,
                payment.date,
                payment.partner_id,
                payment.amount,
                payment.currency_id,
                reason,
                payment.move_id,
            )
        return voucher._report_values(payments, vouchers)
