from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

OPEN_STATES = ("open", "in_progress", "promise", "broken_promise", "hardship", "fraud", "legal")
WORKABLE = ("open", "in_progress", "promise", "broken_promise")
HOLD_MINUTES = 30


class LoanCollectionCase(models.Model):
    """One collection case per delinquent borrower and company, covering all their overdue
    contracts. The end of day opens it when a contract falls past due, keeps its days past
    due, amount and bucket current (moving it to the queue of its new bucket), and resolves
    it when nothing is overdue any more. Collectors take cases with "next case"."""

    _name = "loan.collection.case"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, dpd desc, id"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    partner_id = fields.Many2one(
        "res.partner", "Borrower", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    contract_ids = fields.Many2many(
        "loan.contract", string="Overdue Contracts", readonly=True, check_company=True
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("promise", "Promise to Pay"),
            ("broken_promise", "Broken Promise"),
            ("hardship", "Hardship Requested"),
            ("fraud", "Fraud Review"),
            ("legal", "Legal"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
        ],
        required=True,
        default="open",
        tracking=True,
        index=True,
    )
    dpd = fields.Integer("Days Past Due", readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    bucket_id = fields.Many2one("loan.collection.bucket", readonly=True, tracking=True, index=True)
    queue_id = fields.Many2one(
        "loan.collection.queue", tracking=True, index=True, check_company=True
    )
    team_id = fields.Many2one(related="queue_id.team_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", "Collector", tracking=True, index=True, help="Assigned by a team lead."
    )
    priority = fields.Float(
        readonly=True, help="Higher first: amount overdue weighted by lateness."
    )
    held_by_id = fields.Many2one(
        "res.users", "Worked by", readonly=True, copy=False, index="btree_not_null"
    )
    held_until = fields.Datetime(readonly=True, copy=False)
    opened_on = fields.Date(readonly=True)
    closed_on = fields.Date(readonly=True)
    collection_activity_ids = fields.One2many(
        "loan.collection.activity", "case_id", "Contacts", readonly=True
    )
    promise_ids = fields.One2many("loan.promise", "case_id", "Promises", readonly=True)
    fraud_referral_ids = fields.One2many("loan.fraud.referral", "case_id", "Fraud Referrals")
    ticket_ids = fields.One2many("helpdesk.ticket", "loan_case_id", "Tickets")
    strategy_id = fields.Many2one("loan.collection.strategy", readonly=True, tracking=True)
    strategy_variant = fields.Selection(
        [("champion", "Champion"), ("challenger", "Challenger")], readonly=True
    )
    strategy_assigned_on = fields.Date(readonly=True)
    strategy_step = fields.Integer("Last Step Done", readonly=True)
    next_action_date = fields.Date(readonly=True)
    next_action = fields.Char(readonly=True)

    # "next case" walks the workable cases in priority order and stops at the first free one
    _next_case_index = models.Index(
        "(priority DESC, id) WHERE state IN ('open', 'in_progress', 'promise', 'broken_promise')"
    )
    _one_open_case = models.UniqueIndex(
        "(partner_id, company_id) WHERE state NOT IN ('resolved', 'closed')",
        "A borrower has one open collection case per company.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("loan.collection.case") or "/"
        return super().create(vals_list)

    # ---------------------------------------------------------------- end of day
    @api.model
    def _sync_from_contracts(self, contract_ids, day):
        """Open, update, escalate and resolve the cases of the borrowers of
        ``contract_ids`` from the state the end of day left their contracts in. All the
        contracts of a borrower are looked at, whatever chunk they are in."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            """
            SELECT c.partner_id, c.company_id,
                   MAX(CASE WHEN c.state = 'overdue' THEN c.dpd ELSE 0 END),
                   SUM(CASE WHEN c.state = 'overdue' THEN c.overdue_amount ELSE 0 END),
                   array_agg(c.id) FILTER (WHERE c.state = 'overdue')
            FROM loan_contract c
            WHERE c.partner_id IN (SELECT partner_id FROM loan_contract WHERE id = ANY(%s))
            GROUP BY c.partner_id, c.company_id
            """,
            [list(contract_ids)],
        )
        status = {(p, co): (dpd, amount, ids or []) for p, co, dpd, amount, ids in cr.fetchall()}
        if not status:
            return
        partners = {p for p, _co in status}
        cases = self.sudo().search(
            [("partner_id", "in", list(partners)), ("state", "in", OPEN_STATES)]
        )
        by_key = {(case.partner_id.id, case.company_id.id): case for case in cases}
        Bucket = self.env["loan.collection.bucket"]
        to_create = []
        for (partner, company), (dpd, amount, ids) in status.items():
            case = by_key.get((partner, company))
            if not dpd:
                if case:
                    case.write({"state": "resolved", "closed_on": day, "held_by_id": False})
                    case.message_post(body=self.env._("Nothing overdue any more: resolved."))
                continue
            bucket = Bucket._for_dpd(dpd)
            vals = {
                "dpd": dpd,
                "overdue_amount": float(amount),
                "bucket_id": bucket.id,
                "contract_ids": [fields.Command.set(ids)],
                "priority": float(amount) * (1 + dpd / 30.0),
            }
            if not case:
                queue = self._queue_for(bucket, company)
                to_create.append(
                    dict(
                        vals,
                        partner_id=partner,
                        company_id=company,
                        queue_id=queue.id,
                        opened_on=day,
                    )
                )
                continue
            if case.bucket_id != bucket:
                escalated = bucket.sequence > case.bucket_id.sequence
                queue = self._queue_for(bucket, company)
                if queue and queue != case.queue_id and case.state != "fraud":
                    vals.update(queue_id=queue.id, user_id=False)
                case.write(vals)
                case.message_post(
                    body=(
                        self.env._("Escalated to %s.", bucket.name)
                        if escalated
                        else self.env._("Moved back to %s.", bucket.name)
                    )
                )
            else:
                case.write(vals)
        if to_create:
            self.sudo().with_context(mail_create_nolog=True).create(to_create)
        self.env["loan.promise"]._check_promises(partners, day)
        open_cases = self.sudo().search(
            [("partner_id", "in", list(partners)), ("state", "in", OPEN_STATES)]
        )
        Strategy = self.env["loan.collection.strategy"]
        Strategy._assign(open_cases, day)
        Strategy._run_steps(open_cases, day)

    @api.model
    def _loan_demo_cases(self):
        """Demo data only: the cases of the demo loans the end of day already saw."""
        contracts = self.env["loan.contract"].search([("state", "in", ("active", "overdue"))])
        if contracts:
            self._sync_from_contracts(contracts.ids, fields.Date.context_today(self))

    @api.model
    def _queue_for(self, bucket, company_id):
        return (
            self.env["loan.collection.queue"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company_id),
                    ("bucket_ids", "in", bucket.ids),
                    ("fraud_queue", "=", False),
                ],
                limit=1,
            )
        )

    # ---------------------------------------------------------------- worklist
    @api.model
    def _next_case(self):
        """The highest-priority workable case of the user's queues that nobody else is
        working: taken with a row lock that skips what another collector is taking at the
        same moment, then held for the user."""
        user = self.env.user
        user._loan_check_conduct_training()
        self.env.flush_all()
        if tools.config["test_enable"]:
            # tests run in one uncommitted transaction: claim the case in it
            case_id = self._take_case(self.env.cr, user.id)
        else:
            # claimed in a short transaction of its own, read committed, like Odoo's cron
            # workers claim jobs: two collectors never take the same case, and neither
            # waits for nor conflicts with the other's request
            with self.env.registry.cursor() as cr:
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                case_id = self._take_case(cr, user.id)
        self.invalidate_model(["held_by_id", "held_until", "state", "write_uid", "write_date"])
        if not case_id and not self.env["loan.collection.queue"].sudo().search_count(
            [("team_id.member_ids", "in", user.ids)], limit=1
        ):
            raise UserError(self.env._("You are in no collection queue."))
        return self.browse(case_id) if case_id else self.browse()

    @api.model
    def _take_case(self, cr, uid):
        """Lock the best free case of ``uid``'s queues, skipping those being taken, release
        what ``uid`` held and hold it. Returns its id or None."""
        cr.execute(
            """
            SELECT c.id FROM loan_collection_case c
            WHERE c.queue_id = ANY(ARRAY(
                    SELECT q.id FROM loan_collection_queue q
                    JOIN loan_team_res_users_rel r ON r.team_id = q.team_id
                    WHERE r.user_id = %(uid)s AND q.active))
              AND c.state IN %(states)s
              AND (c.user_id IS NULL OR c.user_id = %(uid)s)
              AND (c.held_by_id IS NULL OR c.held_until < (now() AT TIME ZONE 'UTC'))
            ORDER BY c.priority DESC, c.id
            LIMIT 1
            FOR NO KEY UPDATE SKIP LOCKED
            """,
            {"states": WORKABLE, "uid": uid},
        )
        row = cr.fetchone()
        # moving on: the case the collector held is released
        cr.execute(
            "UPDATE loan_collection_case SET held_by_id = NULL, held_until = NULL"
            " WHERE held_by_id = %s",
            [uid],
        )
        if not row:
            return None
        cr.execute(
            """
            UPDATE loan_collection_case
            SET held_by_id = %(uid)s, held_until = %(until)s,
                state = CASE WHEN state = 'open' THEN 'in_progress' ELSE state END,
                write_uid = %(uid)s, write_date = (now() AT TIME ZONE 'UTC')
            WHERE id = %(id)s
            """,
            {
                "uid": uid,
                "until": fields.Datetime.now() + timedelta(minutes=HOLD_MINUTES),
                "id": row[0],
            },
        )
        return row[0]

    @api.model
    def action_next_case(self):
        case = self._next_case()
        if not case:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._("No case is waiting in your queues."),
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": case.id,
            "view_mode": "form",
        }

    def write(self, vals):
        if vals.get("user_id"):
            self.env["res.users"].browse(vals["user_id"])._loan_check_conduct_training()
        return super().write(vals)

    def action_log_contact(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contact %s", self.partner_id.display_name),
            "res_model": "loan.collection.activity",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_release(self):
        self.filtered(lambda c: c.held_by_id == self.env.user).sudo().write(
            {"held_by_id": False, "held_until": False}
        )
        return True
