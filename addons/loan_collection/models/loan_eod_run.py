from odoo import models
from odoo.tools import SQL


class LoanEodRun(models.Model):
    _inherit = "loan.eod.run"

    def _eod_chunk_key(self):
        """All the contracts of a borrower in one chunk: the cases below work per borrower."""
        return SQL.identifier("partner_id")

    def _run_chunk(self, contract_ids):
        """After the day's arrears, the collection cases of the chunk's borrowers (a chunk
        holds all the contracts of each of its borrowers); their messages (strategy steps,
        reminders before the due date) in a job of their own; the gate holds each message
        for the person's contact window."""
        result = super()._run_chunk(contract_ids)
        if contract_ids:
            self.env["loan.contract"].sudo()._sync_collection_bucket(contract_ids)
            self.env["loan.collection.case"].sudo()._sync_from_contracts(
                contract_ids, self.business_date
            )
            Strategy = self.env["loan.collection.strategy"].sudo()
            Strategy.with_delay(
                channel="root.loan_eod",
                description=self.env._("Collection messages of %s", self.business_date),
            )._run_outreach(list(contract_ids), self.business_date)
        return result
