from . import loan_marketing_report
