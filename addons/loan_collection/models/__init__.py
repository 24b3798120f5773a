from . import loan_collection_bucket
from . import loan_collection_queue
from . import loan_collection_case
from . import loan_promise
from . import loan_collection_activity
from . import loan_eod_run
from . import loan_fraud_referral
from . import loan_hardship
