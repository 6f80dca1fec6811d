"""The admin's first screen: each staff role sees the panels it acts on.

Each app (and each privacy concern) contributes its panels for a role with
``dashboard_panel(role)``, next to the admin lists its figures link to, like
``privacy.roles.grant()`` for permissions: privacy imports no other app, and
the wiring layer (aseq_portal/urls.py) only puts ``dashboard_panels()`` on the
admin index. A figure is a count and the link to the list behind it (or a
state in words, such as the audit chain's): never a personal value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest

from privacy.roles import ROLES


@dataclass(frozen=True)
class Figure:
    label: str
    url: str
    count: int | None = None
    # A state in words, for figures that are not counts (a date, "verified").
    text: str = ""
    # "alert" draws the eye (overdue, a broken chain), "ok" reassures.
    tone: str = ""


@dataclass(frozen=True)
class Panel:
    title: str
    figures: list[Figure] = field(default_factory=list)
    note: str = ""


PanelBuilder = Callable[[HttpRequest], Panel | None]

# role -> [(order, builder)]
_PANELS: dict[str, list[tuple[int, PanelBuilder]]] = {role: [] for role in ROLES}


def dashboard_panel(role: str, *, order: int = 100) -> Callable[[PanelBuilder], PanelBuilder]:
    """Register ``builder(request) -> Panel | None`` on ``role``'s dashboard (lower order first)."""
    if role not in _PANELS:
        raise ValueError(f"Unknown staff role {role!r}; use one of {ROLES}")

    def register(builder: PanelBuilder) -> PanelBuilder:
        if all(existing is not builder for _order, existing in _PANELS[role]):
            _PANELS[role].append((order, builder))
        return builder

    return register


def roles_held(user) -> list[str]:
    """The roles whose panels ``user`` sees: those they hold; every one for a superuser."""
    if not getattr(user, "is_active", False) or not getattr(user, "is_staff", False):
        return []
    if user.is_superuser:
        return list(ROLES)
    held = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    return [role for role in ROLES if role in held]


def dashboard_panels(request: HttpRequest) -> list[Panel]:
    """The panels of every role the signed-in staff member holds, in order."""
    panels: list[Panel] = []
    for role in roles_held(request.user):
        for _order, builder in sorted(_PANELS[role], key=lambda item: item[0]):
            panel = builder(request)
            if panel is not None and panel.figures:
                panels.append(panel)
    return panels
