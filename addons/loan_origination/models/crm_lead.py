from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.loan_base.engine import identity
from odoo.addons.loan_base.models.loan_pii_mixin import pii_columns, pii_field
from odoo.addons.loan_base.models.res_partner import ID_TYPES
from odoo.addons.loan_base.models.staff_fields import (
    copy_data_without,
    copy_fields_hidden_from_user,
)
from odoo.exceptions import UserError, ValidationError

STAFF = "loan_base.group_loan_staff"


class CrmLead(models.Model):
    """A lead carries the loan request and its pre-qualification against the product's
    eligibility rules; "Create application" turns a qualified lead into an application for
    a borrower matched through the blind index (same ID number or phone), never duplicated."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "loan.pii.mixin"]

    _loan_pii_fields = {"loan_id_number": "identity"}

    loan_product_id = fields.Many2one("loan.product", groups=STAFF)
    loan_currency_id = fields.Many2one(
        related="loan_product_id.currency_id", string="Loan Currency", groups=STAFF
    )
    loan_amount = fields.Monetary(
        "Requested Amount", currency_field="loan_currency_id", groups=STAFF
    )
    loan_term = fields.Integer("Requested Term", groups=STAFF)
    loan_stated_income = fields.Monetary(
        "Stated Monthly Income", currency_field="loan_currency_id", groups=STAFF
    )
    loan_birth_date = fields.Date("Birth Date", groups=STAFF)
    loan_id_type = fields.Selection(ID_TYPES, "ID Type", groups=STAFF)
    loan_id_number = pii_field("ID Number", "_search_loan_id_number", STAFF)
    loan_id_number_enc, loan_id_number_bidx, loan_id_number_mask = pii_columns(
        "ID Number (masked)", STAFF
    )
    loan_prequal_state = fields.Selection(
        [
            ("incomplete", "Incomplete"),
            ("qualified", "Pre-qualified"),
            ("not_qualified", "Not qualified"),
        ],
        "Pre-qualification",
        compute="_compute_loan_prequal",
        store=True,
        groups=STAFF,
    )
    loan_prequal_reasons = fields.Text(
        "Pre-qualification Reasons", compute="_compute_loan_prequal", store=True, groups=STAFF
    )
    loan_application_ids = fields.One2many(
        "loan.application", "lead_id", "Applications", groups=STAFF
    )
    loan_application_count = fields.Integer(compute="_compute_loan_application_count", groups=STAFF)

    @api.depends("loan_id_number_mask")
    def _compute_loan_pii(self):
        return super()._compute_loan_pii()

    def _search_loan_id_number(self, operator, value):
        return self._loan_pii_search("loan_id_number", operator, value)

    def _loan_pii_normalise(self, fname, value):
        self.ensure_one()
        return self._loan_pii_identity(value, self.loan_id_type or identity.OTHER)

    @api.depends(
        "loan_product_id",
        "loan_amount",
        "loan_term",
        "loan_stated_income",
        "loan_birth_date",
    )
    def _compute_loan_prequal(self):
        for lead in self:
            state, reasons = lead._loan_prequalify()
            lead.loan_prequal_state = state
            lead.loan_prequal_reasons = "\n".join(reasons) or False

    def _compute_loan_application_count(self):
        for lead in self:
            lead.loan_application_count = len(lead.loan_application_ids)

    def copy_data(self, default=None):
        # a salesperson without a lending role duplicates a lead without its loan request
        hidden = copy_fields_hidden_from_user(self, default)
        return copy_data_without(super().copy_data, default, hidden)

    # ---------------------------------------------------------------- business
    def _loan_prequalify(self):
        """(state, reasons) of the request against the product's eligibility rules."""
        self.ensure_one()
        product = self.loan_product_id
        if not (product and self.loan_amount and self.loan_term):
            return "incomplete", [self.env._("Product, amount and term are needed.")]
        reasons = []
        try:
            product._loan_check_request(self.loan_amount, self.loan_term)
        except UserError as exc:
            reasons += exc.args[0].splitlines()[1:]
        today = fields.Date.context_today(self)
        if self.loan_birth_date:
            age = relativedelta(today, self.loan_birth_date).years
            months = self.loan_term
            age_at_maturity = relativedelta(
                today + relativedelta(months=months), self.loan_birth_date
            ).years
            if product.min_age and age < product.min_age:
                reasons.append(self.env._("Younger than %s.", product.min_age))
            if product.max_age and age_at_maturity > product.max_age:
                reasons.append(self.env._("Older than %s at maturity.", product.max_age))
        income = self.loan_stated_income
        if income and product.min_income and income < product.min_income:
            reasons.append(self.env._("Income below the product's minimum."))
        if income and product.max_dti and not reasons:
            result = product._loan_schedule(self.loan_amount, self.loan_term, today)
            first = result["lines"][0].instalment + result["instalment_fee"]
            dti = product._loan_dti(first, income)
            if product._loan_dti_exceeded(dti):
                reasons.append(
                    self.env._(
                        "Instalment-to-income of %(dti).0f%% is above the maximum of %(max).0f%%.",
                        dti=float(dti),
                        max=product.max_dti,
                    )
                )
        if not reasons and not (income and self.loan_birth_date):
            return "incomplete", [self.env._("Birth date and stated income are needed.")]
        return ("not_qualified", reasons) if reasons else ("qualified", [])

    def _loan_lead_phone(self):
        """The lead's phone number in plain text, for matching and for the borrower file
        (a module that stores it encrypted returns the decrypted value)."""
        self.ensure_one()
        return self.phone

    def _loan_match_or_create_partner(self):
        """The borrower of this lead: an existing partner with the same ID number or phone
        (blind index) among those the user sees, else a new borrower file made from the
        lead. A match outside the user's portfolio (another officer's, another company's)
        is refused without saying who it is: the origination team lead decides."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        plain_id = self._loan_pii_plain("loan_id_number") if self.loan_id_number_mask else None
        try:
            found = Partner._loan_find_borrowers(id_number=plain_id)
            phone = self._loan_lead_phone()
            if not found and phone:
                found = Partner._loan_find_borrowers(phone=phone)
        except ValidationError:
            found = Partner.browse()
        if found:
            visible = Partner.search([("id", "in", found.ids)], order="id", limit=1)
            if not visible:
                leads = self.env.user.loan_team_ids.filtered(
                    lambda team: team.kind == "origination"
                ).leader_id
                raise UserError(
                    self.env._(
                        "A person with this ID number or phone is already a customer outside "
                        "your portfolio. Ask your origination team lead (%s) to take this "
                        "lead.",
                        ", ".join(leads.mapped("name")) or self.env._("none set on your teams"),
                    )
                )
            return visible
        vals = {
            "name": self.contact_name or self.partner_name or self.name,
            "loan_is_borrower": True,
            "email": self.email_from,
            "lang": self.lang_id.code or self.env.lang,
            "country_id": self.country_id.id or self.company_id.country_id.id,
            "street": self.street,
            "city": self.city,
            "company_id": self.company_id.id,
            "loan_birth_date": self.loan_birth_date,
            "loan_currency_id": self.loan_currency_id.id,
            "loan_monthly_income": self.loan_stated_income,
            "loan_id_type": self.loan_id_type,
            "loan_id_number": plain_id,
        }
        phone = self._loan_lead_phone()
        if phone:
            vals["loan_phone_ids"] = [fields.Command.create({"number": phone, "is_primary": True})]
        return Partner.create(vals)

    def action_loan_create_application(self):
        """Turn this qualified lead into a loan application linked back to it."""
        self.ensure_one()
        if self.loan_prequal_state != "qualified":
            raise UserError(
                "\n".join(
                    [self.env._("%s is not pre-qualified:", self.name)]
                    + (self.loan_prequal_reasons or "").splitlines()
                )
            )
        partner = self._loan_match_or_create_partner()
        application = self.env["loan.application"].create(
            {
                "partner_id": partner.id,
                "lead_id": self.id,
                "product_id": self.loan_product_id.id,
                "amount": self.loan_amount,
                "term": self.loan_term,
                "stated_income": self.loan_stated_income,
                "company_id": self.company_id.id or self.env.company.id,
                "team_id": partner.sudo().loan_team_id.id,
            }
        )
        self.partner_id = partner.id
        return {
            "type": "ir.actions.act_window",
            "res_model": "loan.application",
            "res_id": application.id,
            "view_mode": "form",
        }

    def action_loan_calculator(self):
        self.ensure_one()
        if not self.loan_product_id:
            raise UserError(self.env._("Choose the loan product first."))
        action = self.loan_product_id.action_open_calculator()
        action["context"].update(
            default_amount=self.loan_amount or self.loan_product_id.min_amount,
            default_term=self.loan_term or self.loan_product_id.min_term,
        )
        return action

    def action_loan_view_applications(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Applications"),
            "res_model": "loan.application",
            "view_mode": "list,form",
            "domain": [("lead_id", "=", self.id)],
        }
