from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestFieldVisit(CollectionWorkCommon):
    """Field visits: a gated contact whose cash becomes a receipt, planned in priority order."""

    def test_field_visit_is_a_gated_contact_and_its_cash_a_receipt(self):
        contract = self._active_contract()
        self._run_to("2026-12-25")
        case = self._case(contract)
        # collectors read the contracts of their teams' cases only
        self.assertEqual(
            contract.with_user(self.collector).read(["name"])[0]["name"], contract.name
        )
        with self.assertRaises(AccessError):
            contract.with_user(self.collector_b).read(["name"])
        self.assertTrue(contract.with_user(self.compliance).read(["name"]))
        # and so their schedules
        lines = contract.line_ids
        self.assertEqual(len(lines.with_user(self.collector).read(["due_date"])), len(lines))
        with self.assertRaises(AccessError):
            lines.with_user(self.collector_b).read(["due_date"])

        action = case.with_user(self.collector).action_plan_field_visit()
        visit = (
            self.env["loan.field.visit"]
            .with_user(self.collector)
            .with_context(**action["context"])
            .create({"appointment": "2026-12-26 02:00:00", "address": "120 CMT8, Quận 3"})
        )
        self.assertEqual(visit.purpose, "collection")
        self.assertEqual((visit.partner_id, visit.user_id), (contract.partner_id, self.collector))
        with self.assertRaises(AccessError):
            visit.with_user(self.collector_b).read(["address"])
        visit.write({"result": "paid", "latitude": 10.7769, "longitude": 106.6869})
        with self.assertRaises(UserError):
            visit.action_done()  # paid, but how much and for which contract?
        visit.write({"amount_collected": 1_000_000, "contract_id": contract.id})
        # at 22:30 in Ho Chi Minh City the gate refuses the visit: it stays planned
        with freeze_time("2026-12-26 15:30:00"):
            visit.action_done()
        self.assertEqual((visit.state, visit.activity_id.state), ("planned", "blocked"))
        self.assertFalse(visit.receipt_id)
        with freeze_time("2026-12-26 03:00:00"):
            visit.action_done()
        contact = visit.activity_id
        self.assertEqual((visit.state, contact.channel, contact.outcome), ("done", "visit", "paid"))
        self.assertEqual((contact.state, contact.attempt_id.state), ("done", "sent"))
        receipt = visit.receipt_id
        self.assertEqual(
            (receipt.state, receipt.amount, receipt.contract_id), ("draft", 1_000_000, contract)
        )
        # the accountant posts it when the cash is handed in: a real receipt in servicing
        with freeze_time("2026-12-26"):
            receipt.with_user(self.accountant).action_post()
        self.assertEqual(receipt.state, "posted")
        self.assertEqual(receipt.payment_id.amount, 1_000_000)
        self.assertEqual(receipt.payment_id.state, "in_process")
        with self.assertRaises(UserError):
            visit.action_done()

    def test_a_day_of_field_visits_is_planned_in_priority_order(self):
        self.collector.tz = "Asia/Ho_Chi_Minh"
        partners = self.env["res.partner"].create(
            [
                {"name": "Debtor %s" % n, "street": "%s Lê Lợi" % n, "city": "Hồ Chí Minh"}
                for n in range(3)
            ]
        )
        cases = self._cases(partners)
        Plan = self.env["loan.field.visit.plan"].with_user(self.collector)
        Plan.with_context(active_model="loan.collection.case", active_ids=cases[2].ids).create(
            {"date": "2026-12-27"}
        ).action_plan()
        action = (
            Plan.with_context(active_model="loan.collection.case", active_ids=cases.ids)
            .create({"date": "2026-12-28", "start_hour": 9.0, "minutes_between": 45})
            .action_plan()
        )
        visits = self.env["loan.field.visit"].with_user(self.collector).search(action["domain"])
        self.assertEqual(visits.case_id, cases[:2], "a case with a planned visit is skipped")
        planned = visits.sorted("appointment")
        self.assertEqual(planned.case_id.ids, cases[:2].ids, "highest priority first")
        self.assertEqual(
            [str(v.appointment) for v in planned],
            ["2026-12-28 02:00:00", "2026-12-28 02:45:00"],  # 9:00 and 9:45 in Ho Chi Minh City
        )
        self.assertEqual(planned[0].address, "0 Lê Lợi, Hồ Chí Minh")
        with self.assertRaises(AccessError):
            Plan.with_user(self.collector_b).with_context(
                active_model="loan.collection.case", active_ids=cases.ids
            ).create({"date": "2026-12-28"}).action_plan()

    def test_a_visit_is_planned_only_when_the_gate_allows_it(self):
        self.collector.tz = "Asia/Ho_Chi_Minh"
        partners = self.env["res.partner"].create(
            [
                {"name": "Visited %s" % n, "tz": "Asia/Ho_Chi_Minh", "street": "%s Lê Lợi" % n}
                for n in range(2)
            ]
        )
        cases = self._cases(partners)
        Visit = self.env["loan.field.visit"].with_user(self.collector)
        vals = {"purpose": "collection", "case_id": cases[0].id, "address": "1 Lê Lợi"}
        # 22:00 in Ho Chi Minh City: outside the policy's hours, refused when planned
        with self.assertRaises(UserError) as refused:
            Visit.create({**vals, "appointment": "2026-12-28 15:00:00"})
        self.assertIn("Visited 0", str(refused.exception))
        visit = Visit.create({**vals, "appointment": "2026-12-28 03:00:00"})  # 10:00
        with self.assertRaises(UserError):
            visit.write({"appointment": "2026-12-28 16:00:00"})  # moved to 23:00
        self.assertEqual(str(visit.appointment), "2026-12-28 03:00:00")
        # the day's planner leaves out what the gate blocks and says why: 21:30 is late
        result = (
            self.env["loan.field.visit.plan"]
            .with_user(self.collector)
            .with_context(active_model="loan.collection.case", active_ids=cases[1:].ids)
            .create({"date": "2026-12-29", "start_hour": 21.5})
            .action_plan()
        )
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("Visited 1", result["params"]["message"])
        self.assertFalse(Visit.search(result["params"]["next"]["domain"]))
