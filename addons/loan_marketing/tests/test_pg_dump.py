import re
import subprocess

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import exec_pg_environ, find_pg_tool


@tagged("post_install", "-at_install")
class TestPgDump(TransactionCase):
    """A dump of the demo database holds no plain phone number of a lending lead, in any
    table (leads, touches, intake log, chatter, the gate's log)."""

    def test_dump_has_no_plain_lead_phone(self):
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("loan_source_id", "!=", False), ("loan_phone_enc", "!=", False)])
        )
        if len(leads) < 50:
            self.skipTest("no demo data: the demo's captured leads are what is dumped")
        numbers = set()
        for lead in leads:
            e164 = lead._loan_pii_plain("loan_phone")
            self.assertTrue(e164.startswith("+84"))
            numbers.add(e164[3:])  # national digits without the leading 0
        dump = subprocess.run(
            [find_pg_tool("pg_dump"), "--data-only", "--no-owner", self.env.cr.dbname],
            env=exec_pg_environ(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.assertGreater(len(dump), 100_000)
        digits = set(re.findall(r"\d{9,12}", re.sub(r"[ .\-]", "", dump)))
        leaked = {n for n in numbers if any(n in run for run in digits)}
        self.assertFalse(leaked, "plain lead numbers in the dump: %s" % sorted(leaked)[:5])
