"""``odoo-bin loan_rebuild``: write the lending portfolio history of a period again.

odoo-bin --addons-path=... loan_rebuild 2025-01-01 2026-11-30 -c odoo.conf -d DB
    the month-end snapshots (marked as estimated) and the daily aggregates of every
    date from the first to the last, from the days-past-due history, as the wizard
    "Rebuild Portfolio History" does: for a database that kept its history before the
    reporting module was installed, or after a correction.
"""

import argparse
import sys

from odoo.cli.command import Command


class LoanRebuild(Command):
    """Rebuild the lending portfolio history (month-end snapshots, daily aggregates)."""

    name = "loan_rebuild"

    def run(self, cmdargs):
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415
        from odoo.exceptions import UserError  # noqa: PLC0415
        from odoo.modules.registry import Registry  # noqa: PLC0415
        from odoo.tools import config  # noqa: PLC0415

        parser = argparse.ArgumentParser(prog=self.prog, description=self.__doc__)
        parser.add_argument("date_from", type=_date, help="first date, YYYY-MM-DD")
        parser.add_argument("date_to", type=_date, help="last date, YYYY-MM-DD")
        known = parser.parse_args(cmdargs[:2])
        config.parse_config(cmdargs[2:], setup_logging=True)
        dbnames = config["db_name"]
        if not dbnames or len(dbnames) != 1:
            sys.exit("loan_rebuild needs exactly one database (-d DB)")
        registry = Registry(dbnames[0])
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                ends, dates = env["loan.portfolio.snapshot"]._rebuild(
                    known.date_from, known.date_to
                )
            except UserError as error:
                sys.exit("loan_rebuild: %s" % error)
        sys.stdout.write(
            "Wrote %d month ends and %d dates from %s to %s\n"
            % (len(ends), len(dates), known.date_from, known.date_to)
        )


def _date(value):
    from datetime import date  # noqa: PLC0415

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a date YYYY-MM-DD" % value) from None
