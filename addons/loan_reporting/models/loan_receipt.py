from odoo import models


class LoanReceipt(models.Model):
    _inherit = "loan.receipt"

    # Finance by Day: the end of day fills a date from the receipts dated that day, and
    # writes again the earlier dates of the receipts written since its last run
    _date_idx = models.Index("(date)")
    _write_date_idx = models.Index("(write_date)")
