"""Member forms: they parse and validate; services do the work."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.translation import gettext_lazy as _

from privacy.requests import corrections
from privacy.requests.app_settings import app_settings

DETAILS_MAX = 4000
# Fields named in one correction request: also the hard bound on forms built from a post.
CORRECTION_ITEMS_MAX = 10


class AccessRequestForm(forms.Form):
    details = forms.CharField(
        label=_("Précisions (facultatif)"),
        help_text=_(
            "Par exemple, une période ou un type de renseignements qui vous intéresse. "
            "Vous recevrez dans tous les cas l’ensemble de vos renseignements."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DETAILS_MAX,
        required=False,
    )


class DeletionRequestForm(forms.Form):
    details = forms.CharField(
        label=_("Précisions (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DETAILS_MAX,
        required=False,
    )
    confirm = forms.BooleanField(
        label=_(
            "J’ai lu ce qui sera supprimé et ce qui doit être conservé, et je comprends que "
            "mon compte sera fermé."
        ),
        required=True,
        error_messages={"required": _("Cochez la case pour confirmer votre demande.")},
    )


class CorrectionItemForm(forms.Form):
    field = forms.ChoiceField(label=_("Renseignement à corriger"), required=False)
    proposed = forms.CharField(
        label=_("Valeur exacte"),
        help_text=_("Pour une date : AAAA-MM-JJ."),
        max_length=500,
        required=False,
    )

    def __init__(self, *args, choices=(), member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["field"].choices = [("", _("— Choisir —")), *choices]

    def clean(self):
        data = super().clean()
        token, proposed = data.get("field"), data.get("proposed", "")
        if not token:
            if proposed:
                self.add_error("field", _("Choisissez le renseignement à corriger."))
            return data
        model_label, object_id, field_name = token.split("|", 2)
        try:
            corrections.proposed_clean(
                user=self.member,
                model_label=model_label,
                object_id=object_id,
                field_name=field_name,
                proposed=proposed,
            )
        except corrections.CorrectionError as error:
            self.add_error("proposed", error.messages)
        return data


class BaseCorrectionItemFormSet(forms.BaseFormSet):
    def management_tampered(self) -> bool:
        """Counts our page never sends (absurd, negative, past the bound): refuse at once.

        Django would otherwise build and render up to ``absolute_max`` forms, or show
        the member an error naming hidden fields.
        """
        management = self.management_form
        if not management.is_valid():
            return True
        total = management.cleaned_data[TOTAL_FORM_COUNT]
        return not 0 <= total <= self.absolute_max or management.cleaned_data[
            INITIAL_FORM_COUNT
        ] not in (0, None)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        tokens = [f.cleaned_data.get("field") for f in self.forms if f.cleaned_data.get("field")]
        if not tokens:
            raise forms.ValidationError(_("Nommez au moins un renseignement à corriger."))
        if len(tokens) != len(set(tokens)):
            raise forms.ValidationError(_("Chaque renseignement ne peut être nommé qu’une fois."))

    def items(self) -> list[tuple[str, str]]:
        return [
            (f.cleaned_data["field"], f.cleaned_data.get("proposed", ""))
            for f in self.forms
            if f.cleaned_data.get("field")
        ]


CorrectionItemFormSet = forms.formset_factory(
    CorrectionItemForm,
    formset=BaseCorrectionItemFormSet,
    extra=3,
    max_num=CORRECTION_ITEMS_MAX,
    absolute_max=CORRECTION_ITEMS_MAX,
    validate_max=True,
)


class CorrectionRequestForm(forms.Form):
    details = forms.CharField(
        label=_("Explications (facultatif)"),
        help_text=_("Ce qui est inexact, et toute autre erreur qui ne figure pas dans la liste."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DETAILS_MAX,
        required=False,
    )
    document = forms.FileField(
        label=_("Pièce justificative (facultatif)"),
        help_text=_("PDF, PNG ou JPEG."),
        required=False,
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        if upload.size > app_settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("Le document dépasse la taille permise (%(size)s Mo).")
                % {"size": app_settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
            )
        content = upload.read()
        try:
            corrections.document_check(content)
        except corrections.CorrectionError as error:
            raise forms.ValidationError(error.messages) from error
        return (upload.name or "document", content)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=DETAILS_MAX
    )


# --- Staff forms (Django admin) -------------------------------------------------


class ConfirmForm(forms.Form):
    """Transitions that need no input: the page restates what will happen."""


class ReasonsForm(forms.Form):
    reasons = forms.CharField(
        label=_("Motifs du refus"),
        help_text=_(
            "Obligatoires. Le membre les reçoit avec son recours devant la Commission d’accès "
            "à l’information."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DETAILS_MAX,
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message au membre"),
        help_text=_("Le membre le lit dans le portail; il ne peut être ni modifié ni supprimé."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DETAILS_MAX,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note interne"),
        help_text=_("Visible du personnel seulement."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DETAILS_MAX,
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Jours de prolongation"), min_value=1)
    reason = forms.CharField(
        label=_("Motifs de la prolongation"),
        help_text=_("Obligatoires; le membre en est avisé avec la nouvelle date."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DETAILS_MAX,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].validators.append(MaxValueValidator(app_settings.MAX_EXTENSION_DAYS))
        self.fields["days"].widget.attrs["max"] = app_settings.MAX_EXTENSION_DAYS


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label=_("Confier à"), required=False)

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: user.email
        self.fields["assignee"].empty_label = _("— Personne —")


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"))
    reason = forms.CharField(
        label=_("Motifs"),
        help_text=_("Obligatoires en cas de refus."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DETAILS_MAX,
    )

    def __init__(self, *args, **kwargs):
        from privacy.requests.models import CorrectionDecision

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = CorrectionDecision.choices

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refused" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Un refus doit être motivé."))
        return data


class SeverForm(forms.Form):
    paths = forms.MultipleChoiceField(
        label=_("Renseignements à retrancher"), widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Motif du retranchement"),
        help_text=_("Par exemple : renseignement concernant une autre personne (art. 40)."),
        max_length=300,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paths"].choices = choices
