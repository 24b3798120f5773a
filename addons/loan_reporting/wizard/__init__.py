from . import loan_classification_list
from . import loan_portfolio_rebuild
from . import loan_management_pack
