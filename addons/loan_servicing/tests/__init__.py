from . import test_product
from . import test_contract
from . import test_disbursement
from . import test_receipt
from . import test_eod
from . import test_concurrency
from . import test_voucher
from . import test_amounts_and_names
