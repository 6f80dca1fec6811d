"""Reading one CSV line into checked values, and the base of every kind of file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from members.models import Association, Dependant, Member
from members.text import hidden_characters, plain_text

from .. import rules
from ..models import (
    Plan,
)

MAX_KEPT_ERRORS = 1000
CARD_NUMBER = re.compile(r"^([A-Z]{2,8}-[0-9]{6,10})-([0-9]{2})$")
TRUE = {"1", "true", "yes", "oui", "vrai", "o", "y"}
FALSE = {"0", "false", "no", "non", "faux", "n", ""}


class LineError(Exception):
    """One line's problems, in plain words."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ImportReport:
    kind: str = ""
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""
    dry_run: bool = False
    applied: bool = False

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append((line, message))

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count


# --- Parsing helpers: each returns a value or appends a plain-words problem ---------


class Row:
    """One CSV line with helpers that collect every problem before giving up.

    A problem names the column by its number and header (``colonne 6
    (date_of_birth)``) and never repeats the value of a personal column: the
    report is printed and logged, and logs never hold personal data. Values of
    the kind's ``public_columns`` (an association's slug, a part) are quoted,
    to help find the typo.
    """

    def __init__(
        self,
        data: dict[str, str],
        line: int,
        *,
        positions: dict[str, int] | None = None,
        public: frozenset[str] | None = None,
    ):
        self.data = {k: (v or "").strip() for k, v in data.items() if k is not None}
        self.line = line
        self.positions = positions or {}
        # None: every column is public (plans, benefits); else only these are.
        self.public = public
        self.problems: list[str] = []

    def raw(self, name: str) -> str:
        return self.data.get(name, "")

    def where(self, name: str) -> str:
        return column(name, self.positions)

    def subject(self, name: str, value: str) -> str:
        """How a bad value is named: quoted if public, "la valeur" if personal."""
        if self.public is None or name in self.public:
            return f"« {value} »"
        return _("la valeur")

    def bad(self, name: str, message: str) -> None:
        self.problems.append(
            _("%(where)s : %(problem)s") % {"where": self.where(name), "problem": message}
        )

    def empty(self, name: str) -> None:
        self.bad(name, _("la colonne est vide"))

    def text(self, name: str, *, required: bool = True, max_length: int = 200) -> str:
        value = self.raw(name)
        if required and not value:
            self.empty(name)
        elif len(value) > max_length:
            self.bad(name, _("la valeur dépasse %(max)s caractères") % {"max": max_length})
        return value

    def name(self, name: str, *, required: bool = True, max_length: int = 100) -> str:
        """A person's name: invisible and control characters refused (they would be stored
        and shown on the proof card), the NFC form kept."""
        value = self.text(name, required=required, max_length=max_length)
        if hidden_characters(value):
            self.bad(
                name,
                _(
                    "la valeur contient un caractère invisible ou de contrôle (par exemple un "
                    "marqueur de sens du texte ou une espace sans largeur) : corrigez le fichier"
                ),
            )
        return plain_text(value)

    def date(self, name: str, *, required: bool = True) -> date | None:
        value = self.raw(name)
        if not value:
            if required:
                self.empty(name)
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.bad(
                name,
                _("%(subject)s n’est pas une date valide au format AAAA-MM-JJ")
                % {"subject": self.subject(name, value)},
            )
            return None

    def money(self, name: str, *, required: bool = True) -> Decimal | None:
        value = self.raw(name)
        if not value:
            if required:
                self.empty(name)
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = None
        if (
            amount is None
            or not amount.is_finite()
            or amount < 0
            or amount.as_tuple().exponent < -2
        ):
            self.bad(
                name,
                _("%(subject)s n’est pas un montant en dollars comme 85.00")
                % {"subject": self.subject(name, value)},
            )
            return None
        return amount

    def cents(self, name: str, *, required: bool = False) -> int | None:
        amount = self.money(name, required=required)
        return None if amount is None else rules.money_to_cents(amount)

    def percent(self, name: str, *, required: bool = True) -> Decimal | None:
        value = self.raw(name)
        if not value:
            if required:
                self.empty(name)
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not 0 <= number <= 100:
            self.bad(
                name,
                _("%(subject)s n’est pas un pourcentage entre 0 et 100")
                % {"subject": self.subject(name, value)},
            )
            return None
        return number.quantize(Decimal("0.01"))

    def integer(self, name: str, *, required: bool = True, low: int = 0, high: int = 10**6):
        value = self.raw(name)
        if not value:
            if required:
                self.empty(name)
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            self.bad(
                name,
                _("%(subject)s n’est pas un nombre entier entre %(low)s et %(high)s")
                % {"subject": self.subject(name, value), "low": low, "high": high},
            )
            return None
        return int(value)

    def boolean(self, name: str) -> bool:
        value = self.raw(name).lower()
        if value in TRUE:
            return True
        if value not in FALSE:
            self.bad(
                name,
                _("%(subject)s doit être oui ou non") % {"subject": self.subject(name, value)},
            )
        return False

    def choice(self, name: str, choices: list[str]) -> str:
        value = self.raw(name).lower()
        if value not in choices:
            self.bad(
                name,
                _("%(subject)s doit être l’une de ces valeurs : %(choices)s")
                % {"subject": self.subject(name, value), "choices": ", ".join(choices)},
            )
        return value

    def card_number(self, name: str = "card_number") -> tuple[str, int] | None:
        value = self.raw(name).upper()
        match = CARD_NUMBER.match(value)
        if not match:
            self.bad(
                name,
                _("%(subject)s n’est pas un numéro de carte comme ASEQ-123456-00")
                % {"subject": self.subject(name, value)},
            )
            return None
        return match.group(1), int(match.group(2))

    def done(self) -> None:
        if self.problems:
            raise LineError(self.problems)


def column(name: str, positions: dict[str, int]) -> str:
    """A column as people find it in a spreadsheet: its number and its header."""
    if name in positions:
        return _("colonne %(number)s (%(name)s)") % {"number": positions[name], "name": name}
    return _("colonne %(name)s") % {"name": name}


def _set(instance: Any, values: dict[str, Any]) -> list[str]:
    """Assign what differs; the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# --- Kinds -------------------------------------------------------------------


@dataclass
class Parsed:
    line: int
    values: dict[str, Any]


class Kind:
    name = ""
    columns: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    # Columns whose values may be quoted in a problem; None: all (no personal data).
    public_columns: frozenset[str] | None = None

    def __init__(self) -> None:
        self.plans: dict[tuple[str, int], Plan | None] = {}
        self.associations: dict[str, Association | None] = {}
        # Column numbers (1-based) by header, set when the header is read.
        self.positions: dict[str, int] = {}
        # The first line of the file that named each natural key: a key named twice is
        # reported by both line numbers, never written twice.
        self.first_line: dict[Any, int] = {}

    def row(self, data: dict[str, str], line: int) -> Row:
        return Row(data, line, positions=self.positions, public=self.public_columns)

    def where(self, name: str) -> str:
        return column(name, self.positions)

    def problem(self, name: str, message: str) -> str:
        return _("%(where)s : %(problem)s") % {"where": self.where(name), "problem": message}

    def repeated(self, key: Any, line: int, name: str) -> str | None:
        """The problem if ``key`` was already named on an earlier line of the file."""
        first = self.first_line.setdefault(key, line)
        if first == line:
            return None
        return self.problem(
            name,
            _(
                "la même personne ou le même enregistrement figure déjà à la ligne %(line)s; "
                "chacun ne figure qu’une fois par fichier"
            )
            % {"line": first},
        )

    def parse(self, row: Row) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, chunk: list[Parsed], report: ImportReport, *, write: bool) -> None:
        raise NotImplementedError

    # Small caches: there are a handful of associations and plans, never one per line.
    def association(self, slug: str) -> Association | None:
        if slug not in self.associations:
            self.associations[slug] = Association.objects.filter(slug=slug).first()
        return self.associations[slug]

    def plan(self, slug: str, year: int) -> Plan | None:
        return self._plan((slug, year), association__slug=slug, policy_year=year)

    def plan_of(self, association_id: int, year: int) -> Plan | None:
        """``plan()`` by association id (claims name the member, not the association)."""
        return self._plan((association_id, year), association_id=association_id, policy_year=year)

    def _plan(self, key: tuple, **lookup) -> Plan | None:
        if key not in self.plans:
            plan = Plan.objects.filter(**lookup).first()
            if plan is not None:
                plan.benefit_map = {b.key: b for b in plan.benefits.all()}
            self.plans[key] = plan
        return self.plans[key]

    @staticmethod
    def persons(
        chunk: list[Parsed], *, full: bool = False
    ) -> tuple[dict[str, Member], dict[tuple[str, int], Dependant]]:
        """Members and dependants named by the chunk's card numbers: two queries.

        Only ids are loaded unless ``full`` (the members kind compares every value).
        """
        numbers = {p.values["member_number"] for p in chunk}
        fields = (
            [f.name for f in Member._meta.concrete_fields]
            if full
            else ["id", "member_number", "association_id"]
        )
        dependant_fields = (
            [f.name for f in Dependant._meta.concrete_fields]
            if full
            else ["id", "suffix", "member"]
        )
        members = {
            m.member_number: m
            for m in Member.objects.filter(member_number__in=numbers).only(*fields)
        }
        dependants = {
            (d.member.member_number, d.suffix): d
            for d in Dependant.objects.filter(member__member_number__in=numbers)
            .select_related("member")
            .only(*dependant_fields, *(f"member__{f}" for f in fields))
        }
        return members, dependants
