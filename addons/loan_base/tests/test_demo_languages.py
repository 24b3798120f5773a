from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoLanguages(TransactionCase):
    """The demo installs Vietnamese and Simplified Chinese and gives each demo user their
    language; the demo companies have their own address and language."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False):
            self.skipTest("no demo data")

    def test_languages_installed_and_given_to_the_staff(self):
        active = self.env["res.lang"].search([]).mapped("code")
        self.assertIn("vi_VN", active)
        self.assertIn("zh_CN", active)
        langs = {
            user.login: user.lang
            for user in self.env["res.users"].search(
                [("login", "in", ["accountant", "collector", "cn_consultant", "lendingadmin"])]
            )
        }
        self.assertEqual(
            langs,
            {
                "accountant": "vi_VN",
                "collector": "vi_VN",
                "cn_consultant": "zh_CN",
                "lendingadmin": "en_US",
            },
        )
        # Odoo's own Chinese translations are loaded for the Shenzhen staff
        menu = self.env.ref("base.menu_administration")
        self.assertNotEqual(
            menu.with_context(lang="zh_CN").name, menu.with_context(lang="en_US").name
        )

    def test_demo_companies_addresses(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.state_id, self.env.ref("base.state_vn_VN-SG"))
        self.assertEqual(company.partner_id.lang, "vi_VN")
        address = company.partner_id._display_address(without_company=True)
        self.assertIn("TP Hồ Chí Minh", address)
        self.assertNotIn("California", address)
        shenzhen = self.env.ref("loan_base.res_company_shenzhen_demo")
        self.assertEqual(shenzhen.state_id, self.env.ref("base.state_cn_GD"))
        self.assertEqual(shenzhen.partner_id.lang, "zh_CN")
