"""privacy's models, one module per concept; each is imported here."""

from .base import PrivateModel
from .retention import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine

__all__ = [
    "AnonymisationRecord",
    "LegalHold",
    "PrivateModel",
    "RetentionRun",
    "RetentionRunLine",
]
