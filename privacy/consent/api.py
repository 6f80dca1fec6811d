"""What other apps may use of the consent layer: the categories, declaring a cookie,
the current choice, and a hook called when a category is withdrawn."""

from privacy.consent.cookies import ConsentCategory, cookie_declare
from privacy.consent.selectors import (
    consent_accounts_of,
    consent_allows,
    policy_current_versions_annotations,
)
from privacy.consent.services import on_withdrawal

__all__ = [
    "ConsentCategory",
    "consent_accounts_of",
    "consent_allows",
    "cookie_declare",
    "on_withdrawal",
    "policy_current_versions_annotations",
]
