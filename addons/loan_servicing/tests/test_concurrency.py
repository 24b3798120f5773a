import uuid
from contextlib import closing
from datetime import date

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

START = date(2026, 1, 15)


@tagged("post_install", "-at_install")
class TestConcurrentReceipts(BaseCase):
    """Two receipts for one contract posted from two database cursors (two transactions,
    as two Odoo workers would): while the first is open the second waits for the
    contract's lock (here until a short lock timeout); started over once the first has
    committed, it allocates after it. Nothing is allocated twice, nothing is lost. Real
    cursors need committed data: the test's own cursors commit its contract (each ``with``
    block commits when it ends) and remove everything it made at the end."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def test_two_cursors_do_not_double_allocate(self):
        db = db_connect(get_db_name())
        with db.cursor() as cr:  # committed when the block ends
            env = self._env(cr)
            vnd = env.ref("base.VND")
            vnd.active = True
            product = env["loan.product"].create(
                {
                    "name": "Concurrency test",
                    "code": "T-CONC-%s" % uuid.uuid4().hex[:8],
                    "currency_id": vnd.id,
                    "min_amount": 1_000_000,
                    "max_amount": 50_000_000,
                    "min_term": 6,
                    "max_term": 36,
                    "rate": 24.0,
                }
            )
            partner = env["res.partner"].create({"name": "Concurrency borrower"})
            Contract = env["loan.contract"]
            contract = Contract.create(
                Contract._loan_contract_vals(partner, product, 12_000_000, 6, START)
            )
            contract.state = "signed"
            contract._disburse(START)
            first, second = contract.line_ids.sorted("sequence")[:2]
            amount = first.instalment
            ids = {
                "product": product.id,
                "partner": partner.id,
                "contract": contract.id,
                "lines": (first.id, second.id),
            }
        try:
            with db.cursor() as cr_b:  # committed when the block ends
                env_b = self._env(cr_b)

                def receipt(env):
                    return env["loan.receipt"].create(
                        {"contract_id": ids["contract"], "amount": amount, "date": "2026-02-15"}
                    )

                with db.cursor() as cr_a:
                    # A posts and holds its transaction open; B's receipt must wait for it
                    receipt(self._env(cr_a))._post()
                    cr_b.execute("SET LOCAL lock_timeout = '2s'")
                    with self.assertRaises(errors.LockNotAvailable), mute_logger("odoo.sql_db"):
                        receipt(env_b)._post()
                    cr_b.rollback()
                    env_b.transaction.reset()
                # A has committed; B starts over (as Odoo retries a request) and sees it
                receipt(env_b)._post()
            with closing(db.cursor()) as cr:
                env = self._env(cr)
                contract = env["loan.contract"].browse(ids["contract"])
                receipts = env["loan.receipt"].search([("contract_id", "=", contract.id)])
                self.assertEqual(receipts.mapped("state"), ["posted", "posted"])
                first, second = env["loan.contract.line"].browse(ids["lines"])
                # each instalment paid exactly once: one receipt each, nothing twice
                self.assertFalse(first.amount_open)
                self.assertFalse(second.amount_open)
                allocated = sum(receipts.line_ids.mapped("amount"))
                self.assertEqual(allocated, 2 * amount)
                on_first = receipts.line_ids.filtered(lambda x: x.contract_line_id == first)
                self.assertEqual(len(on_first.receipt_id), 1, "one receipt paid instalment 1")
                self.assertEqual(contract.receivable_balance, contract.outstanding_principal)
        finally:
            with db.cursor() as cr:
                env = self._env(cr)
                contract = env["loan.contract"].browse(ids["contract"])
                force = {MODULE_UNINSTALL_FLAG: True, "force_delete": True}
                moves = env["account.move"].search([("loan_contract_id", "=", contract.id)])
                payments = env["account.payment"].search([("loan_contract_id", "=", contract.id)])
                env["loan.receipt"].search([("contract_id", "=", contract.id)]).with_context(
                    **force
                ).unlink()
                payments.with_context(**force).unlink()
                moves = moves.exists()
                moves.line_ids.remove_move_reconcile()
                moves.with_context(**force).unlink()
                contract.with_context(**force).unlink()
                env["loan.product"].browse(ids["product"]).unlink()
                env["res.partner"].browse(ids["partner"]).unlink()
