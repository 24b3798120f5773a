"""Pure-Python lending engine: money, day counts, identity, phones, contact policy, PII,
repayment schedules, effective rates, fees, payment allocation and early repayment.

Nothing here imports Odoo, so every rule can be tested (and reused) without a database.
Modules raise :class:`~.exceptions.EngineError` with a machine ``code`` and ``params``; the
Odoo layer turns those into translated messages.
"""

from . import exceptions, money, daycount
from . import identity, phone, contact_policy, pii
from . import schedule, rates, allocation, scorecard, amount_words
from . import fees, settlement
