"""privacy's admin, one module per concept; each is imported here."""

from . import audit, consent, datamap, registers, retention, staff  # noqa: F401
from .encryption import BlindIndexSearchMixin, EncryptedModelAdmin

__all__ = ["BlindIndexSearchMixin", "EncryptedModelAdmin"]
