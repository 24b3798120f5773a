from odoo import api, models
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


class LoanServicingDemo(models.AbstractModel):
    """Builders of the servicing demo data, called from ``demo/*.xml`` only: nothing in
    production calls them."""

    _name = "loan.servicing.demo"
    _description = "Loan Servicing Demo Builders"

    @api.model
    def _loan_demo_accounting(self):
        """Demo data only. ``account``'s demo loads its generic chart with sample entries in
        USD on the main company whatever its country; the lending demo companies keep books
        in their own currency (VND in Ho Chi Minh City, CNY in Shenzhen). Remove those
        sample entries (as Odoo does when a chart replaces another), restore the currency
        and fiscal country, and give every demo company its loan accounts."""
        companies = self.env.ref("base.main_company") | self.env.ref(
            "loan_base.res_company_shenzhen_demo"
        )
        Template = self.env["account.chart.template"]
        for company in companies:
            country = company.country_id
            if not company.chart_template:
                Template._load("generic_coa", company, install_demo=False)
            if country and company.currency_id != country.currency_id:
                moves = self.env["account.move"].with_context(active_test=False)
                moves = moves.search([("company_id", "=", company.id)])
                moves.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
                company.write(
                    {"currency_id": country.currency_id.id, "account_fiscal_country_id": country.id}
                )
        companies._loan_setup_accounting()
