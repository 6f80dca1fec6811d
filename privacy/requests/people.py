"""A request reference (DPR-2026-000123) designates the account that made the request:
legal holds are placed from it, never from a typed account id."""

from __future__ import annotations

from privacy.adminkit.people import people_directory
from privacy.requests.models import PrivacyRequest


def accounts_by_request_reference(term: str) -> set:
    if not term.upper().startswith("DPR-"):
        return set()
    return set(
        PrivacyRequest.objects.filter(reference__iexact=term).values_list("member_id", flat=True)
    )


people_directory(find=accounts_by_request_reference)
