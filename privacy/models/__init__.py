"""privacy's models, one module per concept; each is imported here."""

from .base import PrivateManager, PrivateModel, PrivateQuerySet

__all__ = ["PrivateManager", "PrivateModel", "PrivateQuerySet"]
