from odoo import models


class LoanEodRun(models.Model):
    _inherit = "loan.eod.run"

    def _run_chunk(self, contract_ids):
        """After the day's arrears, the collection cases of the chunk's borrowers (a chunk
        holds all the contracts of each of its borrowers)."""
        result = super()._run_chunk(contract_ids)
        if contract_ids:
            self.env["loan.collection.case"].sudo()._sync_from_contracts(
                contract_ids, self.business_date
            )
            self.env["loan.collection.strategy"].sudo()._send_pre_due_reminders(
                contract_ids, self.business_date
            )
        return result
