from odoo import Command, api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _loan_install_languages(self, codes):
        """Activate the languages ``codes`` and load their translations for every installed
        module, as Settings > Add Languages does (modules installed later load their own):
        the demo's staff work in Vietnamese and Chinese."""
        langs = self.browse([self._activate_lang(code).id for code in codes]).exists()
        wizard = self.env["base.language.install"].create({"lang_ids": [Command.set(langs.ids)]})
        wizard.lang_install()
        return langs
