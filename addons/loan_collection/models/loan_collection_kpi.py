from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .loan_collection_activity import REACHED

ANSWERED = (*REACHED, "third_party")

# kpi: (label, unit, higher is better)
KPIS = {
    "contact_rate": ("Contact rate", "%", True),
    "rpc_rate": ("Right-party contact rate", "%", True),
    "promise_rate": ("Promise rate", "%", True),
    "kept_rate": ("Promise-kept rate", "%", True),
    "collected": ("Amount collected", "amount", True),
    "cure_rate": ("Cure rate", "%", True),
    "roll_rate": ("Roll rate", "%", False),
    "first_contact_sla": ("First contact within SLA", "%", True),
    "ticket_sla": ("Tickets answered within SLA", "%", True),
}
KPI_SELECTION = [(code, label) for code, (label, _unit, _up) in KPIS.items()]
VOICE = ("call", "visit")


class LoanCollectionKpiTarget(models.Model):
    """A target for a collection KPI: for everyone, or for a team, a collector or a
    bucket. The most specific target applies."""

    _name = "loan.collection.kpi.target"
    _description = "Collection KPI Target"
    _order = "kpi, team_id, user_id, bucket_id"
    _check_company_auto = True

    kpi = fields.Selection(KPI_SELECTION, "KPI", required=True)
    target = fields.Float(required=True, help="A percentage, or an amount in the currency.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one("loan.team", domain="[('kind', '=', 'collection')]")
    user_id = fields.Many2one("res.users", "Collector")
    bucket_id = fields.Many2one("loan.collection.bucket")
    lower_is_better = fields.Boolean(compute="_compute_lower_is_better")

    _one_target = models.UniqueIndex(
        "(kpi, company_id, COALESCE(team_id, 0), COALESCE(user_id, 0), COALESCE(bucket_id, 0))",
        "There is already a target for this KPI and scope.",
    )

    @api.depends("kpi")
    def _compute_lower_is_better(self):
        for target in self:
            target.lower_is_better = bool(target.kpi) and not KPIS[target.kpi][2]

    def _for(self, kpi, dimension, key):
        """The target of ``kpi`` for one row: the row's own (team, collector or bucket),
        else the company-wide one."""
        field = {"user": "user_id", "team": "team_id", "bucket": "bucket_id"}[dimension]
        own = general = None
        for target in self:
            if target.kpi != kpi:
                continue
            scoped = [f for f in ("team_id", "user_id", "bucket_id") if target[f]]
            if scoped == [field] and target[field].id == key:
                own = target
            elif not scoped:
                general = target
        return own or general


class LoanCollectionKpiReport(models.TransientModel):
    """Collection KPIs and SLAs over a period, per collector, team or bucket, against
    their targets."""

    _name = "loan.collection.kpi.report"
    _description = "Collection KPIs"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    dimension = fields.Selection(
        [("user", "Collector"), ("team", "Team"), ("bucket", "Bucket")],
        "Per",
        required=True,
        default="team",
    )
    team_ids = fields.Many2many("loan.team", string="Teams", domain="[('kind', '=', 'collection')]")
    first_contact_days = fields.Integer(
        "First Contact SLA (days)", default=3, help="A new case is contacted within this."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many("loan.collection.kpi.line", "report_id", readonly=True)

    def action_compute(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        self.line_ids.unlink()
        self.env["loan.collection.kpi.line"].create(self._lines())
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Collection KPIs %(from)s - %(to)s", **{"from": self.date_from, "to": self.date_to}
            ),
            "res_model": "loan.collection.kpi.line",
            "view_mode": "list,pivot",
            "domain": [("report_id", "=", self.id)],
            "context": {"search_default_group_name": 1},
        }

    # ---------------------------------------------------------------- figures
    def _allowed_teams(self):
        """The teams asked for; a team lead sees only the teams they lead or are in,
        compliance and managers every team."""
        if self.env.su or self.env.user.has_group("loan_base.group_loan_compliance"):
            return self.team_ids
        mine = (
            self.env["loan.team"]
            .sudo()
            .search(
                [
                    ("kind", "=", "collection"),
                    "|",
                    ("leader_id", "=", self.env.uid),
                    ("member_ids", "in", self.env.uid),
                ]
            )
        )
        teams = (self.team_ids & mine) if self.team_ids else mine
        if not teams:
            raise UserError(self.env._("You are in no collection team."))
        return teams

    def _figures(self):
        """{row key: {kpi: value}} and {row key: label}. Values are percentages except
        the amount collected; a KPI without a denominator is left out."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        dim = self.dimension
        start, end = self.date_from, self.date_to
        params = {
            "start": start,
            "end": end,
            "end1": end + timedelta(days=1),
            "company": self.company_id.id,
            "teams": self._allowed_teams().ids or None,
        }
        cr.execute(
            """
            SELECT c.id, c.user_id, c.held_by_id, c.team_id, c.bucket_id, c.partner_id,
                   c.opened_on, c.closed_on, c.state
            FROM loan_collection_case c
            WHERE c.company_id = %(company)s AND c.opened_on <= %(end)s
              AND (c.closed_on IS NULL OR c.closed_on >= %(start)s)
              AND (%(teams)s::int[] IS NULL OR c.team_id = ANY(%(teams)s::int[]))
            """,
            params,
        )
        cases = {row[0]: row for row in cr.fetchall()}
        ids = list(cases)
        cr.execute(
            """
            SELECT a.case_id, a.user_id, a.channel, a.outcome, a.state, a.create_date
            FROM loan_collection_activity a
            WHERE a.case_id = ANY(%s) AND a.create_date >= %s AND a.create_date < %s
            ORDER BY a.create_date, a.id
            """,
            [ids, start, params["end1"]],
        )
        activities = cr.fetchall()
        last_user = {}
        root = self.env.ref("base.user_root").id
        for case_id, user_id, *_rest in activities:
            if user_id != root:
                last_user[case_id] = user_id

        def key_of(case_id, user_id=None):
            _id, assigned, held, team, bucket = cases[case_id][:5]
            if dim == "user":
                return user_id or assigned or last_user.get(case_id) or held
            return team if dim == "team" else bucket

        n = defaultdict(lambda: defaultdict(float))
        for case_id, row in cases.items():
            key = key_of(case_id)
            n[key]["cases"] += 1
            if row[8] in ("resolved", "closed") and row[7] and start <= row[7] <= end:
                n[key]["cured"] += 1
        first_contact = {}
        for case_id, user_id, channel, outcome, state, create_date in activities:
            if state != "done" or user_id == root:
                continue
            # the first contact by a person, whatever the channel (not the strategy's SMS)
            first_contact.setdefault(case_id, create_date.date())
            if channel not in VOICE:
                continue
            key = key_of(case_id, user_id)
            n[key]["voice"] += 1
            if outcome in ANSWERED:
                n[key]["reached"] += 1
            if outcome in REACHED:
                n[key]["rpc"] += 1
        for case_id, row in cases.items():
            opened = row[6]
            if opened and start <= opened <= end:
                key = key_of(case_id)
                n[key]["new"] += 1
                first = first_contact.get(case_id)
                if first and (first - opened).days <= self.first_contact_days:
                    n[key]["new_in_sla"] += 1
        cr.execute(
            """
            SELECT p.case_id, p.user_id, p.state, p.date_from, p.date, p.sequence
            FROM loan_promise p WHERE p.case_id = ANY(%s)
            """,
            [ids],
        )
        for case_id, user_id, state, made, due, sequence in cr.fetchall():
            key = key_of(case_id, user_id)
            if start <= made <= end and (sequence or 1) == 1:  # a promise in instalments once
                n[key]["promises"] += 1
            if start <= due <= end and state in ("kept", "broken"):
                n[key]["due_promises"] += 1
                n[key]["kept"] += state == "kept"
        cr.execute(
            """
            SELECT c.id, SUM(r.amount)
            FROM loan_collection_case c
            JOIN loan_receipt r ON r.partner_id = c.partner_id AND r.company_id = c.company_id
            WHERE c.id = ANY(%s) AND r.state = 'posted'
              AND r.date BETWEEN GREATEST(c.opened_on, %s) AND LEAST(COALESCE(c.closed_on, %s), %s)
            GROUP BY c.id
            """,
            [ids, start, end, end],
        )
        for case_id, amount in cr.fetchall():
            n[key_of(case_id)]["collected"] += float(amount or 0)
        # roll rate: contracts of the cases, late at the start, in a worse bucket at the end
        cr.execute(
            """
            WITH rel AS (
                SELECT loan_collection_case_id AS case_id, loan_contract_id AS contract_id
                FROM loan_collection_case_loan_contract_rel
                WHERE loan_collection_case_id = ANY(%(ids)s)
            ), edge AS (
                SELECT rel.case_id, rel.contract_id,
                    (SELECT d.dpd FROM loan_contract_dpd d WHERE d.contract_id = rel.contract_id
                     AND d.date <= %(start)s ORDER BY d.date DESC LIMIT 1) AS dpd_from,
                    (SELECT d.dpd FROM loan_contract_dpd d WHERE d.contract_id = rel.contract_id
                     AND d.date <= %(end)s ORDER BY d.date DESC LIMIT 1) AS dpd_to
                FROM rel
            )
            SELECT edge.case_id, bf.id, bf.sequence, bt.sequence
            FROM edge
            JOIN loan_collection_bucket bf ON edge.dpd_from >= bf.min_dpd
                AND (bf.max_dpd = -1 OR edge.dpd_from <= bf.max_dpd)
            JOIN loan_collection_bucket bt ON COALESCE(edge.dpd_to, 0) >= bt.min_dpd
                AND (bt.max_dpd = -1 OR COALESCE(edge.dpd_to, 0) <= bt.max_dpd)
            WHERE edge.dpd_from > 0
            """,
            {"ids": ids, "start": start, "end": end},
        )
        for case_id, bucket_from, seq_from, seq_to in cr.fetchall():
            key = bucket_from if dim == "bucket" else key_of(case_id)
            n[key]["roll_base"] += 1
            n[key]["rolled"] += seq_to > seq_from
        if dim != "bucket":
            self._ticket_figures(n, params)

        def pct(num, den):
            return 100.0 * num / den if den else None

        values = {}
        for key, c in n.items():
            values[key] = {
                "contact_rate": pct(c["reached"], c["voice"]),
                "rpc_rate": pct(c["rpc"], c["voice"]),
                "promise_rate": pct(c["promises"], c["rpc"]),
                "kept_rate": pct(c["kept"], c["due_promises"]),
                "collected": c["collected"] if c["cases"] else None,
                "cure_rate": pct(c["cured"], c["cases"]),
                "roll_rate": pct(c["rolled"], c["roll_base"]),
                "first_contact_sla": pct(c["new_in_sla"], c["new"]),
                "ticket_sla": pct(c["tickets_in_sla"], c["tickets"]),
            }
        return values, {key: c["cases"] for key, c in n.items()}

    def _ticket_figures(self, n, params):
        """Loan tickets due in the period, answered (closed) by their deadline; on the
        team of their case, or the collector it is about."""
        column = (
            SQL.identifier("t", "loan_collector_id")
            if self.dimension == "user"
            else SQL.identifier("c", "team_id")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT %(column)s, COUNT(*),
                       COUNT(*) FILTER (WHERE t.closed_date IS NOT NULL
                                        AND t.closed_date <= t.loan_sla_deadline)
                FROM helpdesk_ticket t
                LEFT JOIN loan_collection_case c ON c.id = t.loan_case_id
                WHERE t.company_id = %(company)s AND t.loan_sla_deadline >= %(start)s
                  AND t.loan_sla_deadline < %(end1)s AND t.loan_case_id IS NOT NULL
                  AND (%(teams)s::int[] IS NULL OR c.team_id = ANY(%(teams)s::int[]))
                GROUP BY 1
                """,
                column=column,
                **params,
            )
        )
        for key, total, in_sla in self.env.cr.fetchall():
            n[key]["tickets"] += total
            n[key]["tickets_in_sla"] += in_sla

    def _lines(self):
        values, case_counts = self._figures()
        model = {"user": "res.users", "team": "loan.team", "bucket": "loan.collection.bucket"}[
            self.dimension
        ]
        targets = self.env["loan.collection.kpi.target"].search(
            [("company_id", "=", self.company_id.id)]
        )
        currency = self.company_id.currency_id
        lines = []
        for key, kpis in values.items():
            name = self.env[model].browse(key).display_name if key else self.env._("Unassigned")
            for kpi, value in kpis.items():
                if value is None:
                    continue
                target = targets._for(kpi, self.dimension, key)
                met = None
                if target:
                    higher = KPIS[kpi][2]
                    met = value >= target.target if higher else value <= target.target
                is_amount = KPIS[kpi][1] == "amount"
                target_value = target.target if target else 0.0
                lines.append(
                    {
                        "report_id": self.id,
                        "name": name,
                        "res_id": key or 0,
                        "kpi": kpi,
                        "is_amount": is_amount,
                        "value": 0.0 if is_amount else value,
                        "amount": currency.round(value) if is_amount else 0.0,
                        "target": 0.0 if is_amount else target_value,
                        "target_amount": currency.round(target_value) if is_amount else 0.0,
                        "has_target": bool(target),
                        "met": bool(met),
                        "cases": case_counts.get(key, 0),
                    }
                )
        return lines


class LoanCollectionKpiLine(models.TransientModel):
    _name = "loan.collection.kpi.line"
    _description = "Collection KPI"
    _order = "name, id"

    report_id = fields.Many2one("loan.collection.kpi.report", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="report_id.company_id.currency_id")
    name = fields.Char("For", required=True)
    res_id = fields.Integer()
    kpi = fields.Selection(KPI_SELECTION, "KPI", required=True)
    is_amount = fields.Boolean(help="The KPI is an amount in the company's currency.")
    value = fields.Float("Rate (%)", digits=(16, 2), aggregator="avg")
    amount = fields.Monetary(aggregator="sum")
    target = fields.Float("Target (%)", digits=(16, 2), aggregator=False)
    target_amount = fields.Monetary(aggregator=False)
    has_target = fields.Boolean()
    met = fields.Boolean("Target Met")
    cases = fields.Integer(aggregator=False)
