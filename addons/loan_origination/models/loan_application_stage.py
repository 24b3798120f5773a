from odoo import fields, models


class LoanApplicationStage(models.Model):
    """A step of the application pipeline, configured by an administrator: what must be
    done before an application leaves it, and which group may move it on."""

    _name = "loan.application.stage"
    _description = "Application Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean("Folded in Kanban")
    kind = fields.Selection(
        [
            ("open", "In progress"),
            ("disbursed", "Disbursed"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="open",
        help="Rejected and cancelled stages can be reached from anywhere; the others only "
        "once the requirements of the current stage are met.",
    )
    document_type_ids = fields.Many2many(
        "loan.document.type",
        string="Documents Required to Leave",
        help="Documents that must be received (or verified) before an application leaves "
        "this stage.",
    )
    documents_verified = fields.Boolean(
        "Documents Must Be Verified", help="Received is not enough: each must be verified."
    )
    check_type_ids = fields.Many2many(
        "loan.check.type",
        string="Checks Required to Leave",
        help="Checks that must have passed before an application leaves this stage.",
    )
    is_decision = fields.Boolean(
        "Credit Decision Stage",
        help="Applications are approved or declined here, by the group of the approval "
        "matrix, never by whoever created, appraised or scored them.",
    )
    require_score = fields.Boolean(
        "Credit Score Required", help="The application must be scored before it leaves."
    )
    group_id = fields.Many2one(
        "res.groups",
        "Responsible Group",
        domain="[('privilege_id', '!=', False)]",
        help="Only members of this group may move an application out of this stage.",
    )
    description = fields.Text(translate=True)
