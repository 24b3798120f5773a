from . import loan_application_decide
