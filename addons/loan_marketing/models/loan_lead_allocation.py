from datetime import datetime, time, timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

CLAIM_ATTEMPTS = 5
WEEKDAYS = [
    (str(day), name)
    for day, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
]


class LoanLeadAllocationRule(models.Model):
    """Who gets a new lead: the first rule (by sequence) whose criteria match the lead
    (company, product, province, language, channel) hands it to one of its members, in turn
    (round robin) or in proportion to their weights, skipping those at their maximum of
    open leads. The rule sets the first-contact deadline, counted in working hours."""

    _name = "loan.lead.allocation.rule"
    _description = "Lead Allocation Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one("loan.team", "Lending Team")
    method = fields.Selection(
        [("round_robin", "Round robin"), ("weighted", "Weighted")],
        required=True,
        default="round_robin",
    )
    product_ids = fields.Many2many("loan.product", string="Products")
    province_ids = fields.Many2many("res.country.state", string="Provinces")
    lang_ids = fields.Many2many("res.lang", string="Languages")
    channel_ids = fields.Many2many("loan.marketing.channel", string="Channels")
    member_ids = fields.One2many("loan.lead.allocation.member", "rule_id", "Consultants")
    sla_minutes = fields.Integer("First Contact within (minutes)", default=15)
    tz = fields.Selection(
        "_tz_get", "Time Zone", required=True, default=lambda self: self.env.user.tz or "UTC"
    )
    hour_from = fields.Float("Working from", default=8.0)
    hour_to = fields.Float("Working until", default=20.0)
    weekdays = fields.Char(
        "Working Days", default="0,1,2,3,4,5", help="Days of the week, 0 = Monday."
    )
    max_escalations = fields.Integer(
        default=2, help="How many times a lead not contacted in time is reassigned."
    )
    lead_count = fields.Integer(compute="_compute_lead_count")

    @api.model
    def _tz_get(self):
        return [(tz, tz) for tz in pytz.common_timezones]

    @api.constrains("hour_from", "hour_to", "sla_minutes", "weekdays")
    def _check_hours(self):
        for rule in self:
            if not 0 <= rule.hour_from < rule.hour_to <= 24:
                raise ValidationError(
                    self.env._("The working hours of rule %s are not a valid range.", rule.name)
                )
            if rule.sla_minutes <= 0:
                raise ValidationError(
                    self.env._("The first-contact deadline of rule %s must be positive.", rule.name)
                )
            if not rule._days():
                raise ValidationError(
                    self.env._("Rule %s needs at least one working day (0 to 6).", rule.name)
                )

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [("loan_allocation_rule_id", "in", self.ids)],
                ["loan_allocation_rule_id"],
                ["__count"],
            )
        )
        for rule in self:
            rule.lead_count = counts.get(rule, 0)

    def _days(self):
        try:
            return {int(day) for day in (self.weekdays or "").split(",") if day.strip()} & set(
                range(7)
            )
        except ValueError:
            return set()

    # ---------------------------------------------------------------- deadline
    def _deadline(self, start):
        """``start`` plus the SLA minutes counted in the rule's working hours (UTC, naive)."""
        self.ensure_one()
        zone = pytz.timezone(self.tz or "UTC")
        local = pytz.utc.localize(start).astimezone(zone).replace(tzinfo=None)
        remaining = timedelta(minutes=self.sla_minutes)
        days = self._days()
        for _i in range(30):
            day_start = datetime.combine(local.date(), time()) + timedelta(hours=self.hour_from)
            day_end = datetime.combine(local.date(), time()) + timedelta(hours=self.hour_to)
            if local.weekday() in days and local < day_end:
                local = max(local, day_start)
                if local + remaining <= day_end:
                    local += remaining
                    return zone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
                remaining -= day_end - local
            local = datetime.combine(local.date() + timedelta(days=1), time())
        raise UserError(self.env._("Rule %s has no working time.", self.name))

    # ---------------------------------------------------------------- matching
    def _matches(self, lead):
        self.ensure_one()
        if lead.company_id and lead.company_id != self.company_id:
            return False
        if self.product_ids and lead.loan_product_id not in self.product_ids:
            return False
        if self.province_ids and lead.loan_province_id not in self.province_ids:
            return False
        if self.lang_ids and lead.lang_id not in self.lang_ids:
            return False
        if self.channel_ids and lead.loan_channel_id not in self.channel_ids:
            return False
        return True

    @api.model
    def _open_counts(self, user_ids):
        """{user id: lending leads assigned and not yet contacted}."""
        if not user_ids:
            return {}
        self.env["crm.lead"].flush_model(["user_id", "loan_first_contact_at", "loan_sla_state"])
        self.env.cr.execute(
            """
            SELECT user_id, COUNT(*) FROM crm_lead
             WHERE user_id = ANY(%s) AND active AND loan_first_contact_at IS NULL
               AND loan_sla_state IS NOT NULL
             GROUP BY user_id
            """,
            [list(user_ids)],
        )
        return dict(self.env.cr.fetchall())

    def _pick(self, members, open_counts, exclude=None, assigned=None):
        """The member next in turn: fewest assigned relative to weight, under max open.
        ``assigned``: {member id: count} kept by the caller during a batch."""
        best = None
        for member in members:
            if member.user_id == exclude or not member.active:
                continue
            if member.max_open and open_counts.get(member.user_id.id, 0) >= member.max_open:
                continue
            weight = member.weight if self.method == "weighted" else 1
            count = assigned[member.id] if assigned is not None else member.assigned_count
            key = ((count + 1) / max(weight, 1), member.sequence, member.id)
            if best is None or key < best[0]:
                best = (key, member)
        return best[1] if best else None

    @api.model
    def _plan(self, items, companies, now):
        """The consultant of each of ``items`` (leads, or the values of leads about to be
        created with the same attributes ``_matches`` reads): ``(user id, rule id,
        deadline)`` by the first matching rule, or None. The members' counts move as if
        they were assigned."""
        rules = self.sudo().search([("company_id", "in", companies.ids)])
        members = rules.member_ids
        open_counts = self._open_counts(members.user_id.ids)
        deadlines = {}
        counts = {member.id: member.assigned_count for member in members}
        plan = []
        for item in items:
            chosen = None
            for rule in rules:
                if not rule._matches(item):
                    continue
                member = rule._pick(rule.member_ids, open_counts, assigned=counts)
                if not member:
                    continue
                counts[member.id] += 1
                open_counts[member.user_id.id] = open_counts.get(member.user_id.id, 0) + 1
                if rule.id not in deadlines:
                    deadlines[rule.id] = rule._deadline(now)
                chosen = (member.user_id.id, rule.id, deadlines[rule.id])
                break
            plan.append(chosen)
        for member in members:
            if counts[member.id] != member.assigned_count:
                member.assigned_count = counts[member.id]
        return plan

    @api.model
    def _allocate(self, leads):
        """Assign ``leads`` (no consultant yet) by the first matching rule; returns the
        assigned leads. Grouped writes: one per consultant."""
        leads = leads.sudo()
        if not leads:
            return leads
        now = fields.Datetime.now()
        batches = {}
        for lead, chosen in zip(leads, self._plan(leads, leads.company_id, now), strict=True):
            if chosen:
                batches.setdefault(chosen, []).append(lead.id)
        assigned = leads.browse()
        for (user_id, rule_id, deadline), ids in batches.items():
            batch = leads.browse(ids)
            batch._loan_assign(user_id, rule_id, now, deadline)
            assigned |= batch
        return assigned

    def _reassign(self, lead, exclude=None):
        """Give ``lead`` to another member of this rule, with a new deadline."""
        self.ensure_one()
        open_counts = self._open_counts(self.member_ids.user_id.ids)
        member = self._pick(self.member_ids, open_counts, exclude=exclude)
        if not member:
            return False
        member.assigned_count += 1
        now = fields.Datetime.now()
        lead.sudo()._loan_assign(
            member.user_id.id, self.id, now, self._deadline(now), keep_sla=True
        )
        return member.user_id

    # ---------------------------------------------------------------- next lead
    @api.model
    def _next_lead(self, user):
        """The lead ``user`` works next: their own uncontacted lead due first, else the
        oldest unassigned lead of the rules they are a member of. Claimed in a short
        transaction of its own, committed at once (as collection's next case): the row lock
        skips what another consultant is taking, and a claim that another one committed
        since this snapshot is retried on a fresh one."""
        self.env.flush_all()
        for attempt in range(CLAIM_ATTEMPTS):
            try:
                with self.env.registry.cursor() as cr:
                    lead_id, claimed = self._take_lead(cr, user.id)
                break
            except psycopg2.errors.SerializationFailure:
                if attempt == CLAIM_ATTEMPTS - 1:
                    raise UserError(
                        self.env._(
                            "Other consultants are taking leads at this very moment: ask "
                            "for the next lead again."
                        )
                    ) from None
        Lead = self.env["crm.lead"]
        if not lead_id:
            return Lead
        lead = Lead.sudo().browse(lead_id)
        if claimed:
            lead.invalidate_recordset()
            lead.modified(["user_id"])
            prospects = lead.partner_id.filtered(
                lambda p: p.loan_is_prospect and not p.loan_is_borrower
            )
            if prospects:
                prospects.write({"loan_user_id": user.id})
        return lead.with_env(self.env)

    def _take_lead(self, cr, uid):
        """Lock and take the lead ``uid`` works next on cursor ``cr``: (id, newly taken)."""
        env = self.env(cr=cr, su=True)
        # two index scans in the order of the indexes on crm.lead (see crm_lead.py), each
        # stopping at the first row nobody is taking: the consultant's own lead due first,
        # else the oldest unassigned lead of the companies of the rules they work in
        waiting = SQL(
            "l.active AND l.type = 'lead' AND l.loan_first_contact_at IS NULL"
            " AND l.loan_blacklisted IS NOT TRUE"
        )
        row = None
        for scope in (
            SQL("l.user_id = %s AND l.company_id = ANY(%s)", uid, self.env.companies.ids),
            SQL(
                """
                l.user_id IS NULL AND l.loan_source_id IS NOT NULL
                AND l.company_id = ANY(ARRAY(
                    SELECT r.company_id FROM loan_lead_allocation_member m
                      JOIN loan_lead_allocation_rule r ON r.id = m.rule_id
                     WHERE m.user_id = %s AND m.active AND r.active
                       AND r.company_id = ANY(%s)))
                """,
                uid,
                self.env.companies.ids,
            ),
        ):
            cr.execute(
                SQL(
                    """
                    SELECT l.id, l.user_id, l.company_id FROM crm_lead l
                     WHERE %s AND %s
                     ORDER BY l.loan_sla_deadline NULLS LAST, l.id
                     LIMIT 1
                     FOR NO KEY UPDATE SKIP LOCKED
                    """,
                    waiting,
                    scope,
                ),
                log_exceptions=False,  # a concurrent claim is expected: retried
            )
            row = cr.fetchone()
            if row:
                break
        if not row:
            return None, False
        lead_id, owner, company_id = row
        if owner:
            return lead_id, False
        rule = env["loan.lead.allocation.rule"].search(
            [
                ("member_ids.user_id", "=", uid),
                ("member_ids.active", "=", True),
                ("company_id", "=", company_id),
            ],
            limit=1,
        )
        now = fields.Datetime.now()
        cr.execute(
            """
            UPDATE crm_lead SET user_id = %(uid)s, loan_allocation_rule_id = %(rule)s,
                   loan_assigned_at = %(now)s, loan_sla_deadline = %(deadline)s,
                   loan_sla_state = 'pending', write_uid = %(uid)s,
                   write_date = (now() AT TIME ZONE 'UTC')
             WHERE id = %(id)s
            """,
            {
                "uid": uid,
                "rule": rule.id or None,
                "now": now,
                "deadline": rule._deadline(now) if rule else None,
                "id": lead_id,
            },
            log_exceptions=False,
        )
        return lead_id, True


class LoanLeadAllocationMember(models.Model):
    _name = "loan.lead.allocation.member"
    _description = "Lead Allocation Member"
    _order = "rule_id, sequence, id"

    rule_id = fields.Many2one(
        "loan.lead.allocation.rule", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, help="Cleared while the consultant is away.")
    user_id = fields.Many2one(
        "res.users", "Consultant", required=True, domain="[('share', '=', False)]"
    )
    weight = fields.Integer(default=1, help="Weighted rules give leads in proportion to this.")
    max_open = fields.Integer(
        "Maximum Open Leads", help="Leads not yet contacted; 0 means no maximum."
    )
    assigned_count = fields.Integer("Assigned", readonly=True)

    _rule_user_uniq = models.Constraint(
        "UNIQUE(rule_id, user_id)", "A consultant is once in a rule."
    )

    @api.constrains("weight", "max_open")
    def _check_weight(self):
        for member in self:
            if member.weight < 1 or member.max_open < 0:
                raise ValidationError(
                    self.env._(
                        "%s: the weight must be at least 1 and the maximum not negative.",
                        member.user_id.name,
                    )
                )
