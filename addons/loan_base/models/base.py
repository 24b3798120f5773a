import inspect
import math
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.service.model import get_public_method

MAX_ID = 2**31 - 1
# money and rates are far below this; what is not is a mistake or an attack
MAX_NUMBER = 10**15
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2200, 12, 31)
VALUES_ARG = {"create": 0, "write": 1, "web_save": 1}


class Base(models.AbstractModel):
    _inherit = "base"

    def _loan_checks_field(self, fname):
        """Whether the values of ``fname`` are checked at the boundary: every field of a
        lending model, the lending fields (``loan_*``) of the others."""
        return self._name.startswith("loan.") or fname.startswith("loan_")

    @api.model
    def _loan_check_rpc(self, method, args, kwargs=None):
        """Refuse a call of the web client whose ids or values cannot be right, before any
        code of the model runs, with a translated error naming what is wrong. Values are
        checked against their field's type (and, for many2one and x2many values, their
        model's), for lending fields only; the model's own rules judge the rest."""
        try:
            function = get_public_method(self, method)
        except (AccessError, AttributeError):
            return  # the dispatcher refuses the call itself, with its own error
        on_records = not getattr(function, "_api_model", False)
        if on_records and args:
            self._loan_check_ids(args[0])
        if self._name.startswith("loan."):
            # a lending action called with arguments it does not take, or without those it
            # needs, is refused as such (not as a Python error deep in the call)
            try:
                # the dispatcher takes the context out of the keyword arguments
                params = {key: value for key, value in (kwargs or {}).items() if key != "context"}
                inspect.signature(function).bind(
                    self, *(args[1:] if on_records else args), **params
                )
            except TypeError:
                raise ValidationError(
                    self.env._(
                        "%(model)s: %(method)s is called with arguments it does not take.",
                        model=self._description,
                        method=method,
                    )
                ) from None
        position = VALUES_ARG.get(method)
        if position is None or len(args) <= position:
            return
        values = args[position]
        for vals in values if isinstance(values, list) else [values]:
            self._loan_check_vals(vals)
            if method == "create" and self._name.startswith("loan."):
                self._loan_check_required(vals)

    @api.model
    def _loan_check_ids(self, ids):
        items = ids if isinstance(ids, list) else [ids]
        if not all(
            isinstance(item, int) and not isinstance(item, bool) and 0 < item <= MAX_ID
            for item in items
        ):
            raise ValidationError(
                self.env._(
                    "%(model)s: %(ids)s are not record ids.",
                    model=self._description,
                    ids=repr(ids)[:80],
                )
            )

    @api.model
    def _loan_check_vals(self, vals):
        if not isinstance(vals, dict):
            raise ValidationError(
                self.env._(
                    "%(model)s: %(vals)s are not values.",
                    model=self._description,
                    vals=repr(vals)[:80],
                )
            )
        for fname, value in vals.items():
            field = self._fields.get(fname)
            if field is None or not self._loan_checks_field(fname):
                continue
            problem = self._loan_value_problem(field, value)
            if problem:
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(value)s is not %(expected)s.",
                        field=field._description_string(self.env),
                        value=repr(value)[:80],
                        expected=problem,
                    )
                )

    @api.model
    def _loan_check_required(self, vals):
        """A new record of a lending model gets every required value, given or default."""
        missing = [
            name
            for name, field in self._fields.items()
            if field.required and field.store and not field.compute and name not in vals
        ]
        defaults = self.default_get(missing) if missing else {}
        missing = [name for name in missing if defaults.get(name) in (None, False)]
        if missing:
            raise ValidationError(
                self.env._(
                    "%(model)s: %(fields)s must be given.",
                    model=self._description,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env) for name in missing
                    ),
                )
            )

    @api.model
    def _loan_value_problem(self, field, value):
        """What ``value`` should be for ``field`` if it is not, else None."""
        _ = self.env._
        if value is False or value is None:
            return None
        kind = field.type
        if kind in ("integer", "many2one", "many2one_reference"):
            if not isinstance(value, int) or isinstance(value, bool) or not abs(value) <= MAX_ID:
                return _("a whole number") if kind == "integer" else _("a record id")
            if kind == "many2one" and value <= 0:
                return _("a record id")
        elif kind in ("float", "monetary"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return _("a number")
            if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
                return _("a number of a sensible size")
        elif kind in ("date", "datetime"):
            if not isinstance(value, str):
                return _("a date")
            if not value.strip():
                return _("a date") if field.required else None
            try:
                if kind == "date":
                    converted = fields.Date.to_date(value)
                else:
                    converted = fields.Datetime.to_datetime(value).date()
            except (TypeError, ValueError):
                return _("a date")
            if not converted:
                return _("a date")
            if not FIRST_DATE <= converted <= LAST_DATE:
                return _("a date between 1900 and 2200")
        elif kind == "selection":
            if value not in field.get_values(self.env):
                return _("one of the choices")
        elif kind in ("char", "text", "html"):
            if not isinstance(value, str):
                return _("a text")
        elif kind == "boolean":
            if not isinstance(value, bool):
                return _("yes or no")
        elif kind in ("one2many", "many2many"):
            if not isinstance(value, list):
                return _("a list of changes")
            comodel = self.env[field.comodel_name]
            for command in value:
                if not isinstance(command, (list, tuple)) or not command:
                    return _("a list of changes")
                if command[0] in (0, 1) and len(command) > 2:
                    comodel._loan_check_vals(command[2])
        return None
