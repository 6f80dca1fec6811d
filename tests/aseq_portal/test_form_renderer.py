"""aseq_portal.form_renderer writes the same bytes as Django's own templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from aseq_portal.form_renderer import FormRenderer
from coverage.forms import EnrolmentForm, EstimateForm
from members.forms import ProfileForm


class Odd(forms.Form):
    """Every case the Python templates handle: escaping, booleans, groups, safe values."""

    text = forms.CharField(
        label='Nom <b> & "guillemets"',
        help_text="Aide",
        widget=forms.TextInput(attrs={"data-x": '<"&>', "disabled": True, "hidden": False}),
    )
    safe = forms.CharField(label=mark_safe("<em>sûr</em>"), initial=mark_safe("<i>x</i>"))
    number = forms.IntegerField(label="Nombre", min_value=1, max_value=9, initial=3)
    day = forms.DateField(label="Jour", widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(label="Secret", widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h&")
    agree = forms.BooleanField(label="J’accepte", required=False, initial=True)
    upload = forms.FileField(label="Fichier", required=False)
    grouped = forms.ChoiceField(
        label="Groupes",
        choices=[("", "—"), ("Un", [("a", "A <1>"), ("b", "B")]), ("c", "C")],
    )
    several = forms.MultipleChoiceField(label="Plusieurs", choices=[("x", "X"), ("y", "Y")])
    radio = forms.ChoiceField(
        label="Radio", choices=[("r", "R"), ("s", "S")], widget=forms.RadioSelect
    )


def rendered(form_class, renderer, **kwargs):
    form = form_class(renderer=renderer, **kwargs)
    form.is_valid() if form.is_bound else None
    parts = [str(form)]
    for field in form:
        parts += [field.as_field_group(), field.label_tag(), str(field), field.legend_tag()]
    return "\n".join(parts)


CASES = [
    (Odd, {}),
    (Odd, {"data": {"text": "<script>", "grouped": "b", "several": ["x", "y"], "radio": "s"}}),
    (Odd, {"data": {"grouped": "zz"}, "auto_id": False}),
    (ProfileForm, {}),
    (ProfileForm, {"data": {"email": "pas un courriel", "province": "QC", "phone": "x"}}),
    (EstimateForm, {}),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("form_class", "kwargs"), CASES)
def test_same_bytes_as_django_templates(form_class, kwargs, language):
    with translation.override(language):
        assert rendered(form_class, FormRenderer(), **kwargs) == rendered(
            form_class, DjangoTemplates(), **kwargs
        )


def test_enrolment_form_same_bytes():
    with translation.override("fr"):
        ours = EnrolmentForm({"part": "dental"}, renderer=FormRenderer())
        theirs = EnrolmentForm({"part": "dental"}, renderer=DjangoTemplates())
        ours.is_valid(), theirs.is_valid()
        for name in ours.fields:
            assert ours[name].as_field_group() == theirs[name].as_field_group()
