from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

# a promise further away is no promise but a repayment plan (hardship, restructure)
MAX_PROMISE_DAYS = 366


class LoanPromise(models.Model):
    """A promise to pay an amount by a date. The end of day marks it kept once the
    borrower's receipts since it was made reach the amount, or broken when the date has
    passed without; a broken promise moves the case to "broken promise"."""

    _name = "loan.promise"
    _description = "Promise to Pay"
    _order = "date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "loan.collection.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="case_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    amount = fields.Monetary(required=True)
    date = fields.Date("Promised By", required=True)
    date_from = fields.Date("Made On", required=True, default=fields.Date.context_today)
    received = fields.Monetary(readonly=True, help="Received since the promise was made.")
    sequence = fields.Integer("Instalment", default=1, readonly=True)
    plan_first_id = fields.Many2one(
        "loan.promise", "First Instalment", readonly=True, help="Set on a promise in instalments."
    )
    state = fields.Selection(
        [("pending", "Pending"), ("kept", "Kept"), ("broken", "Broken")],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )

    @api.depends("amount", "date", "currency_id")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(amount)s by %(date)s",
                amount=promise.currency_id.format(promise.amount),
                date=format_date(self.env, promise.date),
            )

    @api.constrains("amount", "date", "date_from")
    def _check_values(self):
        for promise in self:
            if promise.amount <= 0:
                raise ValidationError(self.env._("A promised amount must be positive."))
            if promise.date < promise.date_from:
                raise ValidationError(self.env._("A promise cannot be due before it was made."))
            if (promise.date - promise.date_from).days > MAX_PROMISE_DAYS:
                raise ValidationError(
                    self.env._(
                        "A promise is kept within %s days of being made: make a hardship "
                        "request for a longer plan.",
                        MAX_PROMISE_DAYS,
                    )
                )

    @api.model
    def _check_promises(self, partner_ids, day):
        """Kept or broken, from the receipts posted for the borrower's contracts since the
        promise was made; in a promise in instalments, what was received counts for the
        earlier instalments first. One query for all the pending promises."""
        promises = self.sudo().search(
            [("partner_id", "in", list(partner_ids)), ("state", "=", "pending")]
        )
        if not promises:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT p.id,
                   (SELECT COALESCE(SUM(r.amount), 0) FROM loan_receipt r
                    WHERE r.partner_id = p.partner_id AND r.company_id = p.company_id
                      AND r.state = 'posted' AND r.date >= p.date_from
                      AND r.date <= LEAST(%(day)s, p.date)),
                   (SELECT COALESCE(SUM(e.amount), 0) FROM loan_promise e
                    WHERE e.plan_first_id = p.plan_first_id AND e.sequence < p.sequence)
            FROM loan_promise p WHERE p.id = ANY(%(ids)s)
            """,
            {"day": day, "ids": promises.ids},
        )
        figures = {
            pid: (float(received), float(earlier))
            for pid, received, earlier in self.env.cr.fetchall()
        }
        for promise in promises:
            received, earlier = figures[promise.id]
            cur = promise.currency_id
            vals = {"received": received}
            if cur.compare_amounts(received - earlier, promise.amount) >= 0:
                vals["state"] = "kept"
            elif promise.date < day:
                vals["state"] = "broken"
            promise.write(vals)
            case = promise.case_id
            if vals.get("state") == "kept":
                case.message_post(
                    body=self.env._("Promise of %s kept.", cur.format(promise.amount))
                )
                pending = case.promise_ids.filtered(lambda p: p.state == "pending")
                if case.state == "promise" and not pending:
                    case.state = "in_progress"
            elif vals.get("state") == "broken":
                case.message_post(
                    body=self.env._("Promise of %s broken.", cur.format(promise.amount))
                )
                if case.state not in ("resolved", "closed"):
                    case.state = "broken_promise"
