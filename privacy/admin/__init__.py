"""privacy's admin, one module per concept; each is imported here."""

from . import (
    audit,  # noqa: F401
    consent,  # noqa: F401
    datamap,  # noqa: F401
    requests,  # noqa: F401  (privacy-rights requests)
)
from .encryption import BlindIndexSearchMixin, EncryptedModelAdmin

__all__ = ["BlindIndexSearchMixin", "EncryptedModelAdmin"]
