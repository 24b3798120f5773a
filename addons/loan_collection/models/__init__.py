from . import loan_collection_bucket
from . import loan_collection_queue
from . import loan_collection_case
from . import loan_promise
from . import loan_collection_activity
from . import loan_eod_run
