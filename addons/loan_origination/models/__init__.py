from . import loan_document_type
from . import loan_check_type
from . import loan_product
from . import loan_application_stage
from . import loan_application
from . import crm_lead
from . import loan_field_visit
