from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import LoanServicingCommon


@tagged("post_install", "-at_install")
class TestAmountsAndNames(LoanServicingCommon):
    """Money in the record's currency, human names, the figures of the end of day and of
    write-offs, expiring settlement quotes."""

    def test_money_fields_are_monetary_in_the_record_currency(self):
        float_money = []
        for model_name in self.env.registry:
            if not model_name.startswith("loan.") or model_name.startswith("loan.collection.kpi"):
                continue
            model = self.env[model_name]
            for name, field in model._fields.items():
                if field.type == "monetary":
                    currency = model._fields.get(field.get_currency_field(model))
                    self.assertTrue(
                        currency and currency.comodel_name == "res.currency",
                        f"{model_name}.{name} has no currency field",
                    )
                elif field.type == "float" and any(
                    word in name for word in ("amount", "principal", "balance", "paid")
                ):
                    float_money.append(f"{model_name}.{name}")
        self.assertFalse(float_money, "money kept as a float")

    def test_calculator_shows_the_company_currency_before_a_product(self):
        calculator = Form(self.env["loan.calculator"].with_user(self.officer))
        self.assertEqual(calculator.currency_id, self.env.company.currency_id)
        calculator.product_id = self.product
        self.assertEqual(calculator.currency_id.name, "VND")
        self.assertEqual(calculator.currency_id.decimal_places, 0)

    def test_days_past_due_history_in_its_company_and_currency(self):
        contract = self._active_contract(penalty_rate=0.05)
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create({"business_date": "2026-12-19", "state": "done"})
        self.env["loan.eod.run"].with_user(self.accountant).with_context(
            queue_job__no_delay=True
        ).run_to("2026-12-22")
        History = self.env["loan.contract.dpd"].with_user(self.accountant)
        rows = History.search([("contract_id", "=", contract.id)], order="date")
        self.assertEqual(rows.mapped("dpd"), [0, 1, 2])
        self.assertEqual(rows.company_id, contract.company_id)
        self.assertEqual(rows.currency_id.name, "VND")
        self.assertEqual(rows.partner_id, contract.partner_id)
        self.assertEqual(History._fields["overdue_amount"].type, "monetary")
        self.assertIn(contract.name, rows[0].display_name)
        accruals = (
            self.env["loan.penalty.accrual"].sudo().search([("contract_id", "=", contract.id)])
        )
        self.assertTrue(accruals)
        self.assertEqual(accruals.currency_id, contract.currency_id)
        # another company's history is not listed to someone working in this one
        other = self.env["res.company"].create({"name": "Other lender"})
        self.env.cr.execute(
            "UPDATE loan_contract_dpd SET company_id = %s WHERE id = %s", [other.id, rows[-1].id]
        )
        self.env.invalidate_all()
        self.assertEqual(
            History.search([("contract_id", "=", contract.id)]), rows[:2], "company rule"
        )

    def test_instalment_and_allocation_names(self):
        contract = self._active_contract()
        # in the reader's language's date format (the demo company's is Vietnamese)
        lines = contract.line_ids.sorted("sequence").with_context(lang="en_US")
        self.assertEqual(lines[0].display_name, "1/12, due 12/20/2026")
        self.env.ref("base.lang_en").date_format = "%d/%m/%Y"
        lines.invalidate_recordset(["display_name"])
        self.assertEqual(lines[2].display_name, "3/12, due 20/02/2027")
        receipt = self._pay(contract, 12_000)
        self.assertEqual(
            receipt.line_ids.display_name, f"{receipt.name}: Fees of 1/12, due 20/12/2026"
        )

    def test_end_of_day_progress_stays_between_0_and_100(self):
        Run = self.env["loan.eod.run"].sudo()
        run = Run.create({"business_date": "2030-01-01", "chunk_count": 2})
        self.assertEqual(run.with_user(self.accountant).progress, 0)
        run._run_chunk([])
        self.assertEqual((run.progress, run.state), (50, "running"))
        run._run_chunk([])
        self.assertEqual((run.progress, run.state), (100, "done"))
        # a chunk run again (a retried job, a date closed again) does not count twice
        run._run_chunk([])
        run._run_chunk([])
        self.assertEqual((run.chunks_done, run.progress), (2, 100))
        done = Run.create({"business_date": "2030-01-02", "chunk_count": 1, "state": "done"})
        self.assertEqual(done.progress, 100)

    def test_write_off_request_shows_what_it_takes_off(self):
        contract = self._active_contract(penalty_rate=0.05)
        lead = new_test_user(self.env, "t_wo_lead", "loan_base.group_loan_collection_lead")
        request = (
            self.env["loan.write.off"]
            .with_user(self.accountant)
            .create(
                {
                    "contract_id": contract.id,
                    "reason_id": self.env.ref(
                        "loan_servicing.loan_decision_reason_write_off_deceased"
                    ).id,
                }
            )
        )
        self.assertEqual(request.principal, 20_000_000, "a pending request shows its principal")
        request.action_submit()
        self.assertEqual(request.with_user(lead).principal, 20_000_000)
        self.assertEqual(request.charges, 0)
        # the end of day keeps a pending request's figures current
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create({"business_date": "2026-11-20", "state": "done"})
        self.env["loan.eod.run"].with_user(self.accountant).with_context(
            queue_job__no_delay=True
        ).run_to("2026-12-25")
        first = contract.line_ids.sorted("sequence")[0]
        self.assertTrue(first.penalty)
        self.assertEqual(request.charges, first.interest + first.fee + first.penalty)
        self.assertEqual(request.principal, 20_000_000)
        manager = new_test_user(self.env, "t_wo_manager", "loan_base.group_loan_manager")
        request.with_user(manager).action_approve()
        self.assertEqual(request.principal, 20_000_000)
        self.assertEqual(contract.written_off_amount, request.principal + request.charges)
        # the approved figures stay what was posted
        request.invalidate_recordset()
        self.assertEqual(request.principal, 20_000_000)

    def test_settlement_quotes_expire_by_the_scheduled_action(self):
        contract = self._active_contract()
        Quote = self.env["loan.settlement"].with_user(self.officer)
        old = Quote.create({"contract_id": contract.id, "date": "2026-12-01"})
        current = Quote.create({"contract_id": contract.id, "date": "2026-12-05"})
        cron = self.env.ref("loan_servicing.ir_cron_loan_settlement_expire")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "days")
        # the scheduled action's own code, as the scheduler runs it (its user)
        with freeze_time("2026-12-05 10:00:00"):
            cron.ir_actions_server_id.with_user(cron.user_id).run()
        self.assertEqual(old.state, "expired")
        self.assertEqual(current.state, "quoted")
