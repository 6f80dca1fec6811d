from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Part


def choice_options(form: forms.Form, name: str) -> list[tuple[str, str, bool, str]]:
    """A choice field's options as (value, label, chosen, id), for a hand-written widget.

    "Chosen" follows what the member last sent, else the initial value, as Django's
    widgets do; the ids are Django's (``id_<name>_<index>``).
    """
    current = form.data.get(name) if form.is_bound else form.initial.get(name)
    choices = cast(
        "list[tuple[object, object]]", cast(forms.ChoiceField, form.fields[name]).choices
    )
    return [
        (str(value), str(label), str(value) == current, f"id_{name}_{index}")
        for index, (value, label) in enumerate(choices)
    ]


class BenefitSearchForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    q = forms.CharField(
        label=_("Quel soin? (en français ou en anglais)"),
        max_length=80,
        required=False,
        help_text=_("Par exemple : physio, lunettes, dentiste, psychologist."),
    )


class MoneyField(forms.DecimalField):
    """Accepts "85,50", "85.50", "85,50 $" and "$85.50" alike."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace("$", "").replace(",", ".")
        return super().to_python(value)

    def validate(self, value):
        """Limits said as amounts in the reader's language ("0,01 $", not Django's "0.01")."""
        super().validate(value)
        from .templatetags.coverage_tags import format_money

        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                _("Entrez un montant d’au moins %(amount)s."),
                code="min_value",
                params={"amount": format_money(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                _("Entrez un montant d’au plus %(amount)s."),
                code="max_value",
                params={"amount": format_money(self.max_value)},
            )


class EstimateForm(forms.Form):
    benefit = forms.ChoiceField(label=_("Garantie"))
    person = forms.TypedChoiceField(label=_("Pour qui?"), coerce=str)
    on = forms.DateField(
        label=_("Date du soin"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cost = MoneyField(
        label=_("Coût du soin ($)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    in_network = forms.BooleanField(label=_("Fournisseur du réseau"), required=False)

    def __init__(self, *args, benefits=(), persons=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["benefit"].choices = [(b.key, b.name) for b in benefits]
        self.fields["person"].choices = [(str(p.id), p.full_name) for p in persons]
        self.fields["on"].initial = timezone.localdate()


class EnrolmentForm(forms.Form):
    COVERED = "covered"
    OPTED_OUT = "opted_out"

    person = forms.ChoiceField(label=_("Personne"))
    part = forms.ChoiceField(label=_("Volet"), choices=Part.choices)
    choice = forms.ChoiceField(
        label=_("Votre choix"),
        choices=[(COVERED, _("Être couvert")), (OPTED_OUT, _("Me retirer (ne pas être couvert)"))],
        widget=forms.RadioSelect,
    )
    proof = forms.FileField(
        label=_("Preuve d’autre couverture (PDF, JPEG ou PNG)"),
        required=False,
        help_text=_("Exigée pour vous retirer : par exemple la carte d’assurance d’un parent."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, persons=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(p.id), p.full_name) for p in persons]

    # The page writes its fields by hand (templates/coverage/enrolment.html): Django's
    # widget rendering (a template per select, option and radio) was a third of it.
    # Each is a list of (value, label, chosen, id) with what the member last sent.
    def _options(self, name: str) -> list[tuple[str, str, bool, str]]:
        return choice_options(self, name)

    @property
    def person_options(self):
        return self._options("person")

    @property
    def part_options(self):
        return self._options("part")

    @property
    def choice_options(self):
        return self._options("choice")
