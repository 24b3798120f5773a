import subprocess

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from ..engine.phone import national_digits


@tagged("post_install", "-at_install")
class TestPgDump(TransactionCase):
    """A dump of the database holds no plain borrower phone or ID number."""

    def test_dump_has_no_plain_pii(self):
        phones = self.env["loan.partner.phone"].sudo().search([])
        borrowers = self.env["res.partner"].sudo().search([("loan_id_number_mask", "!=", False)])
        if not phones or not borrowers:
            self.skipTest("needs committed borrowers: runs on the demo database")
        plain = set()
        for phone in phones:
            e164 = phone._loan_pii_plain("number")
            national = national_digits(e164)
            plain |= {e164, national, national.lstrip("0")}  # every form it could be typed in
        plain |= {b._loan_pii_plain("loan_id_number") for b in borrowers}
        masks = set(phones.mapped("number_mask")) | set(borrowers.mapped("loan_id_number_mask"))
        dump = subprocess.run(
            [find_pg_tool("pg_dump"), "--no-owner", "--data-only", self.env.cr.dbname],
            env=exec_pg_environ(),
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout
        # the dump is of this database: the masked values are in it
        self.assertTrue(all(m in dump for m in masks))
        leaked = sorted(value for value in plain if value and value in dump)
        self.assertEqual(leaked, [], "plain personal numbers found in pg_dump")
