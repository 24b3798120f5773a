from odoo import api, models
from odoo.exceptions import UserError
from odoo.orm.models import fix_import_export_id_paths

from .masking import mask_name

# the path after a borrower field that an export may carry: the name (masked) and ids
NAME_PATHS = ([], ["display_name"], ["name"])
ID_PATHS = (["id"], [".id"])


class LoanReportExportMask(models.AbstractModel):
    """A report whose rows lead to borrowers (a borrower field, or a contract, receipt or
    ticket and its borrower): Odoo's list export (XLSX or CSV) writes their names
    masked, as the report's own files do, and nothing else of them; grouped by borrower,
    the groups' names are masked too."""

    _name = "loan.report.export.mask"
    _description = "Lending Report with Masked Exports"

    def _borrower_path(self, path):
        """For an export path (a list of field names): "mask" when it ends on a borrower's
        name, None when it reaches no borrower or only their id; any other field of a
        borrower is refused."""
        model = self
        for index, name in enumerate(path):
            field = model._fields.get(name)
            if field is None or not field.relational:
                return None
            if field.comodel_name == "res.partner":
                rest = path[index + 1 :]
                if rest in ID_PATHS:
                    return None
                if rest in NAME_PATHS:
                    return "mask"
                raise UserError(
                    self.env._(
                        "A report's export carries a borrower's name, masked, and nothing "
                        "else of the borrower: remove %(field)s from the export.",
                        field="/".join(path),
                    )
                )
            model = self.env[field.comodel_name]
        return None

    def export_data(self, fields_to_export):
        masked = [
            index
            for index, name in enumerate(fields_to_export)
            if self._borrower_path(fix_import_export_id_paths(name)) == "mask"
        ]
        result = super().export_data(fields_to_export)
        for row in result["datas"]:
            for index in masked:
                if row[index]:
                    row[index] = mask_name(row[index])
        return result

    @api.model
    def formatted_read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        groups = super().formatted_read_group(domain, groupby, aggregates, *args, **kwargs)
        # the export controller reads the groups with import_compat in its context
        if "import_compat" not in self.env.context:
            return groups
        borrowers = [
            spec for spec in groupby if self._borrower_path(spec.split(":")[0].split(".")) == "mask"
        ]
        for group in groups:
            for spec in borrowers:
                value = group.get(spec)
                if isinstance(value, tuple | list) and len(value) == 2:
                    group[spec] = (value[0], mask_name(value[1]))
        return groups


class LoanPortfolioSnapshot(models.Model):
    _name = "loan.portfolio.snapshot"
    _inherit = ["loan.portfolio.snapshot", "loan.report.export.mask"]
