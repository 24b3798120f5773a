from odoo import models
from odoo.tools import get_lang

from ..engine import amount_words
from ..engine.money import to_decimal

# currency -> (unit, subunit) as Vietnamese vouchers write them
VI_UNITS = {
    "VND": ("đồng", "xu"),
    "USD": ("đô la Mỹ", "xu"),
    "EUR": ("euro", "xu"),
    "CNY": ("nhân dân tệ", "xu"),
}
# currency -> unit as Chinese vouchers write it (yuan amounts read 元, 角 and 分)
ZH_UNITS = {
    "VND": "越南盾",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港元",
}


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def _loan_amount_in_words(self, amount, lang_code=None):
        """``amount`` in words in ``lang_code`` (the context's language by default), as a
        voucher writes it: Vietnamese and Chinese by the engine (Odoo's ``amount_to_text``
        has no Chinese and falls back to English), other languages by ``amount_to_text``."""
        self.ensure_one()
        lang_code = lang_code or get_lang(self.env).code
        currency = self.with_context(lang=lang_code)
        value = to_decimal(currency.round(amount))
        language = lang_code.split("_")[0]
        if language == "vi":
            unit, subunit = VI_UNITS.get(
                self.name,
                (currency.currency_unit_label or self.name, currency.currency_subunit_label or ""),
            )
            return amount_words.vietnamese_amount(value, unit, subunit, self.decimal_places)
        if language == "zh":
            if self.name == "CNY":
                return amount_words.chinese_amount(value, "元", self.decimal_places, "人民币")
            unit = ZH_UNITS.get(self.name, currency.currency_unit_label or self.name)
            return amount_words.chinese_amount(value, unit, self.decimal_places)
        return currency.amount_to_text(amount)
