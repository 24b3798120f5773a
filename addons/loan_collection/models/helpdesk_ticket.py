from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

LOAN_KINDS = [
    ("complaint", "Complaint"),
    ("collector_complaint", "Complaint about a collector"),
    ("dispute", "Disputed debt"),
    ("hardship", "Hardship request"),
    ("data_subject", "Data-subject request"),
]


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    loan_kind = fields.Selection(LOAN_KINDS, "Lending Kind")
    loan_sla_hours = fields.Integer(
        "Answer Within (hours)", help="Deadline of tickets of this category; 0: none."
    )


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    loan_case_id = fields.Many2one(
        "loan.collection.case", "Collection Case", index="btree_not_null", tracking=True
    )
    loan_contract_id = fields.Many2one("loan.contract", index="btree_not_null")
    loan_collector_id = fields.Many2one(
        "res.users", "Collector Concerned", help="For a complaint about a collector."
    )
    loan_kind = fields.Selection(related="category_id.loan_kind", store=True)
    loan_sla_deadline = fields.Datetime(
        "Answer By", compute="_compute_loan_sla_deadline", store=True
    )

    @api.depends("create_date", "category_id.loan_sla_hours")
    def _compute_loan_sla_deadline(self):
        for ticket in self:
            hours = ticket.category_id.loan_sla_hours
            start = ticket.create_date or fields.Datetime.now()
            ticket.loan_sla_deadline = start + timedelta(hours=hours) if hours else False

    @api.model_create_multi
    def create(self, vals_list):
        """A borrower's ticket lands on their open collection case."""
        for vals in vals_list:
            if vals.get("partner_id") and not vals.get("loan_case_id"):
                case = (
                    self.env["loan.collection.case"]
                    .sudo()
                    .search(
                        [
                            ("partner_id", "=", vals["partner_id"]),
                            ("state", "not in", ("resolved", "closed")),
                        ],
                        limit=1,
                    )
                )
                if case:
                    vals["loan_case_id"] = case.id
        return super().create(vals_list)

    def action_loan_hardship_request(self):
        """A hardship request from the ticket, on the borrower's open case."""
        self.ensure_one()
        if not self.loan_case_id:
            raise UserError(
                self.env._("%s has no open collection case to ask relief on.", self.partner_id.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hardship Request"),
            "res_model": "loan.hardship.request",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.loan_case_id.id,
                "default_ticket_id": self.id,
                "default_contract_id": self.loan_contract_id.id,
                "default_situation": self.description and html2plaintext(self.description),
            },
        }
