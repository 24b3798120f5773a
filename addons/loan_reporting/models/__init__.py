from . import loan_classification
from . import account_account
from . import res_company
from . import loan_portfolio
from . import loan_eod
from . import loan_report_schedule
from . import loan_contract_line
