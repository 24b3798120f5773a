from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# what a collection visit's result means as a contact outcome
VISIT_OUTCOME = {
    "paid": "paid",
    "promise": "promise",
    "refused": "refused",
    "absent": "no_answer",
    "not_found": "wrong_number",
    "moved": "wrong_number",
}


class LoanFieldVisit(models.Model):
    """Collection visits are field visits too: planned per day and collector at the
    borrower's address, with result, GPS position and photos. The visit is a contact
    through the outreach gate, and money collected in the field becomes a receipt in
    servicing, which the accountant posts when the cash is handed in."""

    _inherit = "loan.field.visit"

    purpose = fields.Selection(
        [("verification", "Verification"), ("collection", "Collection")],
        required=True,
        default="verification",
        index=True,
    )
    case_id = fields.Many2one(
        "loan.collection.case", "Collection Case", index="btree_not_null", ondelete="cascade"
    )
    result = fields.Selection(
        selection_add=[
            ("paid", "Paid in the field"),
            ("promise", "Promised to pay"),
            ("absent", "Nobody at the address"),
        ],
        ondelete={"paid": "set null", "promise": "set null", "absent": "set null"},
    )
    contract_id = fields.Many2one(
        "loan.contract",
        "Contract Paid",
        domain="[('id', 'in', allowed_contract_ids)]",
        help="The contract the money collected in the field is for.",
    )
    allowed_contract_ids = fields.Many2many(related="case_id.contract_ids")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_collected = fields.Monetary("Collected in the Field")
    promise_amount = fields.Monetary()
    promise_date = fields.Date()
    receipt_id = fields.Many2one("loan.receipt", "Field Receipt", readonly=True, copy=False)
    activity_id = fields.Many2one("loan.collection.activity", "Contact", readonly=True, copy=False)

    @api.depends("application_id", "case_id")
    def _compute_partner_company(self):
        res = super()._compute_partner_company()
        for visit in self.filtered("case_id"):
            visit.partner_id = visit.case_id.partner_id
            visit.company_id = visit.case_id.company_id
        return res

    @api.constrains("application_id", "case_id", "purpose")
    def _check_subject(self):
        for visit in self:
            if visit.purpose == "collection" and not visit.case_id:
                raise ValidationError(self.env._("A collection visit needs its case."))
        return super(
            LoanFieldVisit, self.filtered(lambda v: v.purpose == "verification")
        )._check_subject()

    @api.constrains("amount_collected", "contract_id")
    def _check_collected(self):
        for visit in self:
            if visit.amount_collected < 0:
                raise ValidationError(self.env._("The amount collected cannot be negative."))
            if visit.amount_collected and visit.contract_id not in visit.case_id.contract_ids:
                raise ValidationError(
                    self.env._("Money collected in the field is for one of the case's contracts.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits._check_gate_allows_visit()
        return visits

    def write(self, vals):
        res = super().write(vals)
        if {"appointment", "case_id", "purpose"} & set(vals):
            self._check_gate_allows_visit()
        return res

    @api.model
    def _visit_verdict(self, case, when):
        """What the gate says of a collection visit to ``case``'s borrower at ``when``: a
        visit is planned only where and when the contact policy allows one."""
        return self.env["loan.outreach.attempt"].gate_check(
            case.partner_id, "visit", purpose="debt", when=when
        )

    def _check_gate_allows_visit(self):
        for visit in self.filtered(
            lambda v: v.purpose == "collection" and v.state == "planned" and v.case_id
        ):
            verdict = visit._visit_verdict(visit.case_id, visit.appointment)
            if not verdict["allowed"]:
                raise UserError(
                    self.env._(
                        "The contact policy does not allow visiting %(person)s then: %(reason)s",
                        person=visit.case_id.partner_id.display_name,
                        reason=verdict["reason"],
                    )
                )

    @api.onchange("case_id")
    def _onchange_case_id(self):
        partner = self.case_id.partner_id
        if partner and not self.address:
            self.address = self._address_of(partner)
        if len(self.case_id.contract_ids) == 1:
            self.contract_id = self.case_id.contract_ids

    def action_done(self):
        collection = self.filtered(lambda v: v.purpose == "collection")
        if collection:
            collection.ensure_one()
            return collection._done_collection()
        return super().action_done()

    def _done_collection(self):
        """The visit is a contact: the gate logs it (a blocked visit stays planned), the
        case records its outcome, a promise becomes a promise to pay, and money collected
        becomes a draft receipt of the contract."""
        self.ensure_one()
        if self.state != "planned":
            raise UserError(self.env._("Only a planned visit can be completed."))
        if not self.result:
            raise UserError(self.env._("Record the result of the visit first."))
        if self.result == "paid" and not (self.amount_collected > 0 and self.contract_id):
            raise UserError(
                self.env._("Enter the amount collected in the field and the contract it is for.")
            )
        activity = self.env["loan.collection.activity"].create(
            {
                "case_id": self.case_id.id,
                "channel": "visit",
                "user_id": self.user_id.id,
                "outcome": VISIT_OUTCOME.get(self.result, False),
                "note": self.notes,
                "promise_amount": self.promise_amount,
                "promise_date": self.promise_date,
            }
        )
        notification = activity.action_done()
        self.activity_id = activity
        if activity.state == "blocked":
            self.message_post(body=self.env._("Visit not recorded: %s", activity.blocked_reason))
            return notification
        vals = {"state": "done", "done_at": fields.Datetime.now()}
        if self.amount_collected > 0:
            vals["receipt_id"] = self._create_field_receipt().id
        self.write(vals)
        return True

    def _create_field_receipt(self):
        """A draft receipt in servicing for the cash collected: the accountant posts it
        (allocation, payment, reconciliation) when the collector hands the cash in.
        Created with servicing's rights (a collector creates no receipt otherwise), once the
        collector is known to work this visit and the contract is one of its case."""
        self.ensure_one()
        self.check_access("write")
        if self.contract_id not in self.case_id.contract_ids:
            raise UserError(
                self.env._(
                    "%(contract)s is not a contract of case %(case)s.",
                    contract=self.contract_id.sudo().display_name,
                    case=self.case_id.name,
                )
            )
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [("type", "=", "cash"), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )
        receipt = (
            self.env["loan.receipt"]
            .sudo()
            .create(
                {
                    "contract_id": self.contract_id.id,
                    "amount": self.amount_collected,
                    "date": fields.Date.context_today(self),
                    "journal_id": journal.id or False,
                    "reference": self.env._("Field visit by %s", self.user_id.name),
                }
            )
        )
        receipt.message_post(
            body=self.env._(
                "Collected in the field by %(collector)s on case %(case)s.",
                collector=self.user_id.name,
                case=self.case_id.name,
            )
        )
        return receipt


class LoanFieldVisitPlan(models.TransientModel):
    """A collector's day in the field: visits to the selected cases on one date, one after
    the other from a start time."""

    _name = "loan.field.visit.plan"
    _inherit = ["loan.collection.case.wizard"]
    _description = "Plan Field Visits"

    user_id = fields.Many2one(
        "res.users", "Collector", required=True, default=lambda self: self.env.user
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    start_hour = fields.Float("First Visit At", default=9.0)
    minutes_between = fields.Integer("Minutes per Visit", default=60)

    @api.model
    def _local_time(self, day, hour, user):
        """``hour`` o'clock on ``day`` in ``user``'s time zone, as a UTC datetime."""
        tz = pytz.timezone(user.tz or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time()) + timedelta(hours=hour))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def action_plan(self):
        """Plan the visits in the order of the cases' priority, in the collector's time
        zone; a case that already has a planned visit is left as it is."""
        self.ensure_one()
        if not 0 <= self.start_hour < 24 or self.minutes_between <= 0:
            raise UserError(self.env._("Start between 0:00 and 24:00, with a positive duration."))
        start = self._local_time(self.date, self.start_hour, self.user_id)
        cases = self.case_ids.filtered(
            lambda c: not c.field_visit_ids.filtered(lambda v: v.state == "planned")
        ).sorted(lambda c: (-c.priority, c.id))
        Visit = self.env["loan.field.visit"]
        planned, blocked = [], []
        for case in cases:
            # the gate judges each visit at its time; one it blocks is not planned and its
            # slot goes to the next case
            when = start + timedelta(minutes=len(planned) * self.minutes_between)
            verdict = Visit._visit_verdict(case, when)
            if not verdict["allowed"]:
                blocked.append("%s: %s" % (case.partner_id.display_name, verdict["reason"]))
                continue
            planned.append(
                {
                    "purpose": "collection",
                    "case_id": case.id,
                    "user_id": self.user_id.id,
                    "appointment": when,
                    "address": Visit._address_of(case.partner_id) or "-",
                    "contract_id": case.contract_ids[:1].id,
                }
            )
        visits = Visit.create(planned)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loan_collection.loan_field_visit_action_collection"
        )
        action.update(domain=[("id", "in", visits.ids)], context={"search_default_group_user": 1})
        if not blocked:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.env._(
                    "Not planned, the contact policy does not allow these visits: %s",
                    "; ".join(blocked),
                ),
                "next": action,
            },
        }
