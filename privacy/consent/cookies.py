"""Consent categories, and the registry of every cookie the portal can set.

Each cookie is declared once: name, category, purpose and lifetime. The
middleware lets through only the cookies whose category the visitor allowed
(essential ones always); a cookie nobody declared never reaches a browser.
Another app declares its own cookies with ``cookie_declare`` from its
``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.consent.app_settings import app_settings


class ConsentCategory(StrEnum):
    ESSENTIAL = "essential"
    PREFERENCES = "preferences"
    ANALYTICS = "analytics"
    LOCATION = "location"


# The categories a visitor chooses; essential is never a choice.
OPTIONAL_CATEGORIES: tuple[ConsentCategory, ...] = (
    ConsentCategory.PREFERENCES,
    ConsentCategory.ANALYTICS,
    ConsentCategory.LOCATION,
)
# What a Sec-GPC: 1 request refuses.
GPC_REFUSES: frozenset[ConsentCategory] = frozenset(
    {ConsentCategory.PREFERENCES, ConsentCategory.ANALYTICS}
)


def gpc_refuses(category: str, *, gpc: bool) -> bool:
    """Global Privacy Control: the signal refuses this category whatever was chosen."""
    return gpc and category in GPC_REFUSES


CATEGORY_LABELS = {
    ConsentCategory.ESSENTIAL: _("Essentiels"),
    ConsentCategory.PREFERENCES: _("Préférences"),
    ConsentCategory.ANALYTICS: _("Mesure d’audience"),
    ConsentCategory.LOCATION: _("Localisation"),
}
CATEGORY_DESCRIPTIONS = {
    ConsentCategory.ESSENTIAL: _(
        "Nécessaires à ce que vous demandez : garder votre session ouverte une fois connecté, "
        "protéger les formulaires et retenir vos choix. Ils ne peuvent pas être refusés."
    ),
    ConsentCategory.PREFERENCES: _("Retenir vos réglages d’affichage d’une visite à l’autre."),
    ConsentCategory.ANALYTICS: _(
        "Compter les pages consultées, seulement en totaux par page et par jour : aucun profil "
        "individuel, aucun témoin de plus."
    ),
    ConsentCategory.LOCATION: _(
        "Permettre au site de demander la position de votre appareil pour trouver des "
        "professionnels à proximité. Votre position n’est jamais partagée."
    ),
}


def _days(seconds: int) -> str:
    days = max(1, round(seconds / 86400))
    return ngettext("%(days)d jour", "%(days)d jours", days) % {"days": days}


def _until_browser_closes() -> str:
    return str(_("jusqu’à la fermeture du navigateur"))


@dataclass(frozen=True)
class CookieDeclaration:
    """One cookie. ``name`` and ``lifetime`` may be callables read at use (settings vary)."""

    key: str
    name_source: str | Callable[[], str]
    category: ConsentCategory
    purpose: str | Promise
    lifetime_source: str | Promise | Callable[[], str]

    @property
    def name(self) -> str:
        source = self.name_source
        return source() if callable(source) else source

    @property
    def lifetime(self) -> str:
        source = self.lifetime_source
        return source() if callable(source) else str(source)

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS[self.category])


_registry: dict[str, CookieDeclaration] = {}


def cookie_declare(
    key: str,
    *,
    name: str | Callable[[], str],
    category: ConsentCategory,
    purpose: str | Promise,
    lifetime: str | Promise | Callable[[], str],
) -> CookieDeclaration:
    """Declare a cookie the portal can set; ``key`` identifies the declaration."""
    declaration = CookieDeclaration(key, name, ConsentCategory(category), purpose, lifetime)
    _registry[key] = declaration
    return declaration


def cookie_undeclare(key: str) -> None:
    _registry.pop(key, None)


def cookie_declarations() -> Iterator[CookieDeclaration]:
    order = {category: index for index, category in enumerate(ConsentCategory)}
    return iter(sorted(_registry.values(), key=lambda d: (order[d.category], d.name)))


def cookie_category(name: str) -> ConsentCategory | None:
    """The category of a cookie by its name; None when no declaration names it."""
    for declaration in _registry.values():
        if declaration.name == name:
            return declaration.category
    return None


# --- What the portal itself sets -------------------------------------------------
cookie_declare(
    "session",
    name=lambda: settings.SESSION_COOKIE_NAME,
    category=ConsentCategory.ESSENTIAL,
    purpose=_(
        "Garder votre session ouverte une fois connecté. Aucun n’est déposé tant que vous ne "
        "vous connectez pas."
    ),
    lifetime=lambda: (
        _until_browser_closes()
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else _days(settings.SESSION_COOKIE_AGE)
    ),
)
cookie_declare(
    "csrf",
    name=lambda: settings.CSRF_COOKIE_NAME,
    category=ConsentCategory.ESSENTIAL,
    purpose=_(
        "Protéger les formulaires (connexion, création de compte, mot de passe) contre les "
        "requêtes falsifiées. Déposé seulement par les pages de ces formulaires."
    ),
    lifetime=lambda: (
        _until_browser_closes()
        if settings.CSRF_COOKIE_AGE is None
        else _days(settings.CSRF_COOKIE_AGE)
    ),
)
cookie_declare(
    "messages",
    # django.contrib.messages' cookie storage has no setting for its name.
    name="messages",
    category=ConsentCategory.ESSENTIAL,
    purpose=_(
        "Afficher un message de confirmation sur la page suivante (par exemple « Vous êtes "
        "connecté »); effacé dès qu’il est lu."
    ),
    lifetime=_until_browser_closes,
)
cookie_declare(
    "consent",
    name=lambda: app_settings.COOKIE_NAME,
    category=ConsentCategory.ESSENTIAL,
    purpose=_(
        "Retenir vos choix de témoins : identifiant de consentement, version des politiques et "
        "catégories acceptées. Déposé seulement quand vous faites un choix."
    ),
    lifetime=lambda: _days(app_settings.COOKIE_AGE),
)
