from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

OPEN_STATES = ("open", "in_progress", "promise", "broken_promise", "hardship", "fraud", "legal")
WORKABLE = ("open", "in_progress", "promise", "broken_promise")
HOLD_MINUTES = 30
CLAIM_ATTEMPTS = 5


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
    field_visit_ids = fields.One2many("loan.field.visit", "case_id", "Field Visits")
    strategy_id = fields.Many2one("loan.collection.strategy", readonly=True, tracking=True)
    strategy_variant = fields.Selection(
        [("champion", "Champion"), ("challenger", "Challenger")], readonly=True
    )
    strategy_assigned_on = fields.Date(readonly=True)
    strategy_step = fields.Integer("Last Step Done", readonly=True)
    next_action_date = fields.Date(readonly=True)
    next_action = fields.Char(readonly=True)
    script_id = fields.Many2one(
        "loan.collection.script", readonly=True, help="Chosen by the strategy's step."
    )

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
        buckets = Bucket.search([])
        to_create = []
        for (partner, company), (dpd, amount, ids) in status.items():
            case = by_key.get((partner, company))
            if not dpd:
                if case:
                    case.write({"state": "resolved", "closed_on": day, "held_by_id": False})
                    case.message_post(body=self.env._("Nothing overdue any more: resolved."))
                continue
            bucket = Bucket._for_dpd(dpd, buckets)
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
                if queue and queue != case.queue_id and case.state not in ("fraud", "legal"):
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
        self.env["loan.hardship.request"]._track_trials(partners, day)
        open_cases = self.sudo().search(
            [("partner_id", "in", list(partners)), ("state", "in", OPEN_STATES)]
        )
        open_cases._apply_fraud_rules()
        self.env["loan.collection.strategy"]._assign(open_cases, day)

    def _apply_fraud_rules(self):
        """Refer to the fraud team, by rule, the workable cases nobody referred yet:
        a first-payment default (nothing ever paid on a contract, its first instalment
        ``loan.fraud_fpd_days`` days late; 0 turns the rule off) and, if
        ``loan.fraud_flag_signals`` is set, an application origination flagged (the same
        ID or phone on other people, a blacklist match)."""
        params = self.env["ir.config_parameter"].sudo()
        fpd_days = int(params.get_param("loan.fraud_fpd_days", 0) or 0)
        signals = params.get_param("loan.fraud_flag_signals") in ("1", "True", "true")
        if not (fpd_days or signals):
            return
        for case in self.filtered(lambda c: c.state in WORKABLE and not c.fraud_referral_ids):
            contracts = case.contract_ids
            never_paid = contracts.filtered(
                lambda c: (
                    c.dpd >= fpd_days
                    and not any(
                        line.principal_paid or line.interest_paid or line.fee_paid
                        for line in c.line_ids
                    )
                )
            )
            if fpd_days and never_paid:
                case._flag_fraud(
                    "first_payment_default",
                    self.env._(
                        "By rule: nothing ever paid on %(contracts)s, %(dpd)s days past due.",
                        contracts=", ".join(never_paid.mapped("name")),
                        dpd=max(never_paid.mapped("dpd")),
                    ),
                )
                continue
            flagged = contracts.application_id.filtered("fraud_signals")
            if signals and flagged:
                case._flag_fraud(
                    "shared_contact",
                    self.env._(
                        "By rule: origination flagged %s.", ", ".join(flagged.mapped("name"))
                    )
                    + "\n"
                    + "\n".join(flagged.mapped("fraud_signals")),
                )

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
        if not user.has_group("loan_base.group_loan_collector"):
            raise AccessError(self.env._("Only collection staff work the collection queues."))
        user._loan_check_conduct_training()
        self.env.flush_all()
        # claimed in a short transaction of its own, committed at once, as Odoo's cron
        # workers claim jobs: two collectors never take the same case (the row lock skips
        # what another is taking, the hold keeps it theirs), and neither waits for the other
        for attempt in range(CLAIM_ATTEMPTS):
            try:
                with self.env.registry.cursor() as cr:
                    case_id = self._take_case(cr, user.id)
                break
            except psycopg2.errors.SerializationFailure:
                # another collector's claim committed since this one's snapshot: try again
                if attempt == CLAIM_ATTEMPTS - 1:
                    raise UserError(
                        self.env._(
                            "Other collectors are taking cases at this very moment: ask for "
                            "the next case again."
                        )
                    ) from None
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
            log_exceptions=False,  # a concurrent claim is expected: retried, not an error
        )
        row = cr.fetchone()
        # moving on: the case the collector held is released
        cr.execute(
            "UPDATE loan_collection_case SET held_by_id = NULL, held_until = NULL"
            " WHERE held_by_id = %s",
            [uid],
            log_exceptions=False,
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
            log_exceptions=False,
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
        """The contact dialog: the contact policy's verdict first, the script, then what
        came of the contact."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contact %s", self.partner_id.display_name),
            "res_model": "loan.collection.activity",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_log_inbound(self):
        """The borrower (or a related person) called, wrote or walked in: the contact
        dialog, inbound."""
        action = self.action_log_contact()
        action["name"] = self.env._("Inbound contact from %s", self.partner_id.display_name)
        action["context"]["default_direction"] = "inbound"
        return action

    def action_log_promise(self):
        """Record a promise to pay: the contact dialog with the promise's outcome."""
        action = self.action_log_contact()
        action["name"] = self.env._("Promise to pay: %s", self.partner_id.display_name)
        action["context"]["default_outcome"] = "promise"
        return action

    def action_assign(self):
        """A team lead assigns or balances the selected cases."""
        self._check_lead()
        self.check_access("write")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loan_collection.loan_collection_assign_action"
        )
        action["context"] = {"active_model": self._name, "active_ids": self.ids}
        return action

    def _plan_visit(self, day, note):
        """A strategy's visit step: a visit planned for the case's collector on ``day``."""
        self.ensure_one()
        if self.field_visit_ids.filtered(lambda v: v.state == "planned"):
            return
        self.env["loan.field.visit"].sudo().create(
            {
                "purpose": "collection",
                "case_id": self.id,
                "user_id": self.user_id.id,
                "appointment": self.env["loan.field.visit.plan"]._local_time(
                    day, 9.0, self.user_id
                ),
                "address": self.env["loan.field.visit"]._address_of(self.partner_id) or "-",
                "notes": note,
                "contract_id": self.contract_ids[:1].id,
            }
        )

    def action_plan_field_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Field Visit"),
            "res_model": "loan.field.visit",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_purpose": "collection",
                "default_case_id": self.id,
                "default_user_id": (self.user_id or self.env.user).id,
            },
        }

    def action_send_to_legal(self):
        """A team lead hands the case to legal recovery: out of the worklists, kept in its
        queue, still followed by the end of day."""
        self._check_lead()
        for case in self:
            if case.state not in OPEN_STATES or case.state == "legal":
                raise UserError(self.env._("%s cannot go to legal now.", case.name))
        self.write({"state": "legal", "held_by_id": False, "held_until": False})
        for case in self:
            case.message_post(body=self.env._("Handed to legal recovery."))
        return True

    def action_close(self):
        """A team lead closes a resolved case, or one whose contracts are all closed or
        written off."""
        self._check_lead()
        for case in self:
            contracts = case.sudo().contract_ids
            settled = contracts and all(c.state in ("closed", "written_off") for c in contracts)
            if case.state != "resolved" and not settled:
                raise UserError(
                    self.env._(
                        "%s still has money to collect: it closes once resolved or written off.",
                        case.name,
                    )
                )
        for case in self:
            case.write(
                {
                    "state": "closed",
                    "held_by_id": False,
                    "held_until": False,
                    "closed_on": case.closed_on or fields.Date.context_today(self),
                }
            )
        return True

    def _check_lead(self):
        if not self.env.user.has_group("loan_base.group_loan_collection_lead"):
            raise AccessError(self.env._("Only a collection team lead may do this."))

    def action_release(self):
        self.filtered(lambda c: c.held_by_id == self.env.user).sudo().write(
            {"held_by_id": False, "held_until": False}
        )
        return True


class LoanContract(models.Model):
    _inherit = "loan.contract"

    collection_case_ids = fields.Many2many(
        "loan.collection.case",
        "loan_collection_case_loan_contract_rel",
        "loan_contract_id",
        "loan_collection_case_id",
        string="Collection Cases",
        readonly=True,
    )

    collection_bucket_id = fields.Many2one(
        "loan.collection.bucket",
        compute="_compute_collection_bucket_id",
        store=True,
        index="btree_not_null",
        help="Delinquency bucket of the contract's days past due, kept by the end of day.",
    )

    @api.depends("dpd", "state")
    def _compute_collection_bucket_id(self):
        Bucket = self.env["loan.collection.bucket"].sudo()
        buckets = Bucket.search([])
        for contract in self:
            if contract.state not in ("active", "overdue"):
                contract.collection_bucket_id = False
                continue
            contract.collection_bucket_id = Bucket._for_dpd(contract.dpd, buckets)

    @api.model
    def _sync_collection_bucket(self, contract_ids):
        """The end of day writes days past due in SQL: set the bucket the same way."""
        self.env["loan.collection.bucket"].flush_model()
        self.env.cr.execute(
            """
            UPDATE loan_contract c
            SET collection_bucket_id = (
                SELECT b.id FROM loan_collection_bucket b
                WHERE b.min_dpd <= c.dpd AND (b.max_dpd = -1 OR c.dpd <= b.max_dpd)
                ORDER BY b.min_dpd DESC LIMIT 1)
            WHERE c.id = ANY(%(ids)s) AND c.state IN ('active', 'overdue')
            """,
            {"ids": list(contract_ids)},
        )
        self.env.cr.execute(
            "UPDATE loan_contract SET collection_bucket_id = NULL"
            " WHERE id = ANY(%s) AND state NOT IN ('active', 'overdue')"
            " AND collection_bucket_id IS NOT NULL",
            [list(contract_ids)],
        )
        self.invalidate_model(["collection_bucket_id"])
