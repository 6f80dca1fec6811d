"""The coverage summary's content, kept rendered while nothing it shows changes.

Rendering the balances is most of the page's cost, and students come back to
it often (deadline day above all). The rendered content is kept in the cache
with the digest of everything it was computed from
(``selectors.coverage_summary_fingerprint``): when the digest still matches,
the page shows it again instead of decrypting the claims, computing the
balances and rendering them. The content names the member and their health
claims, so it is kept sealed (``privacy.sealed_cache``), for an hour at most,
and forgotten when the member record is deleted.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from members.models import Member
from privacy.sealed_cache import sealed_cache_delete, sealed_cache_get, sealed_cache_set

from . import selectors

KEEP_SECONDS = 3600
_SEPARATOR = b"\n"


def _key(member_id: object, language: str) -> str:
    return f"coverage:summary:{member_id}:{language}"


def summary_content(*, member: Member, on: date | None = None) -> SafeString:
    """The summary's content (HTML) for ``member`` in the active language."""
    on = on or timezone.localdate()
    key = _key(member.pk, translation.get_language())
    fingerprint = selectors.coverage_summary_fingerprint(member=member, on=on).encode()
    kept = sealed_cache_get(key)
    if kept is not None and kept.startswith(fingerprint + _SEPARATOR):
        # Our own rendering, escaped by the template engine when it was made; the
        # seal (AES-GCM, bound to this key) proves nobody changed it since.
        return mark_safe(kept[len(fingerprint) + 1 :].decode())  # noqa: S308  # nosec B308 B703
    content = render_to_string(  # SafeString: escaped by the template engine
        "coverage/_summary_content.html",
        {"summary": selectors.coverage_summary(member=member, on=on)},
    )
    sealed_cache_set(key, fingerprint + _SEPARATOR + content.encode(), timeout=KEEP_SECONDS)
    return content


def forget_summaries(*, member_id: object) -> None:
    """Drop the member's kept summaries (every language) at once."""
    sealed_cache_delete(*(_key(member_id, code) for code, _name in settings.LANGUAGES))


def member_deleted(sender, instance: Member, **kwargs) -> None:
    forget_summaries(member_id=instance.pk)
