from . import loan_marketing_demo
