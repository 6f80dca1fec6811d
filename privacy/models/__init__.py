"""privacy's models, one module per concept; each is imported here."""

from . import requests  # noqa: F401  (privacy-rights requests)
from .base import PrivateManager, PrivateModel, PrivateQuerySet

__all__ = ["PrivateManager", "PrivateModel", "PrivateQuerySet"]
