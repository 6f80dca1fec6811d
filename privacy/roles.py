"""Staff roles, as Django groups (their permissions are set by migration)."""

from django.utils.translation import gettext_lazy as _

MEMBER_SERVICES = "member_services"
PRIVACY_OFFICER = "privacy_officer"
OPERATOR = "operator"

ROLE_LABELS = {
    MEMBER_SERVICES: _("Service aux membres"),
    PRIVACY_OFFICER: _("Responsable de la protection des renseignements personnels"),
    OPERATOR: _("Exploitation"),
}
