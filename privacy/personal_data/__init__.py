"""What privacy/ itself holds about people, declared to the data map.

One module per concept; each is imported here.
"""

from . import audit, consent, datamap, registers, retention, staff  # noqa: F401
