from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.consent.cookies import CATEGORY_LABELS, OPTIONAL_CATEGORIES
from privacy.consent.models import ConsentSource


class ConsentAction:
    ACCEPT_ALL = "accept_all"
    REFUSE_ALL = "refuse_all"
    SAVE = "save"
    CHOICES = (
        (ACCEPT_ALL, _("Tout accepter")),
        (REFUSE_ALL, _("Tout refuser")),
        (SAVE, _("Enregistrer mes choix")),
    )


class ConsentForm(forms.Form):
    """The banner's and the privacy centre's form: one post changes every choice."""

    action = forms.ChoiceField(choices=ConsentAction.CHOICES)
    source = forms.ChoiceField(choices=ConsentSource.choices, initial=ConsentSource.CENTRE)
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Never pre-ticked: initial values come only from the visitor's own choice.
        for category in OPTIONAL_CATEGORIES:
            self.fields[category.value] = forms.BooleanField(
                label=CATEGORY_LABELS[category], required=False
            )

    def choices(self) -> dict[str, bool]:
        action = self.cleaned_data["action"]
        return {
            category.value: action == ConsentAction.ACCEPT_ALL
            or (action == ConsentAction.SAVE and self.cleaned_data[category.value])
            for category in OPTIONAL_CATEGORIES
        }


class PolicyAcknowledgeForm(forms.Form):
    versions = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, pending, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = {version.pk: version for version in pending}
        self.fields["versions"].choices = [(pk, str(v)) for pk, v in self.pending.items()]

    def versions_read(self):
        return [self.pending[pk] for pk in self.cleaned_data["versions"]]
