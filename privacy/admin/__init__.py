"""privacy's admin, one module per concept; each is imported here."""

from .encryption import BlindIndexSearchMixin, EncryptedModelAdmin

__all__ = ["BlindIndexSearchMixin", "EncryptedModelAdmin"]
