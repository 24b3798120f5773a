"""The role-by-action matrix: for each lending role, each lending model and each of read,
create, write and unlink (and the public actions that decide), whether the role may, on a
record of its own portfolio (scope A: the officer's contract in the appraiser's team, its
case in the early queue of the collector and the team lead), of another portfolio (B:
another officer, another sales team, the late queue) and of another company (X). The
expectations below are the data; one test drives every cell through the ORM as the user of
that role on real records and lists every cell that differs."""

import logging

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CollectionWorkCommon

_logger = logging.getLogger(__name__)

ROLES = (
    "officer",
    "appraiser",
    "approver",
    "accountant",
    "collector",
    "teamlead",
    "compliance",
    "manager",
    "internal",
)
OPERATIONS = ("read", "create", "write", "unlink")
SCOPES = ("A", "B", "X")

# role groups of the matrix, to keep its rows readable
SALES = "officer appraiser"
BACK = "approver accountant compliance manager"
COLLECTION = "collector teamlead"
ALL_LENDING = "officer appraiser approver accountant collector teamlead compliance manager"

# {model: {operation: (roles allowed on A, roles allowed on B)}}; nobody on X (another
# company), and a role not named is refused.
MATRIX = {
    "loan.contract": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        # contracts come from approved applications, never typed in
        "create": ("", ""),
        "write": ("officer appraiser approver accountant manager", "approver accountant manager"),
        "unlink": ("", ""),
    },
    "loan.contract.line": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": ("", ""),
        "write": ("", ""),
        "unlink": ("", ""),
    },
    "loan.receipt": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": ("accountant manager", "accountant manager"),
        "write": ("accountant manager", "accountant manager"),
        "unlink": ("", ""),
    },
    "loan.receipt.line": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": ("accountant manager", "accountant manager"),
        "write": ("accountant manager", "accountant manager"),
        "unlink": ("", ""),
    },
    "loan.settlement": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": (f"{SALES} approver accountant manager", "approver accountant manager"),
        "write": (f"{SALES} approver accountant manager", "approver accountant manager"),
        "unlink": ("", ""),
    },
    "loan.waiver": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": (f"approver accountant manager {COLLECTION}", "approver accountant manager"),
        "write": (f"approver accountant manager {COLLECTION}", "approver accountant manager"),
        "unlink": ("", ""),
    },
    "loan.restructure": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": (f"approver accountant manager {COLLECTION}", "approver accountant manager"),
        "write": (f"approver accountant manager {COLLECTION}", "approver accountant manager"),
        "unlink": ("", ""),
    },
    "loan.restructure.line": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": ("approver manager", "approver manager"),
        "write": ("approver manager", "approver manager"),
        "unlink": ("", ""),
    },
    "loan.write.off": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": ("accountant teamlead manager", "accountant manager"),
        "write": ("accountant teamlead manager", "accountant manager"),
        "unlink": ("", ""),
    },
    "loan.penalty.accrual": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": ("", ""),
        "write": ("", ""),
        "unlink": ("", ""),
    },
    "loan.contract.dpd": {
        "read": (f"{SALES} {BACK} {COLLECTION}", BACK),
        "create": ("", ""),
        "write": ("", ""),
        "unlink": ("", ""),
    },
    "loan.collection.case": {
        "read": (f"{COLLECTION} compliance manager", "compliance manager"),
        # the end of day opens cases; collectors work theirs
        "create": ("manager", "manager"),
        "write": (f"{COLLECTION} manager", "manager"),
        "unlink": ("", ""),
    },
    "loan.collection.activity": {
        "read": (f"{COLLECTION} compliance manager", "compliance manager"),
        "create": (f"{COLLECTION} manager", "manager"),
        "write": (f"{COLLECTION} manager", "manager"),
        "unlink": ("", ""),
    },
    "loan.promise": {
        "read": (f"{COLLECTION} compliance manager", "compliance manager"),
        "create": (f"{COLLECTION} manager", "manager"),
        "write": (f"{COLLECTION} manager", "manager"),
        "unlink": ("", ""),
    },
    "loan.hardship.request": {
        "read": (f"approver {COLLECTION} compliance manager", "approver compliance manager"),
        "create": (f"{COLLECTION} manager", "manager"),
        "write": (f"approver {COLLECTION} manager", "approver manager"),
        "unlink": ("", ""),
    },
    "loan.fraud.referral": {
        "read": (
            f"appraiser approver {COLLECTION} compliance manager",
            "approver compliance manager",
        ),
        # referred through the case's action, never created by hand
        "create": ("", ""),
        "write": (f"{COLLECTION} manager", "manager"),
        "unlink": ("", ""),
    },
    # configuration of a company: A and B are two of the company's own
    "loan.waiver.programme": {
        "read": (ALL_LENDING, ALL_LENDING),
        "create": ("", ""),
        "write": ("", ""),
        "unlink": ("", ""),
    },
    "loan.collection.strategy": {
        "read": (ALL_LENDING, ALL_LENDING),
        "create": ("", ""),
        "write": ("", ""),
        "unlink": ("", ""),
    },
}

# {(model, action): (roles allowed on A, on B)}: a refusal is an AccessError; an allowed
# role may still meet a business rule (a UserError), which is not a refusal of the role.
ACTIONS = {
    ("loan.waiver", "action_approve"): ("approver manager", "approver manager"),
    ("loan.waiver", "action_refuse"): ("approver manager", "approver manager"),
    ("loan.restructure", "action_approve"): ("approver manager", "approver manager"),
    ("loan.restructure", "action_refuse"): ("approver manager", "approver manager"),
    ("loan.write.off", "action_approve"): ("manager", "manager"),
    ("loan.write.off", "action_refuse"): ("manager", "manager"),
    ("loan.receipt", "action_post"): ("accountant manager", "accountant manager"),
    ("loan.collection.case", "action_flag_fraud"): (f"{COLLECTION} manager", "manager"),
    ("loan.hardship.request", "action_refuse"): ("teamlead manager", "manager"),
}


# the arguments of the actions that take some
ACTION_ARGS = {"action_flag_fraud": ("other", "Matrix: a doubt about the borrower")}


class _Rollback(Exception):
    """Undo an action that the matrix ran to see whether it was allowed."""


@tagged("post_install", "-at_install")
class TestRoleMatrix(CollectionWorkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "t_manager", "loan_base.group_loan_manager")
        cls.users = {role: getattr(cls, role) for role in ROLES}
        cls.records = {"A": cls._portfolio("A"), "B": cls._portfolio("B"), "X": cls._portfolio("X")}

    @classmethod
    def _portfolio(cls, scope):
        """One record of every model of the matrix on a contract of ``scope``."""
        env = cls.env
        company, product, officer, team, queue = (
            cls.company,
            cls.product,
            cls.officer,
            cls.sales_team,
            cls.early,
        )
        if scope == "B":
            officer = cls.officer2
            team = env["loan.team"].create(
                {"name": "Sales B", "member_ids": [Command.set(officer.ids)]}
            )
            queue = cls.late
        elif scope == "X":
            company = env["res.company"].create(
                {"name": "Other lender", "currency_id": env.ref("base.VND").id}
            )
            product = env["loan.product"].create(
                {**cls._product_vals(env.ref("base.VND")), "company_id": company.id, "code": "T-X"}
            )
            officer = new_test_user(
                env, "t_officer_x", "loan_base.group_loan_officer", company_id=company.id
            )
            team = env["loan.team"].create(
                {
                    "name": "Sales X",
                    "company_id": company.id,
                    "member_ids": [Command.set(officer.ids)],
                }
            )
            queue = env["loan.collection.queue"].create(
                {
                    "name": "X",
                    "company_id": company.id,
                    "team_id": env["loan.team"]
                    .create(
                        {"name": "Collection X", "kind": "collection", "company_id": company.id}
                    )
                    .id,
                }
            )
        partner = env["res.partner"].create(
            {
                "name": "Matrix borrower %s" % scope,
                "loan_is_borrower": True,
                "loan_user_id": officer.id,
                "loan_team_id": team.id,
                "company_id": company.id,
            }
        )
        Contract = env["loan.contract"]
        contract = Contract.create(
            Contract._loan_contract_vals(
                partner,
                product,
                20_000_000,
                12,
                fields.Date.to_date("2026-11-20"),
                user_id=officer.id,
                team_id=team.id,
            )
        )
        line = contract.line_ids[:1]
        case = env["loan.collection.case"].create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "queue_id": queue.id,
                "contract_ids": [Command.set(contract.ids)],
                "bucket_id": env.ref("loan_collection.loan_collection_bucket_1_30").id,
                "dpd": 10,
            }
        )
        programme = env["loan.waiver.programme"].create(
            {
                "name": "Matrix %s" % scope,
                "company_id": company.id,
                "monthly_budget": 10_000_000,
                "limit_ids": [
                    Command.create(
                        {
                            "group_id": env.ref("loan_base.group_loan_approver").id,
                            "max_amount": 5_000_000,
                        }
                    )
                ],
            }
        )
        receipt = env["loan.receipt"].create(
            {"contract_id": contract.id, "amount": 100_000, "date": "2026-11-25"}
        )
        reason = {
            kind: env["loan.decision.reason"].search([("kind", "=", kind)], limit=1)
            for kind in ("waiver", "restructure", "write_off")
        }
        requester = cls.lending_admin
        waiver = env["loan.waiver"].create(
            {
                "contract_id": contract.id,
                "programme_id": programme.id,
                "amount": 10_000,
                "reason_id": reason["waiver"].id,
            }
        )
        restructure = env["loan.restructure"].create(
            {"contract_id": contract.id, "term": 12, "reason_id": reason["restructure"].id}
        )
        write_off = env["loan.write.off"].create(
            {"contract_id": contract.id, "reason_id": reason["write_off"].id}
        )
        for request in (waiver, restructure, write_off):
            request.write({"state": "to_approve", "requested_by_id": requester.id})
        return {
            "loan.contract": contract,
            "loan.contract.line": line,
            "loan.receipt": receipt,
            "loan.receipt.line": env["loan.receipt.line"].create(
                {
                    "receipt_id": receipt.id,
                    "contract_line_id": line.id,
                    "component": "interest",
                    "amount": 1000,
                }
            ),
            "loan.settlement": env["loan.settlement"].create(
                {"contract_id": contract.id, "date": "2026-11-25"}
            ),
            "loan.waiver": waiver,
            "loan.restructure": restructure,
            "loan.restructure.line": env["loan.restructure.line"].create(
                {"restructure_id": restructure.id, "sequence": 1, "due_date": line.due_date}
            ),
            "loan.write.off": write_off,
            "loan.penalty.accrual": env["loan.penalty.accrual"].create(
                {
                    "contract_id": contract.id,
                    "line_id": line.id,
                    "date": "2026-11-25",
                    "amount": 1000,
                }
            ),
            "loan.contract.dpd": env["loan.contract.dpd"].create(
                {"contract_id": contract.id, "date": "2026-11-25", "dpd": 0}
            ),
            "loan.collection.case": case,
            "loan.collection.activity": env["loan.collection.activity"].create(
                {"case_id": case.id, "channel": "letter"}
            ),
            "loan.promise": env["loan.promise"].create(
                {
                    "case_id": case.id,
                    "amount": 100_000,
                    "date": fields.Date.add(fields.Date.today(), days=10),
                }
            ),
            "loan.hardship.request": env["loan.hardship.request"].create(
                {
                    "case_id": case.id,
                    "contract_id": contract.id,
                    "situation": "Lost job",
                    "programme_id": programme.id,
                }
            ),
            "loan.fraud.referral": env["loan.fraud.referral"].create(
                {"case_id": case.id, "reason": "first_payment_default", "note": "Matrix"}
            ),
            "loan.waiver.programme": programme,
            "loan.collection.strategy": env["loan.collection.strategy"].create(
                {"name": "Matrix %s" % scope, "company_id": company.id}
            ),
        }

    def _allowed(self, record, operation):
        try:
            record.check_access(operation)
        except AccessError:
            return False
        return True

    def _action_allowed(self, record, action):
        try:
            with self.env.cr.savepoint():
                getattr(record, action)(*ACTION_ARGS.get(action, ()))
                raise _Rollback
        except AccessError:
            return False
        except (_Rollback, UserError):
            return True
        finally:
            self.env.invalidate_all()

    def test_role_by_action_matrix(self):
        cells, differences = 0, []
        for model, operations in MATRIX.items():
            for operation, (on_a, on_b) in operations.items():
                expected = {"A": set(on_a.split()), "B": set(on_b.split()), "X": set()}
                for role in ROLES:
                    for scope in SCOPES:
                        record = self.records[scope][model].with_user(self.users[role])
                        got = self._allowed(record, operation)
                        cells += 1
                        if got != (role in expected[scope]):
                            differences.append((model, operation, role, scope, got))
        for (model, action), (on_a, on_b) in ACTIONS.items():
            expected = {"A": set(on_a.split()), "B": set(on_b.split()), "X": set()}
            for role in ROLES:
                for scope in SCOPES:
                    record = self.records[scope][model].with_user(self.users[role])
                    got = self._action_allowed(record, action)
                    cells += 1
                    if got != (role in expected[scope]):
                        differences.append((model, action, role, scope, got))
        columns = len(MATRIX) * len(OPERATIONS) + len(ACTIONS)
        _logger.info(
            "role-by-action matrix: %d roles x %d (model, operation or action) x %d scopes "
            "= %d cells (%d models, %d operations, %d actions), %d differ",
            len(ROLES),
            columns,
            len(SCOPES),
            cells,
            len(MATRIX),
            len(OPERATIONS),
            len(ACTIONS),
            len(differences),
        )
        self.assertEqual(cells, len(ROLES) * columns * len(SCOPES))
        self.assertFalse(
            differences,
            "cells that differ from the matrix (model, operation, role, scope, allowed): %s"
            % "\n".join(map(str, differences)),
        )

    def test_every_lending_model_with_a_company_has_a_company_rule(self):
        Rule = self.env["ir.rule"].sudo()
        missing = []
        for name in self.env.registry:
            Model = self.env[name]
            if not name.startswith("loan.") or Model._abstract or Model._transient:
                continue
            if not Model._auto or "company_id" not in Model._fields:
                continue
            rules = Rule.search([("model_id.model", "=", name), ("global", "=", True)])
            if not any("company_ids" in rule.domain_force for rule in rules):
                missing.append(name)
        self.assertFalse(missing, "lending models with a company but no company rule")
