from . import test_collection_case
from . import test_next_case_concurrency
from . import test_collection_work
from . import test_contact_dialog
from . import test_ui
from . import test_collection_access
from . import test_chatter_access
from . import test_borrower_360
