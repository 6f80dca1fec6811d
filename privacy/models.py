"""privacy's models, for Django: each concern defines its own (``<concern>/models.py``);
this module imports them so the app registry finds them under the ``privacy`` label."""

from privacy.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from privacy.consent.models import ConsentRecord, ConsentSource, PageCount
from privacy.consent.policy_models import PolicyAcknowledgement, PolicyKind, PolicyVersion
from privacy.datamap.models import DataMapInventory
from privacy.keystore.models import DataKey
from privacy.private_model import PrivateManager, PrivateModel, PrivateQuerySet
from privacy.registers.models import ConfidentialityIncident, Disclosure, Processor
from privacy.registers.person_in_charge import PersonInCharge
from privacy.requests import models as requests_models  # noqa: F401
from privacy.retention.models import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine
from privacy.rotation.models import KeyCensus, KeyRotationStatus
from privacy.staff.models import StaffDocument, StaffDocumentAcceptance

__all__ = [
    "AnonymisationRecord",
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEntry",
    "ConfidentialityIncident",
    "ConsentRecord",
    "ConsentSource",
    "DataKey",
    "DataMapInventory",
    "Disclosure",
    "KeyCensus",
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
