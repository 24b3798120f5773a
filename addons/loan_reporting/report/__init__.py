from . import report_loan_roll_rate
from . import report_loan_vintage
from . import report_classification_xlsx
from . import report_loan_subledger
from . import report_loan_finance
from . import report_management_pack_xlsx
from . import report_loan_origination
from . import report_loan_ticket
