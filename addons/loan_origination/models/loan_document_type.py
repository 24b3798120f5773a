from odoo import fields, models


class LoanDocumentType(models.Model):
    """A kind of document a borrower hands in: ID front/back, residence proof, income
    proof, the signed application form. Products list the ones they require."""

    _name = "loan.document.type"
    _description = "Loan Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True, help="What the document must show.")
    is_sensitive = fields.Boolean(
        "Sensitive", help="ID-card images and credit information are sensitive personal data."
    )

    _code_unique = models.Constraint("UNIQUE(code)", "A document type code must be unique.")
