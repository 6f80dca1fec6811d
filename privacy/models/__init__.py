"""privacy's models, one module per concept; each is imported here."""

from .base import PrivateModel

__all__ = ["PrivateModel"]
