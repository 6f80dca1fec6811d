"""The lifecycle of a privacy request: every write goes through here.

submitted -> in review -> (waiting for the member) -> approved or refused
-> fulfilled -> closed. Each transition locks the request, checks where it
stands, writes a timeline event and an audit row in the same transaction, and
emails the member in their language once committed.

From every open status an answer stays reachable (Law 25 counts silence as a
refusal): an approved request whose application fails goes back to review
with the failing item named; an approved request may still be refused; and
any open request may be closed with reasons (withdrawn, a duplicate). The
hold placed at intake ends with the answer; a refusal, whole or partial,
holds for the recourse period instead.

The services live by concept; this module gathers them, so callers (views, admin,
tasks) import one name:

- ``lifecycle``: ``TRANSITIONS`` (the one source of the state machine, drawn in
  docs/privacy-requests.md) and what every transition shares;
- ``submission``: the member opens a request;
- ``triage``: staff assign, review, ask, decide, extend, reopen;
- ``fulfilment``: an accepted request carried out per kind, then closed;
- ``conversation``: the member's replies, staff messages, internal notes.
"""

# Callers that catch corrections.CorrectionError reach it through services.
from privacy.requests import corrections  # noqa: F401
from privacy.requests.conversation import (
    privacy_request_member_reply,
    privacy_request_message_send,
    privacy_request_note_add,
)
from privacy.requests.fulfilment import (
    CorrectionNotApplied,
    privacy_request_close,
    privacy_request_export_rebuild,
    privacy_request_export_sever,
    privacy_request_fulfil,
)
from privacy.requests.lifecycle import (
    ANSWERED_STATUSES,
    TRANSITIONS,
    TRIAGE_PERMISSION,
    PrivacyRequestError,
)
from privacy.requests.submission import (
    privacy_request_submit,
)
from privacy.requests.triage import (
    privacy_request_approve,
    privacy_request_ask_member,
    privacy_request_assign,
    privacy_request_close_with_reasons,
    privacy_request_correction_decide,
    privacy_request_extend,
    privacy_request_refuse,
    privacy_request_reopen,
    privacy_request_return_to_review,
    privacy_request_start_review,
    privacy_requests_assign,
)

__all__ = [
    "ANSWERED_STATUSES",
    "TRANSITIONS",
    "TRIAGE_PERMISSION",
    "CorrectionNotApplied",
    "PrivacyRequestError",
    "privacy_request_approve",
    "privacy_request_ask_member",
    "privacy_request_assign",
    "privacy_request_close",
    "privacy_request_close_with_reasons",
    "privacy_request_correction_decide",
    "privacy_request_export_rebuild",
    "privacy_request_export_sever",
    "privacy_request_extend",
    "privacy_request_fulfil",
    "privacy_request_member_reply",
    "privacy_request_message_send",
    "privacy_request_note_add",
    "privacy_request_refuse",
    "privacy_request_reopen",
    "privacy_request_return_to_review",
    "privacy_request_start_review",
    "privacy_request_submit",
    "privacy_requests_assign",
]
