from . import test_engine, test_gate, test_identity, test_pg_dump, test_pii, test_security, test_ui
from . import test_partner_outside_lending
from . import test_demo_languages
from . import test_public_actions
from . import test_gate_platform
