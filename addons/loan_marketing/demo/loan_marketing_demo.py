import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hương",
    "Khoa",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
]


class LoanMarketingDemo(models.AbstractModel):
    """Builder of the marketing demo (the Tết campaign's costs, leads, touches, contacts,
    applications and loans), called from ``demo/loan_marketing_demo.xml``; nothing in
    production calls it."""

    _name = "loan.marketing.demo"
    _description = "Loan Marketing Demo Builder"

    @api.model
    def _loan_demo_campaign(self, leads=240, seed=2027):
        rnd = random.Random(seed)
        ref = self.env.ref
        campaign = ref("loan_marketing.utm_campaign_tet_demo")
        sources = [
            ref("loan_marketing.loan_lead_source_tet_landing_demo"),
            ref("loan_marketing.loan_lead_source_tet_facebook_demo"),
            ref("loan_marketing.loan_lead_source_tet_zalo_demo"),
        ]
        today = fields.Date.context_today(self)
        start = today - timedelta(days=150)
        # 30 days of costs per channel
        costs = []
        for day in range(30):
            for source, base in zip(sources, (600_000, 2_400_000, 1_500_000), strict=True):
                costs.append(
                    {
                        "campaign_id": campaign.id,
                        "date": start + timedelta(days=day),
                        "channel_id": source.channel_id.id,
                        "amount": base + rnd.randrange(0, base // 2, 10_000),
                        "impressions": rnd.randrange(5_000, 40_000),
                        "clicks": rnd.randrange(100, 1_500),
                    }
                )
        self.env["loan.campaign.cost"].create(costs)
        # leads, some of them back through another channel
        Lead = self.env["crm.lead"]
        phones = []
        for index in range(leads):
            day = start + timedelta(days=index * 30 // leads)
            at = datetime.combine(day, time(1, 0)) + timedelta(minutes=rnd.randrange(0, 720))
            if phones and rnd.random() < 0.15:
                phone, name = rnd.choice(phones)
            else:
                phone = "09%08d" % rnd.randrange(10_000_000, 99_999_999)
                name = "%s %s %s" % (rnd.choice(FAMILY), rnd.choice(MIDDLE), rnd.choice(GIVEN))
                phones.append((phone, name))
            Lead._loan_capture(
                rnd.choice(sources),
                [
                    {
                        "name": name,
                        "phone": phone,
                        "consent_data": True,
                        "consent_marketing": rnd.random() < 0.7,
                        "touched_at": at,
                        "amount": rnd.choice((10, 20, 30, 50)) * 1_000_000,
                        "term": rnd.choice((12, 18, 24)),
                    }
                ],
            )
        captured = Lead.search([("campaign_id", "=", campaign.id)], order="id")
        # their history: first contacts within the deadline or not
        for lead in captured:
            lead.loan_sla_deadline = lead.loan_captured_at + timedelta(minutes=15)
            if rnd.random() < 0.8:
                contact = lead.loan_captured_at + timedelta(minutes=rnd.choice((4, 9, 12, 25, 50)))
                lead.write(
                    {
                        "loan_first_contact_at": contact,
                        "loan_sla_state": "met" if contact <= lead.loan_sla_deadline else "missed",
                    }
                )
            else:
                lead.loan_sla_state = "missed"
        # the best of them applied; most were funded; some pay, some do not
        contacted = captured.filtered("loan_first_contact_at")
        product = ref("loan_servicing.loan_product_cash_vnd_demo")
        demo = self.env["loan.origination.demo"]
        for number, lead in enumerate(contacted[:18]):
            lead.write(
                {
                    "loan_product_id": product.id,
                    "loan_amount": 20_000_000,
                    "loan_term": 12,
                    "loan_stated_income": 18_000_000,
                    "loan_birth_date": today - timedelta(days=365 * (25 + number % 15)),
                }
            )
            if lead.loan_prequal_state != "qualified":
                continue
            consultant = lead.user_id or ref("loan_base.user_consultant_demo")
            lead.with_user(consultant).action_loan_create_application()
            if number >= 14:
                continue  # still being appraised
            application = lead.loan_application_ids[:1]
            # appraised in the past: its documents and checks are history, not re-entered
            self.env.cr.execute(
                "UPDATE loan_application SET stage_id = %s WHERE id = %s",
                [ref("loan_origination.loan_application_stage_approval").id, application.id],
            )
            application.invalidate_recordset(["stage_id", "stage_kind", "is_decision"])
            contract = self.env["loan.contract"].browse(
                demo._loan_demo_fund(application.id, 130 - number * 2, "active")
            )
            self._loan_demo_history(contract, late=number % 4 == 3)
        return True

    @api.model
    def _loan_demo_history(self, contract, late):
        """Instalments paid on time (or not, for a late borrower) and the days past due at
        three months on book, as the end of day would have recorded them."""
        today = fields.Date.context_today(self)
        accountant = self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False)
        Receipt = self.env["loan.receipt"]
        if accountant and contract.company_id in accountant.company_ids:
            Receipt = Receipt.with_user(accountant).with_company(contract.company_id)
        due = contract.line_ids.filtered(lambda line: line.due_date < today).sorted("sequence")
        paid = due[:1] if late else due
        for line in paid:
            Receipt.create(
                {"contract_id": contract.id, "amount": line.instalment, "date": line.due_date}
            )._post()
        mob3 = contract.disbursed_date + timedelta(days=91)
        unpaid = (due - paid).filtered(lambda line: line.due_date <= mob3)
        dpd = (mob3 - unpaid[0].due_date).days if unpaid else 0
        self.env["loan.contract.dpd"].sudo().create(
            {"contract_id": contract.id, "date": mob3, "dpd": dpd}
        )
