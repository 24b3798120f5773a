from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

DOC_STATES = [
    ("missing", "Missing"),
    ("received", "Received"),
    ("verified", "Verified"),
    ("rejected", "Rejected"),
]


class LoanApplicationDocument(models.Model):
    _name = "loan.application.document"
    _description = "Application Document"
    _order = "application_id, sequence, id"

    application_id = fields.Many2one(
        "loan.application", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="application_id.company_id", store=True)
    document_type_id = fields.Many2one("loan.document.type", "Document", required=True)
    sequence = fields.Integer(related="document_type_id.sequence", store=True)
    state = fields.Selection(DOC_STATES, required=True, default="missing")
    attachment_ids = fields.Many2many("ir.attachment", string="Files")
    note = fields.Char()
    checked_by_id = fields.Many2one("res.users", readonly=True)

    @api.constrains("state", "attachment_ids")
    def _check_verified_has_file(self):
        """A document is verified against its file: no file, nothing to verify."""
        for doc in self:
            if doc.state == "verified" and not doc.attachment_ids:
                raise ValidationError(
                    self.env._(
                        "%(document)s of %(app)s cannot be verified without a file: attach "
                        "the scan or photo first.",
                        document=doc.document_type_id.name,
                        app=doc.application_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") in ("verified", "rejected"):
                self._check_can_check()
                vals.setdefault("checked_by_id", self.env.uid)
        docs = super().create(vals_list)
        docs._link_attachments()
        return docs

    def write(self, vals):
        if vals.get("state") in ("verified", "rejected"):
            self._check_can_check()
            vals["checked_by_id"] = self.env.uid
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._link_attachments()
        return res

    def _link_attachments(self):
        """Files uploaded before their document line was saved belong to nobody, and only
        their uploader could read them: attach them to the document, so that whoever may
        read the application (the approver) reads its files."""
        for doc in self:
            orphans = doc.attachment_ids.sudo().filtered(
                lambda a: not a.res_id and (self.env.su or a.create_uid == self.env.user)
            )
            orphans.write({"res_model": self._name, "res_id": doc.id})

    def _check_can_check(self):
        if not self.env.su and not self.env.user.has_group("loan_base.group_loan_appraiser"):
            raise AccessError(
                self.env._("Only an appraiser verifies or rejects application documents.")
            )

    def action_verify(self):
        """The appraiser has checked the file against the original: mark it verified."""
        self.write({"state": "verified"})
        return True

    def action_reject(self):
        self.write({"state": "rejected"})
        return True
