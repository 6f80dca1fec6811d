"""What privacy/ itself holds about people, declared to the data map.

One module per concept; each is imported here.
"""

from . import (
    audit,  # noqa: F401
    consent,  # noqa: F401
    datamap,  # noqa: F401
    requests,  # noqa: F401
)
