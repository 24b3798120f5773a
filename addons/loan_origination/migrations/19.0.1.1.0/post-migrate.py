"""Blacklisted phones were indexed as identity numbers: index them as the borrowers' phones
are, so that matching compares blind indexes without decrypting anything."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    entries = (
        env["loan.blacklist.entry"]
        .with_context(active_test=False)
        .search([("kind", "=", "phone"), ("value_enc", "!=", False)])
    )
    for entry in entries:
        entry.write(entry._loan_pii_prepare_vals("value", entry._loan_pii_plain("value")))
