from odoo import models


class LoanContractLine(models.Model):
    _inherit = "loan.contract.line"

    # the reports read instalments by due date: a month's due (collection efficiency,
    # written every end of day) and what is still open in the weeks ahead (expected
    # cash-in); a schedule line's paid_date is set once nothing of it is open
    _due_date_idx = models.Index("(due_date)")
    _open_due_date_idx = models.Index("(due_date) WHERE paid_date IS NULL")
