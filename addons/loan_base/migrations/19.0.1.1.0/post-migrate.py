"""The compliance role no longer implies the right to reveal personal data: the people who
held the role keep the right, now given to them by name (an administrator takes it back
from whoever should not have it)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    compliance = env.ref("loan_base.group_loan_compliance")
    reveal = env.ref("loan_base.group_loan_pii_reveal")
    users = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("group_ids", "in", compliance.ids)])
    )
    users.write({"group_ids": [(4, reveal.id)]})
