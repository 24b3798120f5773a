from datetime import timedelta

from odoo import api, fields, models

from ..models.loan_collection_case import OPEN_STATES, WORKABLE


class LoanCollectionDemo(models.AbstractModel):
    """Builders of the collection demo data, called from ``loan_collection_demo.xml``:
    kept out of the production models, which never call them."""

    _name = "loan.collection.demo"
    _description = "Collection Demo Data"

    @api.model
    def _loan_demo_cases(self):
        """Demo data only: the cases of the demo loans the end of day already saw."""
        contracts = self.env["loan.contract"].search([("state", "in", ("active", "overdue"))])
        if contracts:
            self.env["loan.collection.case"]._sync_from_contracts(
                contracts.ids, fields.Date.context_today(self)
            )

    @api.model
    def _loan_demo_delinquency(self):
        """Demo data only: loans paid out months ago to borrowers who stopped paying (one
        in every bucket), the end of day replayed for them from their payout, then what
        collection did about them: promises kept and broken, a hardship waiver, a payment
        holiday, a field visit (Mai, who never paid anything, is referred for fraud by the
        first-payment-default rule during the replay)."""
        ref = self.env.ref
        today = fields.Date.context_today(self)
        yesterday = today - timedelta(days=1)
        Case = self.env["loan.collection.case"]
        Contract = self.env["loan.contract"]
        funded = {}
        for key, days_ago in (("lan", 45), ("hai", 75), ("khoa", 100), ("phuc", 160), ("mai", 240)):
            app = ref("loan_collection.loan_application_%s_demo" % key)
            contract_id = self.env["loan.origination.demo"]._loan_demo_fund(
                app.id, days_ago, "active"
            )
            funded[key] = Contract.browse(contract_id)
        accountant = ref("loan_base.user_accountant_demo", raise_if_not_found=False)
        Receipt = self.env["loan.receipt"]
        if accountant:
            Receipt = Receipt.with_user(accountant)
        payments = (
            [
                (funded[key], first.instalment, first.due_date)  # then they stopped paying
                for key in ("khoa", "phuc")
                for first in funded[key].line_ids.sorted("sequence")[:1]
            ]
            + [(funded["lan"], 1_000_000, today - timedelta(days=6))]
        )  # as promised
        # the end of day of every date since the first payout, for these loans only; each
        # receipt is taken on its date, before that date closes, so that the history of
        # every date is what the books said then
        contracts = Contract.browse([c.id for c in funded.values()])
        Run = self.env["loan.eod.run"].sudo()
        day = min(contracts.mapped("disbursed_date")) + timedelta(days=1)
        for contract, amount, paid_on in payments:
            if paid_on < day:
                Receipt.create(
                    {"contract_id": contract.id, "amount": amount, "date": paid_on}
                )._post()
        while day <= yesterday:
            for contract, amount, paid_on in payments:
                if paid_on == day:
                    Receipt.create(
                        {"contract_id": contract.id, "amount": amount, "date": paid_on}
                    )._post()
            run = Run.search([("business_date", "=", day)]) or Run.create(
                {"business_date": day, "state": "done", "chunk_count": 1}
            )
            run.with_context(queue_job__no_delay=True)._run_chunk(contracts.ids)
            day += timedelta(days=1)
        case_of = {
            key: Case.search([("partner_id", "=", c.partner_id.id), ("state", "in", OPEN_STATES)])
            for key, c in funded.items()
        }
        collector = ref("loan_base.user_collector_demo")
        collector2 = ref("loan_base.user_collector2_demo")
        approver = ref("loan_base.user_approver_demo")
        Promise = self.env["loan.promise"].sudo()
        Promise.create(
            [
                {
                    "case_id": case_of["lan"].id,
                    "user_id": collector.id,
                    "amount": 1_000_000,
                    "date_from": today - timedelta(days=8),
                    "date": today - timedelta(days=4),
                },
                {
                    "case_id": case_of["phuc"].id,
                    "user_id": collector2.id,
                    "amount": 3_000_000,
                    "date_from": today - timedelta(days=12),
                    "date": today - timedelta(days=5),
                },
            ]
        )
        Promise._check_promises(contracts.partner_id.ids, yesterday)
        # hardship: penalties waived for Hải, a payment holiday for Khoa
        programme = ref("loan_servicing.loan_waiver_programme_hardship_demo")
        Request = self.env["loan.hardship.request"].with_user(collector2)
        hai = funded["hai"]
        penalties = sum(
            hai.line_ids.mapped(lambda ln: ln.penalty - ln.penalty_paid - ln.penalty_waived)
        )
        waiver = Request.create(
            {
                "case_id": case_of["hai"].id,
                "contract_id": hai.id,
                "programme_id": programme.id,
                "situation": "Bị tai nạn lao động, nghỉ việc hai tháng.",
                "proposal": "waiver",
                "component": "penalty",
                "amount": hai.currency_id.round(penalties / 2),
            }
        )
        holiday = Request.create(
            {
                "case_id": case_of["khoa"].id,
                "contract_id": funded["khoa"].id,
                "programme_id": programme.id,
                "situation": "Mất việc, đang tìm việc mới; gia đình hỗ trợ từ tháng sau.",
                "proposal": "holiday",
                "holiday_months": 2,
            }
        )
        (waiver | holiday).action_submit()
        waiver.with_user(approver).action_approve_waiver()
        holiday.restructure_id.with_user(approver).action_approve()
        # the team lead shares the cases out; Phúc broke his promise: a visit tomorrow
        teamlead = ref("loan_base.user_teamlead_demo")
        workable = Case.search([("state", "in", WORKABLE), ("user_id", "=", False)])
        self.env["loan.collection.assign"].with_user(teamlead).create(
            {"mode": "balance", "case_ids": [fields.Command.set(workable.ids)]}
        ).action_apply()
        if case_of["phuc"].user_id:
            case_of["phuc"]._plan_visit(today + timedelta(days=1), "Thăm nhà sau khi khách lỡ hẹn")
