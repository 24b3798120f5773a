from . import loan_classification_list
from . import loan_portfolio_rebuild
