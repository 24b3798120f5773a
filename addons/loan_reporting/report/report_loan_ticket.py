from odoo import fields, models
from odoo.addons.loan_collection.models.helpdesk_ticket import LOAN_KINDS
from odoo.tools import SQL


class ReportLoanTicket(models.Model):
    """Customer care: each lending ticket (one on a collection case, or of a lending
    kind) with its category and kind, the collector it is about, whether it was answered
    (closed) within its category's deadline, and how long it took."""

    _name = "report.loan.ticket"
    _inherit = "loan.report.sql.view"
    _description = "Customer Care"
    _auto = False
    _order = "date desc"
    _depends = {
        "helpdesk.ticket": [
            "category_id",
            "closed_date",
            "company_id",
            "loan_case_id",
            "loan_collector_id",
            "loan_kind",
            "loan_sla_deadline",
        ],
        "loan.collection.case": ["team_id"],
    }

    date = fields.Date("Opened On", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    loan_kind = fields.Selection(LOAN_KINDS, "Lending Kind", readonly=True)
    case_team_id = fields.Many2one("loan.team", "Collection Team", readonly=True)
    collector_id = fields.Many2one("res.users", "Collector Concerned", readonly=True)
    ticket_count = fields.Integer("Tickets", readonly=True)
    closed_count = fields.Integer("Answered", readonly=True)
    with_deadline_count = fields.Integer("With a Deadline", readonly=True)
    in_sla_count = fields.Integer("Answered in Time", readonly=True)
    late_count = fields.Integer(
        "Late", readonly=True, help="Answered after its deadline, or still open past it."
    )
    hours_to_close = fields.Float(
        "Hours to Answer", readonly=True, aggregator="avg", digits=(16, 1)
    )

    def _view_sql(self):
        return SQL(
            """
            SELECT t.id, t.create_date::date AS date, t.id AS ticket_id, t.company_id,
                   t.category_id, t.loan_kind, c.team_id AS case_team_id,
                   t.loan_collector_id AS collector_id, 1 AS ticket_count,
                   (t.closed_date IS NOT NULL)::int AS closed_count,
                   (t.loan_sla_deadline IS NOT NULL)::int AS with_deadline_count,
                   (t.loan_sla_deadline IS NOT NULL AND t.closed_date IS NOT NULL
                    AND t.closed_date <= t.loan_sla_deadline)::int AS in_sla_count,
                   (t.loan_sla_deadline IS NOT NULL
                    AND COALESCE(t.closed_date, (now() AT TIME ZONE 'UTC'))
                        > t.loan_sla_deadline)::int AS late_count,
                   CASE WHEN t.closed_date IS NOT NULL
                        THEN EXTRACT(EPOCH FROM t.closed_date - t.create_date) / 3600.0
                   END AS hours_to_close
              FROM helpdesk_ticket t
              LEFT JOIN loan_collection_case c ON c.id = t.loan_case_id
             WHERE t.loan_case_id IS NOT NULL OR t.loan_kind IS NOT NULL
            """
        )
