from . import test_portfolio
from . import test_reporting_access
from . import test_readonly_routes
from . import test_ui
from . import test_subledger_demo
from . import test_report_schedule
from . import test_finance_reports
