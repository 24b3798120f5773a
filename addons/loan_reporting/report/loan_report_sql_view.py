from odoo import models, tools
from odoo.tools import SQL


class LoanReportSqlView(models.AbstractModel):
    """A report model on a SQL view: a model inheriting it returns its SELECT from
    ``_view_sql``; the view is created again at every module update."""

    _name = "loan.report.sql.view"
    _inherit = "loan.report.export.mask"
    _description = "Lending SQL Report"
    _auto = False

    def _view_sql(self):
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._view_sql(),
            )
        )
