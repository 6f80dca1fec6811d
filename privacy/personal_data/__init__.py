"""What privacy/ itself holds about people, declared to the data map.

One module per concept; each is imported here.
"""

from . import (
    audit,  # noqa: F401
    registers,  # noqa: F401
    staff,  # noqa: F401
)
