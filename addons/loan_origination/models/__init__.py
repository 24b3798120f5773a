from . import loan_document_type
from . import loan_product
