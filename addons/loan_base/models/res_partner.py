from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import identity
from ..engine.phone import mask
from .loan_pii_mixin import pii_columns, pii_field
from .staff_fields import copy_data_without, copy_fields_hidden_from_user

STAFF = "loan_base.group_loan_staff"
ID_TYPES = [
    (identity.VN_CCCD, "Vietnam citizen ID (CCCD)"),
    (identity.CN_RIC, "China resident ID"),
    (identity.PASSPORT, "Passport"),
    (identity.OTHER, "Other"),
]


class ResPartner(models.Model):
    """The borrower file: identity, finances, related persons, consents and contact history
    on one partner form. Identity and bank account numbers are encrypted (loan.pii.mixin);
    phones live encrypted in loan.partner.phone."""

    _name = "res.partner"
    _inherit = ["res.partner", "loan.pii.mixin"]

    _loan_pii_fields = {"loan_id_number": "identity", "loan_bank_account": "bank_account"}

    loan_is_borrower = fields.Boolean(
        "Borrower", index=True, copy=False, help="This partner has a borrower file."
    )
    loan_user_id = fields.Many2one(
        "res.users", "Relationship Officer", index=True, groups=STAFF, tracking=True
    )
    loan_team_id = fields.Many2one("loan.team", "Lending Team", index=True, groups=STAFF)

    # identity
    loan_id_type = fields.Selection(ID_TYPES, "ID Type", groups=STAFF)
    loan_id_number = pii_field("ID Number", "_search_loan_id_number", STAFF)
    loan_id_number_enc, loan_id_number_bidx, loan_id_number_mask = pii_columns(
        "ID Number (masked)", STAFF
    )
    loan_id_issue_date = fields.Date("ID Issued On", groups=STAFF)
    loan_id_issue_place = fields.Char("ID Issued By", groups=STAFF)
    loan_birth_date = fields.Date("Birth Date", groups=STAFF)
    loan_age = fields.Integer("Age", compute="_compute_loan_age", groups=STAFF)
    loan_gender = fields.Selection(
        [("male", "Male"), ("female", "Female"), ("other", "Other")], "Gender", groups=STAFF
    )
    loan_marital_status = fields.Selection(
        [
            ("single", "Single"),
            ("married", "Married"),
            ("divorced", "Divorced"),
            ("widowed", "Widowed"),
            ("other", "Other"),
        ],
        "Marital Status",
        groups=STAFF,
    )
    loan_dependants = fields.Integer("Dependants", groups=STAFF)

    # residence
    loan_residence_type = fields.Selection(
        [
            ("owned", "Owned"),
            ("rented", "Rented"),
            ("family", "With family"),
            ("company", "Company housing"),
            ("other", "Other"),
        ],
        "Residence",
        groups=STAFF,
    )
    loan_residence_since = fields.Date("At This Address Since", groups=STAFF)
    loan_years_at_address = fields.Integer(
        "Years at Address", compute="_compute_loan_years_at_address", groups=STAFF
    )

    # work and finances
    loan_employer = fields.Char("Employer", groups=STAFF)
    loan_occupation = fields.Char("Occupation", groups=STAFF)
    loan_employment_type = fields.Selection(
        [
            ("salaried", "Salaried"),
            ("self_employed", "Self-employed"),
            ("business_owner", "Business owner"),
            ("retired", "Retired"),
            ("student", "Student"),
            ("unemployed", "Unemployed"),
        ],
        "Employment",
        groups=STAFF,
    )
    loan_employer_phone = fields.Char("Employer Phone", groups=STAFF)
    # Computed rather than defaulted: the ORM reads a relational default while it creates the
    # record, so a staff-only default would refuse contacts to everybody outside lending.
    loan_currency_id = fields.Many2one(
        "res.currency",
        "Income Currency",
        compute="_compute_loan_currency_id",
        store=True,
        readonly=False,
        groups=STAFF,
    )
    loan_monthly_income = fields.Monetary(
        "Monthly Income", currency_field="loan_currency_id", groups=STAFF
    )
    loan_monthly_expenses = fields.Monetary(
        "Monthly Expenses", currency_field="loan_currency_id", groups=STAFF
    )
    loan_bank_name = fields.Char("Bank Name", groups=STAFF)
    loan_bank_account = pii_field("Bank Account Number", "_search_loan_bank_account", STAFF)
    loan_bank_account_enc, loan_bank_account_bidx, loan_bank_account_mask = pii_columns(
        "Bank Account (masked)", STAFF
    )

    # contact data, people, consents, history
    loan_phone_ids = fields.One2many("loan.partner.phone", "partner_id", "Phones", groups=STAFF)
    loan_phone_mask = fields.Char(
        "Phone (masked)", compute="_compute_loan_phone_mask", store=True, groups=STAFF
    )
    loan_phone = fields.Char(
        "Borrower Phone",
        compute="_compute_loan_phone_search",
        search="_search_loan_phone",
        groups=STAFF,
        help="Search borrowers by an exact phone number (through the blind index).",
    )
    loan_refuse_email = fields.Boolean("Refuses E-mail", groups=STAFF)
    loan_related_person_ids = fields.One2many(
        "loan.related.person", "partner_id", "Related Persons", groups=STAFF
    )
    loan_consent_ids = fields.One2many("loan.consent", "partner_id", "Consents", groups=STAFF)
    loan_outreach_attempt_ids = fields.One2many(
        "loan.outreach.attempt", "partner_id", "Contact History", groups=STAFF
    )
    loan_outreach_attempt_count = fields.Integer(
        compute="_compute_loan_outreach_attempt_count", groups=STAFF
    )

    # ---------------------------------------------------------------- computes
    @api.depends("loan_id_number_mask", "loan_bank_account_mask")
    def _compute_loan_pii(self):
        return super()._compute_loan_pii()

    @api.depends("company_id")
    def _compute_loan_currency_id(self):
        for partner in self:
            partner.loan_currency_id = (
                partner.loan_currency_id
                or partner.company_id.currency_id
                or self.env.company.currency_id
            )

    @api.depends("loan_birth_date")
    def _compute_loan_age(self):
        today = fields.Date.context_today(self)
        for partner in self:
            birth = partner.loan_birth_date
            partner.loan_age = relativedelta(today, birth).years if birth else 0

    @api.depends("loan_residence_since")
    def _compute_loan_years_at_address(self):
        today = fields.Date.context_today(self)
        for partner in self:
            since = partner.loan_residence_since
            partner.loan_years_at_address = relativedelta(today, since).years if since else 0

    @api.depends("loan_phone_ids.number_mask", "loan_phone_ids.is_primary")
    def _compute_loan_phone_mask(self):
        for partner in self:
            phones = partner.loan_phone_ids.sorted(lambda p: (not p.is_primary, p.sequence, p.id))
            partner.loan_phone_mask = phones[:1].number_mask or False

    def _compute_loan_phone_search(self):
        for partner in self:
            partner.loan_phone = partner.loan_phone_mask

    def _compute_loan_outreach_attempt_count(self):
        counts = dict(
            self.env["loan.outreach.attempt"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.loan_outreach_attempt_count = counts.get(partner, 0)

    # ---------------------------------------------------------------- encrypted fields
    def _loan_pii_normalise(self, fname, value):
        if fname == "loan_id_number":
            self.ensure_one()
            if not self.loan_id_type:
                raise ValidationError(self.env._("Choose the ID type before the ID number."))
            gender = self.loan_gender if self.loan_gender in ("male", "female") else None
            return self._loan_pii_identity(value, self.loan_id_type, self.loan_birth_date, gender)
        if fname == "loan_bank_account":
            normalised = "".join(ch for ch in (value or "") if ch.isalnum()).upper()
            if not 6 <= len(normalised) <= 34:
                raise ValidationError(
                    self.env._("A bank account number has 6 to 34 letters and digits.")
                )
            return normalised, mask(normalised, head=0, tail=4)
        return super()._loan_pii_normalise(fname, value)

    def _loan_pii_search(self, fname, operator, value):
        if fname == "loan_id_number":
            # Searching needs no type: try every type's normalisation, without cross-checks.
            values = [value] if isinstance(value, str) or not value else list(value)
            keyring = self._loan_pii_keyring()
            indexes = [
                keyring.blind_index(identity.normalise_identity(identity.OTHER, v), "identity")
                for v in values
                if v
            ]
            return self._loan_pii_bidx_domain(fname, operator, indexes)
        return super()._loan_pii_search(fname, operator, value)

    def _search_loan_id_number(self, operator, value):
        return self._loan_pii_search("loan_id_number", operator, value)

    def _search_loan_bank_account(self, operator, value):
        return self._loan_pii_search("loan_bank_account", operator, value)

    def _search_loan_phone(self, operator, value):
        phones = self.env["loan.partner.phone"].sudo().search([("number", operator, value)])
        return [("id", "in", phones.partner_id.ids)]

    def _loan_pii_log_partner(self):
        return self

    # ---------------------------------------------------------------- constraints
    @api.constrains("loan_birth_date", "loan_gender", "loan_id_type")
    def _check_loan_identity_consistency(self):
        """The ID number stays consistent with the birth date and gender it encodes."""
        for partner in self.filtered("loan_id_number_mask"):
            plain = partner._loan_pii_plain("loan_id_number")
            partner._loan_pii_normalise("loan_id_number", plain)

    @api.constrains("loan_team_id", "company_id")
    def _check_loan_team_company(self):
        """A borrower's team is one of their company's, or of the user's companies for a
        person shared across companies."""
        for partner in self.sudo():
            team = partner.loan_team_id
            allowed = partner.company_id or self.env.user.company_ids
            if team.company_id and team.company_id not in allowed:
                raise ValidationError(
                    self.env._(
                        "%(team)s is a team of another company than %(person)s's.",
                        team=team.name,
                        person=partner.display_name,
                    )
                )

    @api.constrains("loan_monthly_income", "loan_monthly_expenses", "loan_dependants")
    def _check_loan_finances(self):
        for partner in self:
            if partner.loan_monthly_income < 0 or partner.loan_monthly_expenses < 0:
                raise ValidationError(self.env._("Income and expenses cannot be negative."))
            if partner.loan_dependants < 0:
                raise ValidationError(self.env._("The number of dependants cannot be negative."))

    @api.constrains("loan_birth_date")
    def _check_loan_birth_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.loan_birth_date and partner.loan_birth_date > today:
                raise ValidationError(self.env._("The birth date cannot be in the future."))

    # ---------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("loan_is_borrower") and not vals.get("loan_user_id"):
                vals["loan_user_id"] = self.env.uid
        return super().create(vals_list)

    def copy_data(self, default=None):
        hidden = copy_fields_hidden_from_user(self, default)
        return copy_data_without(super().copy_data, default, hidden)

    # ---------------------------------------------------------------- actions
    def action_loan_reveal(self):
        """Open the reveal dialog (reason required) for this borrower's protected values."""
        self.ensure_one()
        self.check_access("read")
        return self.env["loan.pii.reveal"].action_open(self)

    def action_loan_outreach_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loan_base.loan_outreach_attempt_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_loan_outreach_send(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contact through the gate"),
            "res_model": "loan.outreach.send",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    # ---------------------------------------------------------------- business
    @api.model
    def _loan_find_borrowers(self, id_number=None, phone=None):
        """Existing partners with the same ID number or phone (blind index), for matching
        and de-duplication. Runs as superuser: the caller decides what to show."""
        partners = self.sudo().browse()
        if id_number:
            partners |= self.sudo().search([("loan_id_number", "=", id_number)])
        if phone:
            partners |= self.sudo().search([("loan_phone", "=", phone)])
        return partners
