"""What a person recognises when asking for a correction: whose, what, which field.

privacy knows no model of ours by name: the apps that hold the records register a
provider (``correction_topics_register``) that turns a member's rows into *topics*
("Your identity", "Claim of 12 March 2026 — Dental care", "Health enrolment
2026-2027") whose fields are named in plain words, with their current value as the
portal shows it and the kind of input that fits. A declared model no provider
handles still gets a plain topic per row, from the data map alone.

A field is named, as before, by its token ``model_label|object_id|field``: the
corrections service API is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from privacy.datamap.registry import declaration_for
from privacy.dates import date_text, datetime_text

ME = "me"

# The kinds of input a field gets, and how its stored value reads.
TEXT, DATE, MONEY, CHOICE, EMAIL, TEL = "text", "date", "money", "choice", "email", "tel"

GROUP_IDENTITY = "identity"
GROUP_CONTACT = "contact"
GROUP_CLAIM = "claim"
GROUP_ENROLMENT = "enrolment"
GROUP_OTHER = "other"

GROUP_LABELS = {
    GROUP_IDENTITY: gettext_lazy("Identité"),
    GROUP_CONTACT: gettext_lazy("Coordonnées"),
    GROUP_CLAIM: gettext_lazy("Demandes de règlement"),
    GROUP_ENROLMENT: gettext_lazy("Adhésion"),
    GROUP_OTHER: gettext_lazy("Autres renseignements"),
}

NBSP = " "


@dataclass(frozen=True)
class TopicField:
    name: str
    label: str
    kind: str = TEXT
    # The stored value, and how the portal shows it.
    value: object = None
    choices: tuple[tuple[str, str], ...] = ()
    help_text: str = ""

    @property
    def current(self) -> str:
        return value_display(self.value, kind=self.kind, choices=self.choices)


@dataclass(frozen=True)
class Topic:
    """One record of one person, as the member knows it."""

    person_key: str
    person_label: str
    group: str
    label: str
    model_label: str
    object_id: str
    fields: tuple[TopicField, ...] = field(default_factory=tuple)
    hint: str = ""

    @property
    def key(self) -> str:
        """Opaque in URLs and forms: no database id leaves the server."""
        return salted_hmac(
            "privacy.correction_topic", f"{self.model_label}|{self.object_id}|{self.group}"
        ).hexdigest()[:20]

    def token(self, field_name: str) -> str:
        return f"{self.model_label}|{self.object_id}|{field_name}"

    def field(self, name: str) -> TopicField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Provider:
    models: frozenset[str]
    topics: Callable[..., list[Topic]]


_providers: list[Provider] = []


def correction_topics_register(*, models: Iterable[str], topics: Callable[..., list[Topic]]):
    """An app says how its records read to people (called from AppConfig.ready())."""
    provider = Provider(models=frozenset(models), topics=topics)
    if all(p.topics is not topics for p in _providers):
        _providers.append(provider)


# --- Values as the portal shows them ----------------------------------------


def money_display(cents: int | None, language: str | None = None) -> str:
    """fr: "1 200,00 $", en: "$1,200.00", from cents."""
    if cents is None or cents == "":
        return ""
    amount = Decimal(int(cents)) / 100
    sign = "-" if amount < 0 else ""
    whole, decimals = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    if (language or get_language() or "fr")[:2] == "en":
        return f"{sign}${','.join(groups)}.{decimals}"
    return f"{sign}{NBSP.join(groups)},{decimals}{NBSP}$"


def date_display(value) -> str:
    if isinstance(value, str) and value:
        try:
            value = (
                date.fromisoformat(value[:10])
                if len(value) <= 10
                else datetime.fromisoformat(value)
            )
        except ValueError:
            return value
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return date_text(value)
    return ""


def value_display(value, *, kind: str = TEXT, choices: Iterable[tuple[str, str]] = ()) -> str:
    """A stored value (or its text, as kept on a correction item) in the portal's words."""
    if value is None or value == "":
        return "—"
    if kind == MONEY:
        try:
            return money_display(int(value))
        except (TypeError, ValueError):
            return str(value)
    if kind == DATE:
        return date_display(value) or str(value)
    if kind == CHOICE:
        labels = {str(k): str(v) for k, v in choices}
        return labels.get(str(value), str(value))
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    return str(value)


# --- Reading what a member typed -------------------------------------------


class ProposalError(ValueError):
    pass


def money_parse(text: str) -> int:
    """ "85", "85,50", "85.50 $", "$1,200.00", "1 200,00" -> cents."""
    raw = re.sub(r"[\s \u202f$]", "", text or "")
    if not raw:
        raise ProposalError(_("Entrez un montant, par exemple 85,50."))
    if "," in raw and "." in raw:
        # The later separator is the decimal one; the other groups thousands.
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal_sep == "," else ",", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", raw) else raw.replace(",", "")
    try:
        amount = Decimal(raw)
    except InvalidOperation as error:
        raise ProposalError(_("Entrez un montant, par exemple 85,50.")) from error
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ProposalError(_("Entrez un montant positif, au cent près."))
    return int(amount * 100)


def proposal_to_stored(topic_field: TopicField, text: str) -> str:
    """What the member typed, as the text the corrections service stores and applies."""
    text = (text or "").strip()
    if topic_field.kind == MONEY:
        return str(money_parse(text))
    if topic_field.kind == CHOICE:
        if text not in {str(k) for k, _label in topic_field.choices}:
            raise ProposalError(_("Choisissez une des valeurs proposées."))
        return text
    if topic_field.kind == DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        for fmt in ("%d/%m/%Y", "%d-%m-%Y"):
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise ProposalError(_("Entrez une date complète, par exemple 2002-04-12."))
    if not text:
        raise ProposalError(_("Entrez la valeur exacte."))
    return text


# --- Topics of a member ----------------------------------------------------


def _kind_of(model_field: models.Field) -> tuple[str, tuple[tuple[str, str], ...]]:
    if model_field.choices:
        return CHOICE, tuple((str(k), str(v)) for k, v in model_field.flatchoices)
    if isinstance(model_field, models.DateTimeField):
        return TEXT, ()
    if isinstance(model_field, models.DateField):
        return DATE, ()
    if isinstance(model_field, models.EmailField):
        return EMAIL, ()
    return TEXT, ()


def _generic_topics(*, user, handled: set[str]) -> list[Topic]:
    """Models no provider handles: one plain topic per row, from the data map."""
    from privacy.requests.corrections import correctable_fields

    grouped: dict[tuple[str, str], list] = {}
    for item in correctable_fields(user=user):
        if item.model_label in handled:
            continue
        grouped.setdefault((item.model_label, item.object_id), []).append(item)
    topics = []
    for (model_label, object_id), items in grouped.items():
        declaration = declaration_for(model_label)
        model = declaration.model
        row = model._default_manager.filter(pk=object_id).first()
        topic_fields = []
        for item in items:
            model_field = model._meta.get_field(item.field_name)
            kind, choices = _kind_of(model_field)
            topic_fields.append(
                TopicField(
                    name=item.field_name,
                    label=str(model_field.verbose_name).capitalize(),
                    kind=kind,
                    value=getattr(row, item.field_name, None),
                    choices=choices,
                )
            )
        topics.append(
            Topic(
                person_key=ME,
                person_label="",
                group=GROUP_OTHER,
                label=items[0].section,
                model_label=model_label,
                object_id=object_id,
                fields=tuple(topic_fields),
            )
        )
    return topics


def correction_topics(*, user) -> list[Topic]:
    """Every record of the member they may ask to correct, in the providers' order."""
    topics: list[Topic] = []
    handled: set[str] = set()
    for provider in _providers:
        topics.extend(provider.topics(user=user))
        handled |= provider.models
    topics.extend(_generic_topics(user=user, handled=handled))
    return [t for t in topics if t.fields or t.hint]


@dataclass(frozen=True)
class Person:
    key: str
    label: str


def topic_persons(topics: Iterable[Topic]) -> list[Person]:
    seen: dict[str, Person] = {}
    for topic in topics:
        seen.setdefault(topic.person_key, Person(topic.person_key, topic.person_label))
    persons = list(seen.values())
    persons.sort(key=lambda p: p.key != ME)
    return persons


def topic_for_token(topics: Iterable[Topic], token: str) -> tuple[Topic, TopicField] | None:
    model_label, _sep, rest = token.partition("|")
    object_id, _sep, name = rest.partition("|")
    for topic in topics:
        if topic.model_label == model_label and topic.object_id == object_id:
            topic_field = topic.field(name)
            if topic_field is not None:
                return topic, topic_field
    return None
