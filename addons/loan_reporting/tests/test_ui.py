from odoo import fields
from odoo.tests import HttpCase, tagged

from .dashboard_requests import dashboard_requests


@tagged("post_install", "-at_install")
class TestReportingUi(HttpCase):
    """The Lending Manager reads the portfolio of a month and downloads the month-end
    classification list, in the browser, on demo data."""

    def test_manager_filters_a_month_and_downloads_the_list(self):
        manager = self.env.ref("loan_base.user_manager_demo", raise_if_not_found=False)
        if not manager:
            self.skipTest("the demo users are installed with demo data only")
        Snapshot = self.env["loan.portfolio.snapshot"].with_user(manager)
        self.assertTrue(Snapshot.search_count([]), "the demo has month-end snapshots")
        self.start_tour(
            "/odoo/action-loan_reporting.loan_portfolio_daily_action",
            "loan_reporting_manager_tour",
            login="manager",
        )

    def _list_tour(self, login, action, model):
        user = self.env.ref("loan_base.user_%s_demo" % login, raise_if_not_found=False)
        if not user:
            self.skipTest("the demo users are installed with demo data only")
        self.assertTrue(self.env[model].with_user(user).search_count([]), model)
        self.start_tour(
            "/odoo/action-loan_reporting.%s" % action,
            "loan_reporting_month_end_list_tour",
            login=login,
        )

    def test_collection_lead_lists_collection_efficiency(self):
        """The collection team lead reads collection efficiency per month in its list."""
        self._list_tour(
            "teamlead",
            "report_loan_collection_efficiency_action",
            "report.loan.collection.efficiency",
        )

    def test_accountant_lists_roll_rates(self):
        """The accountant reads the roll rates of every team in their list."""
        self._list_tour("accountant", "report_loan_roll_rate_action", "report.loan.roll.rate")

    def test_accountant_lists_money_received_and_revenue_by_day(self):
        """The accountant reads Finance by Day, which the end of day writes, in its list."""
        self._list_tour(
            "accountant", "report_loan_finance_daily_action", "report.loan.finance.daily"
        )

    def test_accountant_loads_the_finance_dashboard(self):
        """The accountant opens the Finance dashboard: money received and revenue by month
        (from Finance by Day), disbursements and expected cash-in, each with figures."""
        accountant = self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False)
        if not accountant:
            self.skipTest("the demo users are installed with demo data only")
        self._assert_loads(
            accountant,
            "loan_reporting.spreadsheet_dashboard_lending_finance",
            charts=4,
            requests=4,
        )

    def test_manager_opens_the_lending_dashboards(self):
        """The issue's tour: the manager opens the management dashboard, keeps one month
        with the period filter, then downloads the management pack."""
        manager = self.env.ref("loan_base.user_manager_demo", raise_if_not_found=False)
        if not manager:
            self.skipTest("the demo users are installed with demo data only")
        Dashboard = self.env["spreadsheet.dashboard"].with_user(manager)
        mine = Dashboard.search([("dashboard_group_id.name", "=", "Lending")])
        # a manager holds every lending role: all six dashboards
        self.assertEqual(len(mine), 6)
        self.assertTrue(
            self.env["loan.portfolio.daily"]
            .with_user(manager)
            .search_count([("is_month_end", "=", True)]),
            "the demo has month ends to show",
        )
        # a favourite opens first
        self.env.ref("loan_reporting.spreadsheet_dashboard_lending_management").with_user(
            manager
        ).action_toggle_favorite()
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "loan_reporting_dashboard_tour",
            login="manager",
        )

    def _assert_loads(self, user, xmlid, charts=1, requests=5):
        """``user`` sees the dashboard ``xmlid`` and every chart and pivot of it (at least
        ``requests``) loads with their rights (the requests the web client makes), at
        least ``charts`` of them with figures; in the browser, it opens without an error."""
        dashboard = self.env.ref(xmlid)
        visible = self.env["spreadsheet.dashboard"].with_user(user).search([])
        self.assertIn(dashboard, visible)
        dashboard = dashboard.with_user(user)
        self.assertTrue(dashboard._get_serialized_readonly_dashboard())
        minimum = requests
        requests = dashboard_requests(dashboard, fields.Date.context_today(dashboard))
        self.assertGreaterEqual(len(requests), minimum)
        filled = 0
        for label, model, method, args, kwargs in requests:
            with self.subTest(chart=label):
                result = getattr(dashboard.env[model], method)(*args, **kwargs)
                if method == "formatted_read_grouping_sets":
                    result = result[-1]
                filled += bool(result)
        self.assertGreaterEqual(filled, charts, "the demo gives the dashboard figures to show")
        # a favourite opens first
        dashboard.action_toggle_favorite()
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "loan_reporting_dashboard_open_tour",
            login=user.login,
        )
        return visible

    def test_marketing_user_loads_the_marketing_dashboard(self):
        marketer = self.env.ref("loan_marketing.user_marketing_demo", raise_if_not_found=False)
        if not marketer:
            self.skipTest("the demo users are installed with demo data only")
        visible = self._assert_loads(
            marketer, "loan_reporting.spreadsheet_dashboard_lending_marketing"
        )
        # and none of the portfolio's dashboards, whose models marketing may not read
        self.assertNotIn(
            self.env.ref("loan_reporting.spreadsheet_dashboard_lending_management"), visible
        )
        self.assertNotIn(
            self.env.ref("loan_reporting.spreadsheet_dashboard_lending_compliance"), visible
        )

    def test_compliance_officer_loads_the_compliance_dashboard(self):
        officer = self.env.ref("loan_base.user_compliance_demo", raise_if_not_found=False)
        if not officer:
            self.skipTest("the demo users are installed with demo data only")
        visible = self._assert_loads(
            officer, "loan_reporting.spreadsheet_dashboard_lending_compliance"
        )
        self.assertNotIn(
            self.env.ref("loan_reporting.spreadsheet_dashboard_lending_marketing"), visible
        )
