"""Roll rates and collection efficiency were views computed over the whole history;
from 19.0.1.1.0 they are tables the end of day writes (and fills from the history when
the module is updated: see their ``init``). The views go before the tables come."""

from odoo.tools import SQL
from odoo.tools.sql import TableKind, table_kind


def migrate(cr, version):
    for table in ("report_loan_roll_rate", "report_loan_collection_efficiency"):
        if table_kind(cr, table) == TableKind.View:
            cr.execute(SQL("DROP VIEW %s", SQL.identifier(table)))
