from . import test_collection_case
from . import test_next_case_concurrency
from . import test_collection_work
from . import test_ui
