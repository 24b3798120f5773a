from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    # Finance by Day: the end of day writes again the dates of the entries written
    # (posted, cancelled, reversed) since its last run
    _write_date_idx = models.Index("(write_date)")
