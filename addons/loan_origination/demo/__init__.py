from . import loan_origination_demo
