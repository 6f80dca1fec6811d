"""Forms parse and explain; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .geo import POSTAL_CODE_RE, area_from_postal_code
from .models import Dependant, Member, Provider
from .models.records import LANGUAGE_CHOICES
from .selectors import association_list
from .text import PlainTextField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PROVINCES = [
    ("", _("—")),
    ("QC", _("Québec")),
    ("ON", _("Ontario")),
    ("NB", _("Nouveau-Brunswick")),
    ("NS", _("Nouvelle-Écosse")),
    ("PE", _("Île-du-Prince-Édouard")),
    ("NL", _("Terre-Neuve-et-Labrador")),
    ("MB", _("Manitoba")),
    ("SK", _("Saskatchewan")),
    ("AB", _("Alberta")),
    ("BC", _("Colombie-Britannique")),
    ("YT", _("Yukon")),
    ("NT", _("Territoires du Nord-Ouest")),
    ("NU", _("Nunavut")),
]

phone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{10,20}$",
    _("Entrez un numéro de téléphone d’au moins 10 chiffres, par exemple 514 555-0123."),
)


def postal_code_validator(value: str) -> None:
    match = POSTAL_CODE_RE.match(value.strip().upper())
    if not match or not match.group(2):
        raise ValidationError(
            _("Entrez un code postal canadien complet, par exemple H3B 1A1."), code="postal_code"
        )


class ClaimForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("École ou association étudiante"),
        queryset=association_list(),
        to_field_name="slug",
        empty_label=_("Choisissez…"),
    )
    student_number = forms.CharField(
        label=_("Numéro d’étudiant"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date de naissance"), widget=DATE_WIDGET, help_text=_("AAAA-MM-JJ")
    )


class LanguageRadioSelect(forms.RadioSelect):
    """Each language named in itself, marked as such (lang) for screen readers."""

    option_template_name = "members/widgets/language_option.html"


class ProfileForm(forms.Form):
    """What the member owns; initial values come from their record."""

    email = forms.EmailField(
        label=_("Courriel de contact"),
        required=False,
        help_text=_("Pour vous écrire au sujet du régime. L’adresse de connexion est distincte."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    address_line1 = PlainTextField(
        label=_("Adresse"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line2 = PlainTextField(
        label=_("Appartement, bureau (facultatif)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = PlainTextField(
        label=_("Ville"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    province = forms.ChoiceField(
        label=_("Province ou territoire"), choices=PROVINCES, required=False
    )
    postal_code = forms.CharField(
        label=_("Code postal"),
        required=False,
        max_length=7,
        validators=[postal_code_validator],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Langue de communication"), choices=LANGUAGE_CHOICES, widget=LanguageRadioSelect
    )
    updates_opt_in = forms.BooleanField(
        label=_("Je veux recevoir les mises à jour et nouvelles du régime par courriel."),
        required=False,
        help_text=_(
            "Facultatif. Les messages de service (par exemple au sujet de vos demandes ou de "
            "votre couverture) vous sont toujours envoyés."
        ),
    )

    @classmethod
    def for_member(cls, member: Member, data=None) -> "ProfileForm":
        initial = {name: getattr(member, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip().upper()
        if value and " " not in value:
            value = f"{value[:3]} {value[3:]}"
        return value

    def clean_phone(self) -> str:
        return " ".join(self.cleaned_data["phone"].split())


class DependantForm(forms.Form):
    """Add a dependant (with relationship) or correct a minor's details (without)."""

    relationship = forms.ChoiceField(
        label=_("Lien avec vous"), choices=Dependant.Relationship.choices, widget=forms.RadioSelect
    )
    first_name = PlainTextField(
        label=_("Prénom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = PlainTextField(
        label=_("Nom de famille"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date de naissance"), widget=DATE_WIDGET, help_text=_("AAAA-MM-JJ")
    )

    def __init__(self, *args, member: Member, dependant: Dependant | None = None, **kwargs):
        self.member = member
        self.dependant = dependant
        if dependant is not None:
            kwargs.setdefault(
                "initial",
                {
                    "first_name": dependant.first_name,
                    "last_name": dependant.last_name,
                    "date_of_birth": dependant.date_of_birth,
                },
            )
        super().__init__(*args, **kwargs)
        if dependant is not None:
            del self.fields["relationship"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        relationship = self.dependant.relationship if self.dependant else data["relationship"]
        others = [d for d in self.member.dependants.all() if d != self.dependant]
        try:
            rules.dependant_check(
                member=self.member,
                relationship=relationship,
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                others=others,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                for item in errors:
                    self.add_error(None if field == "__all__" else field, item)
        return data


class ProviderSearchForm(forms.Form):
    postal_code = forms.CharField(
        label=_("Code postal"),
        required=False,
        max_length=7,
        help_text=_("Par exemple H3B 1A1. Seuls les trois premiers caractères servent."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    kind = forms.ChoiceField(
        label=_("Type de soins"),
        required=False,
        choices=[("", _("Tous")), *Provider.Kind.choices],
    )
    # Filled by the browser's position when the member allows it (progressive enhancement).
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        postal_code = (data.get("postal_code") or "").strip()
        has_position = data.get("latitude") is not None and data.get("longitude") is not None
        if postal_code:
            area = area_from_postal_code(postal_code)
            if area is None:
                self.add_error(
                    "postal_code",
                    ValidationError(
                        _("Entrez un code postal canadien, par exemple H3B 1A1."),
                        code="postal_code",
                    ),
                )
            data["area"] = area
        elif not has_position:
            raise ValidationError(
                _("Entrez un code postal ou utilisez votre position."), code="no_location"
            )
        return data


class SignInUnlockForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse courriel de votre compte"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
