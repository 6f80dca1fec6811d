"""Extension points that apps built on members/ fill in (dependencies point one way).

coverage/ knows the plan and its change-of-coverage window; members/ only asks it
what a new dependant's coverage will be, to say so before the member confirms.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

# (member) -> an HTML notice, or "" when there is nothing to say.
_new_dependant_notices: list[Callable[..., SafeString | str]] = []


def new_dependant_notice_register(provider: Callable[..., SafeString | str]) -> None:
    if provider not in _new_dependant_notices:
        _new_dependant_notices.append(provider)


def new_dependant_notice(*, member) -> SafeString:
    """What coverage a person added now would have, as the registered apps word it."""
    # A provider's rendered template stays as it is; any plain text it returns is escaped.
    return format_html_join(
        "", "{}", ((provider(member=member),) for provider in _new_dependant_notices)
    )
