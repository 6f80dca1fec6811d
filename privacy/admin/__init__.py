"""privacy's admin, one module per concept; each is imported here."""

from . import (  # noqa: F401
    audit,
    consent,
    datamap,
    registers,
    requests,
    retention,
    staff,
)
from .encryption import BlindIndexSearchMixin, EncryptedModelAdmin

__all__ = ["BlindIndexSearchMixin", "EncryptedModelAdmin"]
