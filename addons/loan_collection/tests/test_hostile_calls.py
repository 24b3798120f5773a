"""Malformed and hostile calls over JSON-RPC, as the web client's users could send them:
wrong types, negative, zero, huge and non-finite amounts, ids of another company, of nothing,
strings where ids are expected, dates that do not exist or are out of range, markup where
numbers are expected. Each must come back as a clear error (an Odoo user-facing exception
with a message) and leave the lending tables exactly as they were."""

import logging

from odoo import Command, fields
from odoo.addons.loan_base.tests.http_common import WebClientCase
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import CollectionWorkCommon

_logger = logging.getLogger(__name__)

CLEAR = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
}
# the lending tables a hostile call could touch; each is fingerprinted before and after
TABLES = (
    "loan_contract",
    "loan_contract_line",
    "loan_receipt",
    "loan_receipt_line",
    "loan_settlement",
    "loan_waiver",
    "loan_restructure",
    "loan_write_off",
    "loan_collection_case",
    "loan_collection_activity",
    "loan_promise",
    "loan_hardship_request",
    "loan_fraud_referral",
    "loan_consent",
    "loan_outreach_attempt",
    "loan_partner_phone",
    "loan_eod_run",
    "res_partner",
    "account_move",
)
HUGE = 10**30
# the arguments of the public actions that take some
ACTION_ARGS = {"action_flag_fraud": ["other", "A doubt"]}
NOT_A_DATE = ("2026-02-30", "2026-13-01", "tomorrow", "31/12/2026", 20261231, "")
NOT_AN_ID = ("abc", -5, 2**31, 1.5, "<b>1</b>", [1, 2], {"id": 1})
NOT_AN_AMOUNT = (-1, 0, "abc", "1e400", HUGE, "NaN", [100], "<script>alert(1)</script>")


@tagged("post_install", "-at_install")
class TestHostileCalls(WebClientCase, CollectionWorkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_a.leader_id = cls.teamlead
        cls.contract = cls._active_contract_cls()
        cls.case = cls.env["loan.collection.case"].create(
            {
                "partner_id": cls.contract.partner_id.id,
                "company_id": cls.company.id,
                "queue_id": cls.early.id,
                "contract_ids": [Command.set(cls.contract.ids)],
                "bucket_id": cls.env.ref("loan_collection.loan_collection_bucket_1_30").id,
                "dpd": 10,
            }
        )
        cls.programme = cls.env["loan.waiver.programme"].create(
            {"name": "Hostile", "monthly_budget": 10_000_000}
        )
        cls.reason = {
            kind: cls.env["loan.decision.reason"].search([("kind", "=", kind)], limit=1).id
            for kind in ("waiver", "restructure", "write_off")
        }
        cls.draft_receipt = cls.env["loan.receipt"].create(
            {"contract_id": cls.contract.id, "amount": 100_000, "date": "2026-12-20"}
        )
        # another company's borrower, programme and case
        other = cls.env["res.company"].create({"name": "Other lender"})
        cls.other_partner = cls.env["res.partner"].create(
            {"name": "Other company's borrower", "loan_is_borrower": True, "company_id": other.id}
        )
        cls.other_programme = cls.env["loan.waiver.programme"].create(
            {"name": "Other", "company_id": other.id, "monthly_budget": 1}
        )
        cls.other_team = cls.env["loan.team"].create(
            {"name": "Other", "kind": "collection", "company_id": other.id}
        )
        cls.other_case = cls.env["loan.collection.case"].create(
            {
                "partner_id": cls.other_partner.id,
                "company_id": other.id,
                "queue_id": cls.env["loan.collection.queue"]
                .create({"name": "Other", "company_id": other.id, "team_id": cls.other_team.id})
                .id,
                "dpd": 10,
            }
        )
        cls.other_user = new_test_user(
            cls.env, "t_other_co", "loan_base.group_loan_manager", company_id=other.id
        )

    @classmethod
    def _active_contract_cls(cls):
        """The servicing helper as a class fixture: a disbursed 20,000,000 VND contract."""
        Contract = cls.env["loan.contract"]
        with freeze_time("2026-11-20 03:00:00"):
            contract = Contract.create(
                Contract._loan_contract_vals(
                    cls.borrower,
                    cls.product,
                    20_000_000,
                    12,
                    fields.Date.to_date("2026-11-20"),
                    user_id=cls.officer.id,
                    team_id=cls.sales_team.id,
                )
            )
            contract.write({"signed_file": b"JVBERi0=", "signed_filename": "s.pdf"})
            contract.action_mark_signed()
            contract.with_user(cls.accountant).action_disburse()
        return contract

    def _fingerprint(self):
        self.env.flush_all()
        digests = []
        for table in TABLES:
            self.env.cr.execute(
                SQL(
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM %s t",
                    SQL.identifier(table),
                )
            )
            digests.append(self.env.cr.fetchone()[0])
        return dict(zip(TABLES, digests, strict=True))

    def _calls(self):
        """(user, model, method, args, kwargs) of every hostile call."""
        c = self.contract.id
        calls = []
        receipt = {"contract_id": c, "amount": 100_000, "date": "2026-12-20"}
        for amount in NOT_AN_AMOUNT:
            calls.append(
                (self.accountant, "loan.receipt", "create", [{**receipt, "amount": amount}])
            )
            calls.append(
                (
                    self.accountant,
                    "loan.receipt",
                    "write",
                    [self.draft_receipt.ids, {"amount": amount}],
                )
            )
        for bad in NOT_AN_ID:
            calls.append(
                (self.accountant, "loan.receipt", "create", [{**receipt, "contract_id": bad}])
            )
        for bad in NOT_A_DATE:
            calls.append((self.accountant, "loan.receipt", "create", [{**receipt, "date": bad}]))
        waiver = {
            "contract_id": c,
            "programme_id": self.programme.id,
            "amount": 10_000,
            "reason_id": self.reason["waiver"],
        }
        for amount in NOT_AN_AMOUNT:
            calls.append((self.collector, "loan.waiver", "create", [{**waiver, "amount": amount}]))
        calls += [
            (
                self.collector,
                "loan.waiver",
                "create",
                [{**waiver, "programme_id": self.other_programme.id}],
            ),
            (
                self.collector,
                "loan.waiver",
                "create",
                [{**waiver, "component": "<b>principal</b>"}],
            ),
            (self.collector, "loan.waiver", "create", [{**waiver, "reason_id": "abc"}]),
        ]
        promise = {"case_id": self.case.id, "amount": 500_000, "date": "2026-12-28"}
        # required values left out
        calls += [
            (self.collector, "loan.promise", "create", [{"case_id": self.case.id}]),
            (self.collector, "loan.fraud.referral", "create", [{"case_id": self.case.id}]),
            (self.collector, "loan.collection.activity", "create", [{}]),
        ]
        for amount in NOT_AN_AMOUNT:
            calls.append(
                (self.collector, "loan.promise", "create", [{**promise, "amount": amount}])
            )
        for bad in NOT_A_DATE + ("1900-01-01", "9999-12-31"):
            calls.append((self.collector, "loan.promise", "create", [{**promise, "date": bad}]))
        for bad in (*NOT_AN_ID, self.other_case.id):
            calls.append((self.collector, "loan.promise", "create", [{**promise, "case_id": bad}]))
        restructure = {"contract_id": c, "term": 24, "reason_id": self.reason["restructure"]}
        for vals in (
            {"term": -1},
            {"term": 0},
            {"term": 10_000},
            {"term": "twelve"},
            {"rate": -5},
            {"rate": 1e6},
            {"rate": "NaN"},
            {"grace_principal": -1},
            {"watch_months": -3},
            {"date": "2026-02-30"},
        ):
            calls.append((self.collector, "loan.restructure", "create", [{**restructure, **vals}]))
        hardship = {
            "case_id": self.case.id,
            "contract_id": c,
            "situation": "Lost my job",
            "programme_id": self.programme.id,
        }
        for vals in (
            {"amount": -1},
            {"amount": "abc"},
            {"proposal": "restructure", "term": -2},
            {"proposal": "holiday", "holiday_months": -1},
            {"proposal": "holiday", "holiday_months": 10_000},
            {"proposal": "<i>waiver</i>"},
            {"case_id": self.other_case.id},
            {"programme_id": self.other_programme.id},
        ):
            calls.append(
                (self.collector, "loan.hardship.request", "create", [{**hardship, **vals}])
            )
        for vals in (
            {"channel": "fax"},
            {"case_id": self.other_case.id},
            {"case_id": "abc"},
            {"outcome": "<script>x</script>"},
        ):
            calls.append(
                (
                    self.collector,
                    "loan.collection.activity",
                    "create",
                    [{"case_id": self.case.id, "channel": "letter", **vals}],
                )
            )
        settlement = {"contract_id": c, "date": "2026-12-25"}
        for vals in ({"date": "2026-02-30"}, {"date": "not a date"}, {"contract_id": "x"}):
            calls.append((self.officer, "loan.settlement", "create", [{**settlement, **vals}]))
        borrower = self.borrower.ids
        for vals in (
            {"loan_id_number": "<script>alert(1)</script>"},
            {"loan_id_number": "079195000567000000000000"},
            {"loan_birth_date": "2026-02-30"},
            {"loan_birth_date": "2200-01-01"},
            {"loan_phone_ids": [Command.create({"number": "<b>0901</b>"})]},
            {"loan_phone_ids": [Command.create({"number": "9" * 40})]},
            {"loan_monthly_income": -1},
            {"loan_monthly_income": "a lot"},
            {"loan_team_id": self.other_team.id},
        ):
            calls.append((self.officer, "res.partner", "write", [borrower, vals]))
        # the public actions, with ids that are not theirs to act on
        for model, method, ids in (
            ("loan.receipt", "action_post", ["abc"]),
            ("loan.receipt", "action_post", [2**31]),
            ("loan.receipt", "action_post", [-1]),
            ("loan.receipt", "action_reverse", [self.draft_receipt.id]),
            ("loan.contract", "action_disburse", [self.contract.id]),
            ("loan.collection.case", "action_flag_fraud", [self.other_case.id]),
            ("loan.collection.case", "action_flag_fraud", ["1; DROP TABLE loan_contract"]),
        ):
            calls.append(
                (
                    self.accountant if model != "loan.collection.case" else self.collector,
                    model,
                    method,
                    [ids],
                )
            )
        for day in ("9999-12-31", "2026-02-30", "<b>today</b>", 0):
            calls.append((self.accountant, "loan.eod.run", "run_to", [day]))
        calls.append(
            (self.accountant, "loan.eod.run", "run_to", ["2026-11-25"], {"chunk_size": -1})
        )
        calls.append(
            (self.accountant, "loan.eod.run", "run_to", ["2026-11-25"], {"chunk_size": "x"})
        )
        # a user of another company acting on this company's records
        calls += [
            (self.other_user, "loan.receipt", "action_post", [self.draft_receipt.ids]),
            (self.other_user, "loan.receipt", "write", [self.draft_receipt.ids, {"amount": 5}]),
            (self.other_user, "loan.collection.case", "write", [self.case.ids, {"dpd": 0}]),
            (self.other_user, "loan.contract", "read", [self.contract.ids, ["amount"]]),
        ]
        return calls

    @freeze_time("2026-12-20 03:00:00")
    def test_hostile_calls_get_a_clear_error_and_change_nothing(self):
        calls = self._calls()
        self.assertGreaterEqual(len(calls), 100)
        unclear, changed = [], []
        logged_in = None
        for call in calls:
            user, model, method, args = call[:4]
            kwargs = call[4] if len(call) > 4 else {}
            if user != logged_in:
                self._login(user)
                logged_in = user
            before = self._fingerprint()
            with mute_logger("odoo.http", "odoo.sql_db"):
                result = self._jsonrpc(
                    "/web/dataset/call_kw/%s/%s" % (model, method),
                    self._call_kw_params(model, method, args, kwargs),
                )
            self.env.invalidate_all()
            error = result.get("error") if isinstance(result, dict) else None
            where = "%s.%s%r%r as %s" % (model, method, args, kwargs, user.login)
            if not (error and error["name"] in CLEAR and (error["message"] or "").strip()):
                unclear.append("%s -> %r" % (where, error or result))
            after = self._fingerprint()
            if after != before:
                changed.append(
                    "%s changed %s" % (where, [t for t in TABLES if before[t] != after[t]])
                )
        _logger.info(
            "hostile calls: %d tried, %d unclear, %d changed data",
            len(calls),
            len(unclear),
            len(changed),
        )
        self.assertFalse(unclear, "calls without a clear error:\n%s" % "\n".join(unclear))
        self.assertFalse(changed, "calls that changed data:\n%s" % "\n".join(changed))

    def _one_of_each(self):
        """A record of every lending model that has public actions, the borrower's."""
        env = self.env
        reason = self.reason
        app = self._application()
        visit = env["loan.field.visit"].create(
            {
                "purpose": "collection",
                "case_id": self.case.id,
                "appointment": "2026-12-21 03:00:00",
                "address": "1 Lê Lợi",
            }
        )
        return {
            "res.partner": self.borrower,
            "loan.consent": env["loan.consent"].create(
                {
                    "partner_id": self.borrower.id,
                    "purpose": "marketing",
                    "text_version": "MKT-1",
                    "given_at": "2026-11-01 00:00:00",
                }
            ),
            "loan.contract": self.contract,
            "loan.product": self.product,
            "loan.receipt": self.draft_receipt,
            "loan.settlement": env["loan.settlement"].create(
                {"contract_id": self.contract.id, "date": "2026-12-25"}
            ),
            "loan.waiver": env["loan.waiver"].create(
                {
                    "contract_id": self.contract.id,
                    "programme_id": self.programme.id,
                    "amount": 10_000,
                    "reason_id": reason["waiver"],
                }
            ),
            "loan.restructure": env["loan.restructure"].create(
                {"contract_id": self.contract.id, "term": 24, "reason_id": reason["restructure"]}
            ),
            "loan.write.off": env["loan.write.off"].create(
                {"contract_id": self.contract.id, "reason_id": reason["write_off"]}
            ),
            "loan.collection.case": self.case,
            "loan.collection.activity": env["loan.collection.activity"].create(
                {"case_id": self.case.id, "channel": "call"}
            ),
            "loan.hardship.request": env["loan.hardship.request"].create(
                {
                    "case_id": self.case.id,
                    "contract_id": self.contract.id,
                    "situation": "Lost my job",
                    "programme_id": self.programme.id,
                }
            ),
            "loan.fraud.referral": env["loan.fraud.referral"].create(
                {"case_id": self.case.id, "reason": "other", "note": "Sweep"}
            ),
            "loan.field.visit": visit,
            "loan.application": app,
            "loan.application.document": env["loan.application.document"].create(
                {
                    "application_id": app.id,
                    "document_type_id": self.product.document_type_ids[:1].id,
                }
            ),
            "crm.lead": self._lead(),
        }

    @freeze_time("2026-12-20 03:00:00")
    def test_every_public_action_refuses_whoever_may_not_act(self):
        """Every public action of the lending models, over JSON-RPC, as a user without a
        lending role and as a manager of another company: refused, before anything is
        done. (What each role may do is the role-by-action matrix.)"""
        records = self._one_of_each()
        # the borrower belongs to the lender, as the conversion of a lead makes it (a person
        # without a company is shared by every company's staff)
        self.borrower.company_id = self.company
        navigation = ("view", "print", "open", "calculator", "history")
        tried, wrong = 0, []
        for user in (self.internal, self.other_user):
            self._login(user)
            for model, record in records.items():
                cls = type(record)
                for name in sorted(dir(cls)):
                    function = getattr(cls, name, None)
                    if not name.startswith("action_") or not callable(function):
                        continue
                    if not getattr(function, "__module__", "").startswith("odoo.addons.loan_"):
                        continue  # Odoo's own actions
                    if any(word in name for word in navigation):
                        continue  # opens a view or a report: the records are checked there
                    before = self._fingerprint()
                    api_model = getattr(function, "_api_model", False)
                    if api_model and user == self.other_user:
                        continue  # on no record of this company: nothing to refuse
                    args = ([] if api_model else [record.ids]) + list(ACTION_ARGS.get(name, ()))
                    with mute_logger("odoo.http"):
                        result = self._jsonrpc(
                            "/web/dataset/call_kw/%s/%s" % (model, name),
                            self._call_kw_params(model, name, args),
                        )
                    self.env.invalidate_all()
                    tried += 1
                    error = result.get("error") if isinstance(result, dict) else None
                    if not error or error["name"] != "odoo.exceptions.AccessError":
                        wrong.append("%s.%s as %s -> %r" % (model, name, user.login, result))
                    if self._fingerprint() != before:
                        wrong.append("%s.%s as %s changed data" % (model, name, user.login))
        _logger.info("public actions refused over JSON-RPC: %d calls", tried)
        self.assertGreater(tried, 60)
        self.assertFalse(wrong, "\n".join(wrong))
