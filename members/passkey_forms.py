"""allauth's passkey forms with a label in the page's language.

allauth declares the passkey's ``name`` field without a label, so Django shows the field
name, "Name", on French pages too. Wired in by ``MFA_FORMS`` (settings/base.py).
"""

from allauth.mfa.webauthn import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

KEY_NAME = _("Nom de la clé")


class AddWebAuthnForm(allauth_forms.AddWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME


class SignupWebAuthnForm(allauth_forms.SignupWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME


class EditWebAuthnForm(allauth_forms.EditWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME
