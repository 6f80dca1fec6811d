"""privacy's models, one module per concept; each is imported here."""

from . import requests  # noqa: F401  (privacy-rights requests)
from .audit import AuditChainHead, AuditCheckpoint, AuditEntry
from .base import PrivateManager, PrivateModel, PrivateQuerySet
from .consent import ConsentRecord, ConsentSource, PageCount
from .datamap import DataMapInventory, KeyRotationStatus
from .person_in_charge import PersonInCharge
from .policy import PolicyAcknowledgement, PolicyKind, PolicyVersion
from .registers import ConfidentialityIncident, Disclosure, Processor
from .retention import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine
from .staff import StaffDocument, StaffDocumentAcceptance

__all__ = [
    "AnonymisationRecord",
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEntry",
    "ConfidentialityIncident",
    "ConsentRecord",
    "ConsentSource",
    "DataMapInventory",
    "Disclosure",
    "KeyRotationStatus",
    "LegalHold",
    "PageCount",
    "PersonInCharge",
    "PolicyAcknowledgement",
    "PolicyKind",
    "PolicyVersion",
    "PrivateManager",
    "PrivateModel",
    "PrivateQuerySet",
    "Processor",
    "RetentionRun",
    "RetentionRunLine",
    "StaffDocument",
    "StaffDocumentAcceptance",
]
