"""What privacy/ itself holds about people, declared to the data map.

One module per concept; each is imported here.
"""

from . import (  # noqa: F401
    audit,
    consent,
    datamap,
    registers,
    requests,
    retention,
    staff,
)
