from odoo.tests import TransactionCase, new_test_user


class LoanBaseCommon(TransactionCase):
    """One user per lending role, a team, and a Vietnamese borrower created by an officer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.vn = cls.env.ref("base.vn")
        # a Vietnamese lender: numbers typed without a prefix are Vietnamese (without demo
        # data, account's generic chart gives the main company the United States)
        cls.company.country_id = cls.vn
        cls.policy_vn = cls.env.ref("loan_base.loan_contact_policy_vn")
        cls.officer = new_test_user(cls.env, "t_officer", "loan_base.group_loan_officer")
        cls.officer2 = new_test_user(cls.env, "t_officer2", "loan_base.group_loan_officer")
        cls.collector = new_test_user(cls.env, "t_collector", "loan_base.group_loan_collector")
        cls.teamlead = new_test_user(cls.env, "t_teamlead", "loan_base.group_loan_collection_lead")
        cls.compliance = new_test_user(
            cls.env,
            "t_compliance",
            "loan_base.group_loan_compliance,loan_base.group_loan_pii_reveal",
        )
        cls.lending_admin = new_test_user(cls.env, "t_ladmin", "loan_base.group_loan_admin")
        cls.internal = new_test_user(cls.env, "t_internal", "base.group_user")
        cls.team = cls.env["loan.team"].create(
            {
                "name": "Test collection team",
                "kind": "collection",
                "leader_id": cls.teamlead.id,
                "member_ids": [(6, 0, [cls.collector.id])],
            }
        )
        cls.borrower = (
            cls.env["res.partner"]
            .with_user(cls.officer)
            .create(
                {
                    "name": "Test Borrower Ngọc",
                    "loan_is_borrower": True,
                    "country_id": cls.vn.id,
                    "tz": "Asia/Ho_Chi_Minh",
                    "email": "t.borrower@example.com",
                    "loan_birth_date": "1995-03-14",
                    "loan_gender": "female",
                    "loan_id_type": "vn_cccd",
                    "loan_id_number": "079195000567",
                    "loan_bank_account": "0071 0001 23456",
                    "loan_team_id": cls.team.id,
                    "loan_phone_ids": [
                        (0, 0, {"number": "0901 111 567", "is_primary": True}),
                        (0, 0, {"number": "0283 812 9999", "phone_type": "home"}),
                    ],
                }
            )
        )
        cls.mobile = cls.borrower.loan_phone_ids.filtered("is_primary")
        cls.reference = cls.env["res.partner"].create(
            {
                "name": "Test Reference",
                "country_id": cls.vn.id,
                "tz": "Asia/Ho_Chi_Minh",
                "loan_phone_ids": [(0, 0, {"number": "0976111222", "is_primary": True})],
            }
        )
        cls.env["loan.related.person"].create(
            {"partner_id": cls.borrower.id, "person_id": cls.reference.id, "role": "reference"}
        )
