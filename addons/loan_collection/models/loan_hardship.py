from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.loan_servicing.models.loan_restructure import MAX_TERM
from odoo.exceptions import AccessError, UserError, ValidationError

from .loan_collection_case import WORKABLE

GRANTED = ("trial", "cured", "re_defaulted")


MAX_HOLIDAY = 12  # instalments


class LoanWaiverProgramme(models.Model):
    """A relief programme is also a hardship programme: who is eligible, and how long the
    trial period after relief lasts."""

    _inherit = "loan.waiver.programme"

    hardship_max_dpd = fields.Integer(
        "Eligible up to (days past due)", help="0: whatever the days past due."
    )
    hardship_min_paid = fields.Integer(
        "Instalments Paid at Least", help="Instalments paid in full before the request."
    )
    hardship_max_per_year = fields.Integer(
        "Relief per Borrower in 12 Months", default=1, help="0: no limit."
    )
    hardship_trial_months = fields.Integer(
        "Trial Period (months)",
        default=3,
        help="After relief, the borrower is cured once this period passes with every "
        "instalment paid when due; a missed instalment is a re-default.",
    )


class LoanHardshipRequest(models.Model):
    """A borrower in difficulty asks for relief, from a collection case or a ticket. The
    programme's eligibility rules are checked; the proposal is a waiver (role limits, the
    programme's monthly budget, maker-checker), a restructure or a payment holiday (a
    restructure with principal grace, approved by a Credit Approver). Once granted, a trial
    period follows, and the end of day records cure or re-default."""

    _name = "loan.hardship.request"
    _description = "Hardship Request"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "loan.collection.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", readonly=True)
    partner_id = fields.Many2one(related="case_id.partner_id", store=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    contract_id = fields.Many2one(
        "loan.contract",
        required=True,
        check_company=True,
        domain="[('id', 'in', allowed_contract_ids)]",
    )
    allowed_contract_ids = fields.Many2many(related="case_id.contract_ids")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    situation = fields.Text(required=True, help="What happened to the borrower.")
    proposal = fields.Selection(
        [("waiver", "Waiver"), ("restructure", "Restructure"), ("holiday", "Payment Holiday")],
        required=True,
        default="waiver",
    )
    programme_id = fields.Many2one("loan.waiver.programme", required=True, check_company=True)
    component = fields.Selection(
        [("penalty", "Penalties"), ("fees", "Fees"), ("interest", "Interest")], default="penalty"
    )
    amount = fields.Monetary()
    term = fields.Integer("New Term (instalments)")
    holiday_months = fields.Integer("Holiday (instalments)", default=3)
    waiver_id = fields.Many2one("loan.waiver", readonly=True, copy=False)
    waiver_state = fields.Selection(related="waiver_id.state", string="Waiver Status")
    restructure_id = fields.Many2one("loan.restructure", readonly=True, copy=False)
    restructure_state = fields.Selection(
        related="restructure_id.state", string="Restructure Status"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("trial", "Trial Period"),
            ("cured", "Cured"),
            ("re_defaulted", "Re-defaulted"),
            ("refused", "Refused"),
        ],
        required=True,
        default="draft",
        tracking=True,
        index=True,
    )
    granted_on = fields.Date(readonly=True, copy=False)
    trial_until = fields.Date(readonly=True, copy=False)
    outcome_on = fields.Date("Cured / Re-defaulted On", readonly=True, copy=False)

    @api.depends("case_id", "proposal")
    def _compute_display_name(self):
        proposals = dict(self._fields["proposal"]._description_selection(self.env))
        for request in self:
            request.display_name = self.env._(
                "%(case)s: %(proposal)s",
                case=request.case_id.name,
                proposal=proposals.get(request.proposal, ""),
            )

    @api.constrains("amount", "term", "holiday_months")
    def _check_values(self):
        for request in self:
            if request.amount < 0 or request.term < 0 or request.holiday_months < 0:
                raise ValidationError(self.env._("Amounts and terms cannot be negative."))
            if request.holiday_months > MAX_HOLIDAY or request.term > MAX_TERM:
                raise ValidationError(
                    self.env._(
                        "A payment holiday lasts at most %(holiday)s instalments and a new "
                        "term at most %(term)s.",
                        holiday=MAX_HOLIDAY,
                        term=MAX_TERM,
                    )
                )

    # ---------------------------------------------------------------- eligibility
    def _eligibility_problems(self):
        """What keeps this borrower out of the programme, as translated sentences."""
        self.ensure_one()
        programme, contract = self.programme_id, self.contract_id.sudo()
        problems = []
        if programme.hardship_max_dpd and contract.dpd > programme.hardship_max_dpd:
            problems.append(
                self.env._(
                    "%(contract)s is %(dpd)s days past due; the programme takes up to %(max)s.",
                    contract=contract.name,
                    dpd=contract.dpd,
                    max=programme.hardship_max_dpd,
                )
            )
        paid = len(contract.line_ids.filtered(lambda line: line.paid_date))
        if paid < programme.hardship_min_paid:
            problems.append(
                self.env._(
                    "%(paid)s instalments paid; the programme needs %(min)s.",
                    paid=paid,
                    min=programme.hardship_min_paid,
                )
            )
        if programme.hardship_max_per_year:
            since = fields.Date.context_today(self) - relativedelta(years=1)
            granted = self.sudo().search_count(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("state", "in", GRANTED),
                    ("granted_on", ">=", since),
                    ("id", "!=", self.id),
                ]
            )
            if granted >= programme.hardship_max_per_year:
                problems.append(
                    self.env._("The borrower already had %s relief in the last 12 months.", granted)
                )
        return problems

    # ---------------------------------------------------------------- workflow
    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("This request was already submitted."))
            problems = request._eligibility_problems()
            if problems:
                raise UserError(
                    self.env._("Not eligible for %s:", request.programme_id.name)
                    + "\n"
                    + "\n".join(problems)
                )
            if request.proposal == "waiver":
                request._propose_waiver()
            else:
                request._propose_restructure()
            request.state = "submitted"
            # out of the worklists while relief is decided (a case with fraud or legal stays)
            if request.case_id.state in WORKABLE:
                request.case_id.sudo().state = "hardship"
        return True

    def _propose_waiver(self):
        if not self.amount > 0:
            raise UserError(self.env._("Enter the amount to waive."))
        waiver = self.env["loan.waiver"].create(
            {
                "contract_id": self.contract_id.id,
                "programme_id": self.programme_id.id,
                "component": self.component,
                "amount": self.amount,
                "reason_id": self.env.ref("loan_servicing.loan_decision_reason_waiver_hardship").id,
                "note": self.situation,
            }
        )
        waiver.action_submit()
        self.waiver_id = waiver

    def _propose_restructure(self):
        """A restructure (new term) or a payment holiday (the open instalments plus the
        holiday, with no principal due during it), arrears capitalised."""
        contract = self.contract_id
        left = len(contract.line_ids.filtered(lambda line: not line.paid_date))
        if self.proposal == "holiday":
            if not self.holiday_months > 0:
                raise UserError(self.env._("Enter the length of the payment holiday."))
            term, grace = left + self.holiday_months, self.holiday_months
        else:
            if not self.term > 0:
                raise UserError(self.env._("Enter the new term."))
            term, grace = self.term, 0
        restructure = self.env["loan.restructure"].create(
            {
                "contract_id": contract.id,
                "term": term,
                "grace_principal": grace,
                "capitalise_arrears": True,
                "reason_id": self.env.ref(
                    "loan_servicing.loan_decision_reason_restructure_hardship"
                ).id,
                "note": self.situation,
            }
        )
        restructure.action_submit()
        self.restructure_id = restructure

    def action_approve_waiver(self):
        """Approve the proposed waiver (as its approver): refused over the approver's limit
        or the programme's remaining budget, like any waiver."""
        for request in self:
            if not request.waiver_id:
                raise UserError(self.env._("This request proposes no waiver."))
            request.waiver_id.action_approve()
        return True

    def action_refuse(self):
        """Refuse the relief: by the approver of the waiver or restructure it proposes
        (their approval rules apply, the requester never decides), or by a collection team
        lead while nothing is proposed yet."""
        for request in self:
            pending = [
                proposal
                for proposal in (request.waiver_id, request.restructure_id)
                if proposal.state == "to_approve"
            ]
            if pending:
                # refusing the proposal refuses the request (see their action_refuse below)
                for proposal in pending:
                    proposal.action_refuse()
                continue
            if not self.env.user.has_group("loan_base.group_loan_collection_lead"):
                raise AccessError(
                    self.env._(
                        "Only a collection team lead refuses %s: nothing is proposed yet.",
                        request.display_name,
                    )
                )
            request._refused()
        return True

    def _granted(self, day):
        """Relief was approved: the trial period starts."""
        for request in self.filtered(lambda r: r.state == "submitted"):
            request.write(
                {
                    "state": "trial",
                    "granted_on": day,
                    "trial_until": day
                    + relativedelta(months=request.programme_id.hardship_trial_months),
                }
            )
            case = request.case_id
            case.message_post(
                body=self.env._(
                    "Hardship relief granted; trial period until %s.", request.trial_until
                )
            )
            if case.state == "hardship":
                case.state = "in_progress"

    def _refused(self):
        """No relief: the request is refused and the case back in the worklists."""
        requests = self.filtered(lambda r: r.state in ("draft", "submitted"))
        requests.write({"state": "refused"})
        requests.case_id.filtered(lambda c: c.state == "hardship").sudo().write(
            {"state": "in_progress"}
        )

    # ---------------------------------------------------------------- end of day
    @api.model
    def _track_trials(self, partner_ids, day):
        """Cure and re-default: an instalment due since the relief and still unpaid on
        ``day`` is a re-default (within 12 months of the relief); a trial period that ends
        without one is a cure."""
        requests = self.sudo().search(
            [
                ("partner_id", "in", list(partner_ids)),
                ("state", "in", ("trial", "cured")),
                ("granted_on", ">", day - timedelta(days=366)),
            ]
        )
        for request in requests:
            missed = request.contract_id.line_ids.filtered(
                lambda line, r=request: r.granted_on < line.due_date < day and not line.paid_date
            )
            if missed:
                request.write({"state": "re_defaulted", "outcome_on": day})
                request.case_id.message_post(
                    body=self.env._(
                        "Re-defaulted after hardship relief: the instalment due %s is unpaid.",
                        missed[0].due_date,
                    )
                )
            elif request.state == "trial" and day >= request.trial_until:
                request.write({"state": "cured", "outcome_on": day})


class LoanWaiver(models.Model):
    _inherit = "loan.waiver"

    def _apply(self):
        res = super()._apply()
        self.env["loan.hardship.request"].sudo().search([("waiver_id", "in", self.ids)])._granted(
            fields.Date.context_today(self)
        )
        return res

    def action_refuse(self):
        res = super().action_refuse()
        self.env["loan.hardship.request"].sudo().search([("waiver_id", "in", self.ids)])._refused()
        return res


class LoanRestructure(models.Model):
    _inherit = "loan.restructure"

    def _apply(self):
        res = super()._apply()
        self.env["loan.hardship.request"].sudo().search(
            [("restructure_id", "in", self.ids)]
        )._granted(self.date)
        return res

    def action_refuse(self):
        res = super().action_refuse()
        self.env["loan.hardship.request"].sudo().search(
            [("restructure_id", "in", self.ids)]
        )._refused()
        return res
