"""Fields reserved to lending staff on models that everybody uses (contacts, leads)."""


def copy_fields_hidden_from_user(records, default=None):
    """The fields a copy of ``records`` would carry that the current user may not read.

    Odoo's ``copy`` reads every copied field as the user and refuses the whole copy for a
    single unreadable one, so without this a salesperson without a lending role could not
    duplicate a contact or a lead. Callers leave these fields out of the copy instead."""
    if records.env.su:
        return []
    default = default or {}
    return [
        name
        for name, field in records._fields.items()
        if field.copy
        and field.groups
        and name not in default
        and not records._has_field_access(field, "read")
    ]


def copy_data_without(copy_data, default, hidden):
    """``copy_data(default)`` (the model's super) without reading nor returning ``hidden``."""
    if not hidden:
        return copy_data(default)
    vals_list = copy_data(dict(default or {}, **dict.fromkeys(hidden, False)))
    return [
        vals and {name: value for name, value in vals.items() if name not in hidden}
        for vals in vals_list
    ]
