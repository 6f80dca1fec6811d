from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(_("couverture/"), views.summary, name="coverage_summary"),
    path(_("couverture/estimation/"), views.estimate, name="coverage_estimate"),
    path(_("couverture/adhesion/"), views.enrolment, name="coverage_enrolment"),
    path(
        _("couverture/adhesion/echeance.ics"),
        views.deadline_calendar,
        name="coverage_deadline_ics",
    ),
    path(_("couverture/demandes/"), views.claims, name="coverage_claims"),
    path(
        _("couverture/demandes/<uuid:claim_id>/"),
        views.claim_detail,
        name="coverage_claim_detail",
    ),
    path(_("couverture/carte/<uuid:person_id>/"), views.card, name="coverage_card"),
    path(
        _("couverture/carte/<uuid:person_id>/attestation.pdf"),
        views.attestation,
        name="coverage_attestation",
    ),
    path(_("verifier/<str:token>/"), views.verify, name="coverage_verify"),
    path(_("regimes/"), views.plan_list, name="coverage_plans"),
    path(_("regimes/<slug:association_slug>/"), views.plan_detail, name="coverage_plan"),
]
