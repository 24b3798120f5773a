from odoo import api, fields, models
from odoo.exceptions import ValidationError

OBLIGOR_ROLES = ("co_borrower", "guarantor")


class LoanRelatedPerson(models.Model):
    """A person related to a borrower: co-borrower, guarantor, spouse, reference, employer
    contact. Whether they are obliged to pay decides what the outreach gate lets staff say."""

    _name = "loan.related.person"
    _description = "Related Person"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one(
        "res.partner", "Borrower", required=True, index=True, ondelete="cascade"
    )
    person_id = fields.Many2one("res.partner", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    role = fields.Selection(
        [
            ("co_borrower", "Co-borrower"),
            ("guarantor", "Guarantor"),
            ("spouse", "Spouse"),
            ("relative", "Relative"),
            ("reference", "Reference"),
            ("employer_contact", "Employer contact"),
            ("other", "Other"),
        ],
        required=True,
        default="reference",
    )
    is_obligor = fields.Boolean(
        "Obliged to Pay",
        compute="_compute_is_obligor",
        store=True,
        readonly=False,
        help="Co-borrowers and guarantors are obliged to pay; others may not be told about "
        "a debt under most contact policies.",
    )
    note = fields.Char()

    _person_unique = models.Constraint(
        "UNIQUE(partner_id, person_id, role)",
        "This person already has this role for this borrower.",
    )

    @api.depends("person_id", "role")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for rel in self:
            # the name of a person a readable relation points to
            name = rel.sudo().person_id.display_name or ""
            rel.display_name = "%s (%s)" % (name, roles.get(rel.role))

    @api.depends("role")
    def _compute_is_obligor(self):
        for rel in self:
            rel.is_obligor = rel.role in OBLIGOR_ROLES

    @api.constrains("partner_id", "person_id")
    def _check_not_self(self):
        for rel in self:
            if rel.partner_id == rel.person_id:
                raise ValidationError(self.env._("A borrower cannot be their own related person."))
