from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain


class LoanApplication(models.Model):
    """A loan application, from the lead that asked for it to the decision, moving through
    stages an administrator configures: documents, checks and the responsible group."""

    _name = "loan.application"
    _description = "Loan Application"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"

    name = fields.Char(
        "Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Borrower",
        required=True,
        index=True,
        tracking=True,
        domain="[('loan_is_borrower', '=', True)]",
    )
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", copy=False)
    product_id = fields.Many2one(
        "loan.product",
        required=True,
        tracking=True,
        domain="[('company_id', '=', company_id)]",
    )
    currency_id = fields.Many2one(related="product_id.currency_id", store=True)
    amount = fields.Monetary(required=True, tracking=True)
    term = fields.Integer("Term (instalments)", required=True, tracking=True)
    purpose = fields.Char()
    stated_income = fields.Monetary("Stated Monthly Income")
    stage_id = fields.Many2one(
        "loan.application.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
        ondelete="restrict",
    )
    stage_kind = fields.Selection(related="stage_id.kind", store=True)
    is_decision = fields.Boolean(related="stage_id.is_decision")
    user_id = fields.Many2one(
        "res.users", "Loan Officer", index=True, tracking=True, default=lambda self: self.env.user
    )
    appraiser_id = fields.Many2one("res.users", index=True, tracking=True)
    team_id = fields.Many2one("loan.team", index=True, tracking=True)
    document_ids = fields.One2many(
        "loan.application.document", "application_id", "Documents", copy=False
    )
    verification_ids = fields.One2many("loan.verification", "application_id", "Checks", copy=False)
    field_visit_ids = fields.One2many("loan.field.visit", "application_id", "Field Visits")
    # credit analysis
    scorecard_id = fields.Many2one("loan.scorecard", readonly=True, copy=False)
    score = fields.Integer(readonly=True, copy=False, tracking=True)
    grade = fields.Char(readonly=True, copy=False, tracking=True)
    recommendation = fields.Selection(
        [("approve", "Approve"), ("refer", "Refer"), ("decline", "Decline")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    reason_codes = fields.Char(
        "Score Reason Codes",
        readonly=True,
        copy=False,
        help="The engine's codes of what weighed most against the score, for exports.",
    )
    reason_labels = fields.Char(
        "Score Reasons",
        compute="_compute_reason_labels",
        help="What weighed most against the score, by the scorecard's own labels.",
    )
    scored_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    scored_at = fields.Datetime("Scored On", readonly=True, copy=False)
    dti = fields.Float(
        "DTI (%)",
        digits=(7, 2),
        compute="_compute_dti",
        help="First instalment (fees included) over the stated monthly income.",
    )
    exposure = fields.Monetary(
        "Customer Exposure",
        compute="_compute_exposure",
        help="This request plus the borrower's other open or approved applications.",
    )
    fraud_signals = fields.Text(readonly=True, copy=False)
    # decision
    approver_group_id = fields.Many2one(
        "res.groups",
        compute="_compute_approver_group",
        store=True,
        help="The group the approval matrix designates for this application.",
    )
    awaiting_my_decision = fields.Boolean(
        compute="_compute_awaiting_my_decision",
        search="_search_awaiting_my_decision",
        help="At a decision stage, routed by the approval matrix to one of my groups, and "
        "not made by me.",
    )
    decision = fields.Selection(
        [("approved", "Approved"), ("declined", "Declined")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    decision_reason_ids = fields.Many2many(
        "loan.decision.reason", string="Decision Reasons", readonly=True, copy=False
    )
    decision_note = fields.Text(readonly=True, copy=False)
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    decided_at = fields.Datetime("Decided On", readonly=True, copy=False)
    decision_override_reason = fields.Text(
        "Override Reason",
        readonly=True,
        copy=False,
        help="Why a Lending Manager approved although something was missing.",
    )
    decision_override_missing = fields.Text(
        "Missing at Approval",
        readonly=True,
        copy=False,
        help="What was missing when a Lending Manager approved by override.",
    )
    contract_ids = fields.One2many("loan.contract", "application_id", readonly=True)
    missing_items = fields.Text(
        "Missing to Move On",
        compute="_compute_missing_items",
        help="What the current stage still requires before the application can move on.",
    )
    document_progress = fields.Char(compute="_compute_document_progress")

    _amount_positive = models.Constraint("CHECK(amount > 0)", "The amount must be positive.")
    _term_positive = models.Constraint("CHECK(term > 0)", "The term must be at least one.")

    # ---------------------------------------------------------------- defaults
    @api.model
    def _default_stage(self):
        return self.env["loan.application.stage"].search([("kind", "=", "open")], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    # ---------------------------------------------------------------- computes
    @api.depends(
        "stage_id",
        "product_id.document_type_ids",
        "document_ids.state",
        "document_ids.document_type_id",
        "verification_ids.result",
        "verification_ids.check_type_id",
        "scored_at",
    )
    def _compute_missing_items(self):
        for app in self:
            if app.stage_id.is_decision:
                missing = app._missing_for_decision()
            else:
                missing = app._missing_for_stage(app.stage_id)
            app.missing_items = "\n".join(missing) or False

    @api.depends("document_ids.state")
    def _compute_document_progress(self):
        for app in self:
            done = len(app.document_ids.filtered(lambda d: d.state in ("received", "verified")))
            app.document_progress = "%s / %s" % (done, len(app.document_ids))

    @api.depends("product_id", "amount", "term", "stated_income", "partner_id")
    def _compute_dti(self):
        today = fields.Date.context_today(self)
        for app in self:
            income = app.stated_income or app.partner_id.sudo().loan_monthly_income
            app.dti = 0.0
            if not (income and app.product_id and app.amount and app.term):
                continue
            try:
                result = app.product_id._loan_schedule(app.amount, app.term, today)
            except UserError:
                continue
            first = result["lines"][0].instalment + result["instalment_fee"]
            app.dti = float(app.product_id._loan_dti(first, income) or 0)

    @api.depends("product_id", "amount", "grade", "company_id")
    def _compute_approver_group(self):
        Rule = self.env["loan.approval.rule"].sudo()
        for app in self:
            app.approver_group_id = Rule._approver_group(app) if app.product_id else False

    @api.depends_context("uid")
    @api.depends("stage_id", "approver_group_id")
    def _compute_awaiting_my_decision(self):
        mine = self.filtered_domain(self._awaiting_my_decision_domain())
        for app in self:
            app.awaiting_my_decision = app in mine

    def _awaiting_my_decision_domain(self):
        uid = self.env.uid
        return [
            ("stage_id.is_decision", "=", True),
            ("approver_group_id", "in", self.env.user.all_group_ids.ids),
            ("create_uid", "!=", uid),
            ("user_id", "!=", uid),
            ("appraiser_id", "!=", uid),
            ("scored_by_id", "!=", uid),
        ]

    def _search_awaiting_my_decision(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain(self._awaiting_my_decision_domain())
        if True in value:
            return Domain.TRUE if False in value else domain
        return ~domain if False in value else Domain.FALSE

    @api.depends("amount", "partner_id")
    def _compute_exposure(self):
        """This request plus the borrower's other open or disbursed applications in the same
        currency: one grouped query for all the records."""
        totals = {
            (partner.id, currency.id): amount
            for partner, currency, amount in self.sudo()._read_group(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("stage_kind", "in", ("open", "disbursed")),
                ],
                ["partner_id", "currency_id"],
                ["amount:sum"],
            )
        }
        for app in self:
            total = totals.get((app.partner_id.id, app.currency_id.id), 0.0)
            if app._origin.id and app._origin.stage_kind in ("open", "disbursed"):
                total -= app._origin.amount  # counted as ``amount`` below, maybe changed
            app.exposure = app.amount + total

    # ---------------------------------------------------------------- constraints
    @api.constrains("amount", "term", "product_id")
    def _check_request(self):
        for app in self:
            try:
                app.product_id._loan_check_request(app.amount, app.term)
            except UserError as exc:
                raise ValidationError(exc.args[0]) from exc

    # ---------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("loan.application") or "/"
        apps = super().create(vals_list)
        apps._sync_document_checklist()
        return apps

    def write(self, vals):
        if "stage_id" in vals:
            target = self.env["loan.application.stage"].browse(vals["stage_id"])
            for app in self:
                app._check_stage_move(target)
        res = super().write(vals)
        if "product_id" in vals:
            self._sync_document_checklist()
        return res

    # ---------------------------------------------------------------- stage rules
    def _missing_for_stage(self, stage):
        """Human-readable list of what ``stage`` requires and this application lacks."""
        self.ensure_one()
        missing = []
        ok_states = ("verified",) if stage.documents_verified else ("received", "verified")
        done_docs = self.document_ids.filtered(lambda d: d.state in ok_states).document_type_id
        for doc_type in stage.document_type_ids - done_docs:
            missing.append(
                self.env._("Document: %s", doc_type.name)
                if not stage.documents_verified
                else self.env._("Verified document: %s", doc_type.name)
            )
        passed = self.verification_ids.filtered(lambda v: v.result == "pass").check_type_id
        for check in stage.check_type_ids - passed:
            missing.append(self.env._("Check: %s", check.name))
        if stage.require_score and not self.scored_at:
            missing.append(self.env._("Credit score"))
        return missing

    def _missing_for_decision(self):
        """What an approval would go ahead without: every document the product requires
        verified, every check the stages up to this one require passed, every recorded check
        done and passed, and what the current stage itself requires."""
        self.ensure_one()
        me = (self.stage_id.sequence, self.stage_id.id)
        stages = (
            self.env["loan.application.stage"]
            .search([("kind", "=", "open")])
            .filtered(lambda s: (s.sequence, s.id) <= me)
        )
        missing = []
        verified = self.document_ids.filtered(lambda d: d.state == "verified").document_type_id
        for doc_type in (self.product_id.document_type_ids | stages.document_type_ids) - verified:
            missing.append(self.env._("Verified document: %s", doc_type.name))
        passed = self.verification_ids.filtered(lambda v: v.result == "pass").check_type_id
        required = stages.check_type_ids
        for check in required - passed:
            missing.append(self.env._("Check: %s", check.name))
        for check in self.verification_ids.filtered(lambda v: v.result != "pass"):
            if check.check_type_id in required or check.check_type_id in passed:
                continue
            missing.append(
                self.env._("Check not passed: %s", check.check_type_id.name)
                if check.result == "fail"
                else self.env._("Check not done: %s", check.check_type_id.name)
            )
        if any(stages.mapped("require_score")) and not self.scored_at:
            missing.append(self.env._("Credit score"))
        return missing

    def _check_stage_move(self, target):
        """Refuse a forward move while the current stage's requirements are not met, or by
        a user outside the stage's responsible group."""
        self.ensure_one()
        current = self.stage_id
        if not current or target == current:
            return
        if current.kind in ("disbursed", "rejected", "cancelled"):
            raise UserError(
                self.env._(
                    "%(app)s is %(stage)s and cannot move.", app=self.name, stage=current.name
                )
            )
        if target.kind in ("rejected", "cancelled"):
            return
        if target.kind == "disbursed" and self.env.context.get("loan_disbursement"):
            return  # the contract was approved, signed and has just been paid out
        if target.kind == "disbursed":
            raise UserError(
                self.env._(
                    "%(app)s reaches %(stage)s when a Loan Accountant disburses its contract.",
                    app=self.name,
                    stage=target.name,
                )
            )
        if (
            current.group_id
            and not self.env.su
            and current.group_id not in self.env.user.all_group_ids
        ):
            raise UserError(
                self.env._(
                    "Only %(group)s may move %(app)s out of %(stage)s.",
                    group=current.group_id.full_name,
                    app=self.name,
                    stage=current.name,
                )
            )
        if (target.sequence, target.id) < (current.sequence, current.id):
            return  # sending back is always allowed
        # every stage passed on the way must have its requirements met
        passed = (
            self.env["loan.application.stage"]
            .search([("kind", "=", "open")])
            .filtered(
                lambda s: (
                    (current.sequence, current.id)
                    <= (s.sequence, s.id)
                    < (target.sequence, target.id)
                )
            )
        )
        decision_stage = (passed | current).filtered("is_decision")[:1]
        if decision_stage and self.decision != "approved" and not self.env.su:
            raise UserError(
                self.env._(
                    "%(app)s passes %(stage)s only by a credit decision: use Decide.",
                    app=self.name,
                    stage=decision_stage.name,
                )
            )
        missing = []
        for stage in passed | current:
            missing += [m for m in self._missing_for_stage(stage) if m not in missing]
        if missing:
            raise UserError(
                "\n".join(
                    [
                        self.env._(
                            "%(app)s cannot leave %(stage)s; missing:",
                            app=self.name,
                            stage=current.name,
                        ),
                        *("- %s" % item for item in missing),
                    ]
                )
            )

    def _sync_document_checklist(self):
        """One checklist line per document the product requires (existing lines are kept)."""
        lines = []
        for app in self:
            have = app.document_ids.document_type_id
            for doc_type in app.product_id.document_type_ids - have:
                lines.append({"application_id": app.id, "document_type_id": doc_type.id})
        if lines:
            self.env["loan.application.document"].create(lines)

    # ---------------------------------------------------------------- actions
    def action_next_stage(self):
        """Move to the next open stage, with the missing items listed if refused."""
        stages = self.env["loan.application.stage"].search(
            [("kind", "in", ("open", "disbursed"))], order="sequence, id"
        )
        for app in self:
            position = (app.stage_id.sequence, app.stage_id.id)
            following = [s for s in stages if (s.sequence, s.id) > position]
            if not following:
                raise UserError(self.env._("%s is at the last stage.", app.name))
            app.stage_id = following[0]
        return True

    def action_cancel(self):
        stage = self.env["loan.application.stage"].search([("kind", "=", "cancelled")], limit=1)
        self.write({"stage_id": stage.id})

    def action_request_documents(self):
        """Ask the borrower for the missing documents through the outreach gate."""
        self.ensure_one()
        missing = self.document_ids.filtered(lambda d: d.state in ("missing", "rejected"))
        if not missing:
            raise UserError(self.env._("No document is missing on %s.", self.name))
        template = self.env.ref("loan_origination.mail_template_loan_documents_request")
        channel = "email" if self.partner_id.email else "sms"
        attempt = self.env["loan.outreach.attempt"].gate_send(
            self.partner_id, channel, purpose="service", template=template, origin=self
        )
        self.message_post(
            body=self.env._(
                "Missing documents requested by %(channel)s: %(verdict)s",
                channel=channel,
                verdict=attempt.reason,
            )
        )
        return attempt

    @api.depends("reason_codes", "scorecard_id")
    @api.depends_context("lang")
    def _compute_reason_labels(self):
        limits = {
            "exposure": self.env._("Exposure over the product's limit"),
            "dti_limit": self.env._("DTI over the product's maximum"),
        }
        variables = dict(
            self.env["loan.scorecard.attribute"]
            ._fields["variable"]
            ._description_selection(self.env)
        )
        for app in self:
            labels = {attr.variable: attr.name for attr in app.sudo().scorecard_id.attribute_ids}
            codes = [code.strip() for code in (app.reason_codes or "").split(",") if code.strip()]
            app.reason_labels = (
                ", ".join(
                    labels.get(code) or limits.get(code) or variables.get(code, code)
                    for code in codes
                )
                or False
            )

    def action_score(self):
        """Credit analysis: evaluate the product's scorecard, DTI, exposure and fraud signals."""
        for app in self:
            card = app.product_id.scorecard_id
            if not card:
                raise UserError(self.env._("The product %s has no scorecard.", app.product_id.name))
            result = card.evaluate(card._application_values(app))
            signals = self.env["loan.blacklist.entry"]._fraud_signals(app.partner_id)
            recommendation = result.recommendation
            if signals and recommendation == "approve":
                recommendation = "refer"
            reasons = list(result.reason_codes)
            cap = app.product_id.max_exposure
            if cap and app.currency_id.compare_amounts(app.exposure, cap) > 0:
                recommendation = "decline"
                reasons.append("exposure")
            if app.product_id._loan_dti_exceeded(app.dti):
                recommendation = "decline" if recommendation != "decline" else recommendation
                reasons.append("dti_limit")
            app.write(
                {
                    "scorecard_id": card.id,
                    "score": result.score,
                    "grade": result.grade,
                    "recommendation": recommendation,
                    "reason_codes": ", ".join(reasons) or False,
                    "fraud_signals": "\n".join(signals) or False,
                    "scored_by_id": self.env.uid,
                    "scored_at": fields.Datetime.now(),
                }
            )
        return True

    def _makers(self):
        """Users who made this application: they may not decide it (maker-checker)."""
        self.ensure_one()
        return (
            self.create_uid
            | self.user_id
            | self.appraiser_id
            | self.scored_by_id
            | self.verification_ids.user_id
            | self.field_visit_ids.filtered(lambda v: v.state == "done").user_id
        )

    def _check_can_decide(self):
        self.ensure_one()
        if not self.stage_id.is_decision:
            raise UserError(
                self.env._(
                    "%(app)s is not at a decision stage (%(stage)s).",
                    app=self.name,
                    stage=self.stage_id.name,
                )
            )
        if not self.scored_at:
            raise UserError(self.env._("%s must be scored before a decision.", self.name))
        if self.env.user in self._makers():
            raise UserError(
                self.env._(
                    "You created, appraised or scored %s: another approver must decide it.",
                    self.name,
                )
            )
        group = self.approver_group_id
        if group not in self.env.user.all_group_ids:
            raise UserError(
                self.env._(
                    "The approval matrix sends %(app)s to %(group)s.",
                    app=self.name,
                    group=group.full_name,
                )
            )

    def _decide(self, decision, reasons, note=None, override_reason=None):
        """Record a credit decision; approval moves on, a decline rejects and notifies.

        An approval is refused while something is missing (see ``_missing_for_decision``),
        unless a Lending Manager overrides it with ``override_reason``, kept on the
        application and posted in its chatter."""
        override_reason = (override_reason or "").strip()
        for app in self:
            app._check_can_decide()
            missing = app._missing_for_decision() if decision == "approved" else []
            if missing:
                app._check_can_override(missing, override_reason)
            if (
                decision == "approved"
                and app.recommendation == "decline"
                and not self.env.user.has_group("loan_base.group_loan_manager")
            ):
                raise UserError(
                    self.env._(
                        "The score of %s recommends a decline: only a Lending Manager approves it.",
                        app.name,
                    )
                )
            if not reasons:
                raise UserError(self.env._("Give at least one reason for the decision."))
            vals = {
                "decision": decision,
                "decision_reason_ids": [fields.Command.set(reasons.ids)],
                "decision_note": note,
                "decided_by_id": self.env.uid,
                "decided_at": fields.Datetime.now(),
            }
            if missing:
                vals["decision_override_reason"] = override_reason
                vals["decision_override_missing"] = "\n".join(missing)
            if decision == "approved":
                app.write(vals)
                app._create_contract()
                app.action_next_stage()
            else:
                rejected = self.env["loan.application.stage"].search(
                    [("kind", "=", "rejected")], limit=1
                )
                app.write(dict(vals, stage_id=rejected.id))
                app._notify_decline()
            app.message_post(
                body=self.env._(
                    "Credit decision: %(decision)s (%(reasons)s)",
                    decision=dict(app._fields["decision"]._description_selection(self.env))[
                        decision
                    ],
                    reasons=", ".join(reasons.mapped("name")),
                )
            )
            if missing:
                app.message_post(
                    body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
                    % (
                        self.env._(
                            "Approved by override of %s although these were missing:",
                            self.env.user.name,
                        ),
                        Markup().join(Markup("<li>%s</li>") % item for item in missing),
                        self.env._("Reason: %s", override_reason),
                    )
                )
        return True

    def _check_can_override(self, missing, override_reason):
        """Refuse an approval with ``missing`` items unless a Lending Manager gives a reason."""
        self.ensure_one()
        listed = "\n".join("- %s" % item for item in missing)
        if not self.env.user.has_group("loan_base.group_loan_manager"):
            raise UserError(
                self.env._(
                    "%(app)s cannot be approved; missing:\n%(missing)s\nComplete it, or ask a "
                    "Lending Manager to approve it by override with a reason.",
                    app=self.name,
                    missing=listed,
                )
            )
        if not override_reason:
            raise UserError(
                self.env._(
                    "%(app)s is missing:\n%(missing)s\nGive the reason to approve it anyway.",
                    app=self.name,
                    missing=listed,
                )
            )

    def _create_contract(self, start_date=None):
        """Freeze the approved terms into a contract with its schedule."""
        self.ensure_one()
        if self.contract_ids:
            raise UserError(self.env._("%s already has a contract.", self.name))
        Contract = self.env["loan.contract"].sudo()
        start = start_date or fields.Date.context_today(self)
        return Contract.create(Contract._prepare_contract_vals(self, start))

    def _notify_decline(self):
        template = self.env.ref("loan_origination.mail_template_loan_declined")
        for app in self:
            channel = "email" if app.partner_id.email else "sms"
            self.env["loan.outreach.attempt"].gate_send(
                app.partner_id, channel, purpose="service", template=template, origin=app
            )

    def action_decide(self):
        self.ensure_one()
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Decision"),
            "res_model": "loan.application.decide",
            "view_mode": "form",
            "target": "new",
            "context": {"default_application_id": self.id},
        }

    def action_plan_field_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Field Visit"),
            "res_model": "loan.field.visit",
            "view_mode": "form",
            "context": {
                "default_application_id": self.id,
                "default_user_id": (self.appraiser_id or self.env.user).id,
            },
        }

    def action_open_calculator(self):
        self.ensure_one()
        action = self.product_id.action_open_calculator()
        action["context"].update(default_amount=self.amount, default_term=self.term)
        return action
