"""privacy's models, one module per concept; each is imported here."""

from .base import PrivateManager, PrivateModel, PrivateQuerySet
from .datamap import DataMapInventory

__all__ = ["DataMapInventory", "PrivateManager", "PrivateModel", "PrivateQuerySet"]
