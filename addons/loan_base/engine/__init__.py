"""Pure-Python lending engine: money, day counts, identity, phones, contact policy, PII.

Nothing here imports Odoo, so every rule can be tested (and reused) without a database.
Modules raise :class:`~.exceptions.EngineError` with a machine ``code`` and ``params``; the
Odoo layer turns those into translated messages.
"""

from . import contact_policy, daycount, exceptions, identity, money, phone, pii
