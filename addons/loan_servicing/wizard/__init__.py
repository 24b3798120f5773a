from . import loan_calculator
