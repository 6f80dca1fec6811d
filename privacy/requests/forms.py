"""Member forms: they parse and validate; services do the work."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from privacy.requests import correction_topics, corrections
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


class CorrectionPersonForm(forms.Form):
    """Step 1: whose information (read from the query string: GET, no JavaScript)."""

    person = forms.ChoiceField(
        label=_("À propos de qui ?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la personne.")},
    )

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.key, p.label) for p in persons]


class CorrectionTopicForm(forms.Form):
    """Step 2: which record (identity, a claim by date and care type, an enrolment)."""

    person = forms.CharField(widget=forms.HiddenInput)
    topic = forms.ChoiceField(
        label=_("Quel renseignement ?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez ce qui est inexact.")},
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(t.key, t.label) for t in topics if t.fields]


class CorrectionFieldForm(forms.Form):
    """Step 3: which field of that record, with its current value."""

    topic = forms.CharField(widget=forms.HiddenInput)
    field = forms.ChoiceField(
        label=_("Qu’est-ce qui est inexact ?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le renseignement inexact.")},
    )

    def __init__(self, *args, topic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            (
                f.name,
                _("%(label)s (actuellement : %(current)s)")
                % {"label": f.label, "current": f.current},
            )
            for f in (topic.fields if topic else ())
        ]


class CorrectionValueForm(forms.Form):
    """Step 4: the exact value, in an input that fits the field."""

    def __init__(self, *args, topic_field=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_field = topic_field
        label = _("Valeur exacte de « %(field)s »") % {"field": topic_field.label.lower()}
        kind = topic_field.kind
        if kind == correction_topics.CHOICE:
            field = forms.ChoiceField(
                label=label, choices=topic_field.choices, widget=forms.RadioSelect
            )
        elif kind == correction_topics.DATE:
            field = forms.CharField(
                label=label,
                help_text=_("Par exemple : 2002-04-12 (année, mois, jour)."),
                widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
            )
        elif kind == correction_topics.MONEY:
            field = forms.CharField(
                label=label,
                help_text=_("En dollars, par exemple : 85,50."),
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        elif kind == correction_topics.EMAIL:
            field = forms.CharField(
                label=label, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
            )
        elif kind == correction_topics.TEL:
            field = forms.CharField(
                label=label, max_length=30, widget=forms.TextInput(attrs={"type": "tel"})
            )
        else:
            field = forms.CharField(
                label=label, max_length=500, widget=forms.TextInput(attrs={"autocomplete": "off"})
            )
        field.error_messages["required"] = _("Entrez la valeur exacte.")
        self.fields["value"] = field

    def stored_value(self) -> str:
        """The value as the corrections service stores it (cents for money, ISO dates)."""
        return self.cleaned_data["stored"]

    def clean(self):
        data = super().clean()
        if "value" not in data:
            return data
        try:
            data["stored"] = correction_topics.proposal_to_stored(self.topic_field, data["value"])
        except correction_topics.ProposalError as error:
            self.add_error("value", str(error))
        return data


class CorrectionRequestForm(forms.Form):
    details = forms.CharField(
        label=_("Autre chose à corriger (facultatif)"),
        help_text=_(
            "Décrivez dans vos mots toute autre erreur, ou ce qui aidera à vérifier "
            "vos corrections."
        ),
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
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Confier à"), required=False
    )

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
