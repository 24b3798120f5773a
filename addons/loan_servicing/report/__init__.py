from . import loan_receivable_report
