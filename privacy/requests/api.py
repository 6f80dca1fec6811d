"""What other apps may use of privacy requests: a member's request activity, for their
activity page; and how their records read in a correction request and in the readable
export."""

from privacy.requests.correction_topics import (
    CHOICE,
    DATE,
    EMAIL,
    GROUP_CLAIM,
    GROUP_CONTACT,
    GROUP_ENROLMENT,
    GROUP_IDENTITY,
    ME,
    MONEY,
    TEL,
    TEXT,
    Topic,
    TopicField,
    correction_topics_register,
)
from privacy.requests.export_document import ExportPresentation, export_presentation_register
from privacy.requests.selectors import RequestActivity, privacy_request_activity

__all__ = [
    "CHOICE",
    "DATE",
    "EMAIL",
    "GROUP_CLAIM",
    "GROUP_CONTACT",
    "GROUP_ENROLMENT",
    "GROUP_IDENTITY",
    "ME",
    "MONEY",
    "TEL",
    "TEXT",
    "ExportPresentation",
    "RequestActivity",
    "Topic",
    "TopicField",
    "correction_topics_register",
    "export_presentation_register",
    "privacy_request_activity",
]
