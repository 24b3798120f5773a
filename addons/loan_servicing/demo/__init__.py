from . import loan_servicing_demo
