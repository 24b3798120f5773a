from . import loan_calculator
from . import loan_application_decide
