from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(_("mon-compte/"), views.account_overview, name="account_overview"),
    path(_("mon-compte/rattacher-mon-dossier/"), views.claim, name="members_claim"),
    path(_("mon-compte/profil/"), views.profile, name="members_profile"),
    path(_("mon-compte/personnes-a-charge/"), views.dependants, name="members_dependants"),
    path(
        _("mon-compte/personnes-a-charge/ajouter/"),
        views.dependant_add,
        name="members_dependant_add",
    ),
    path(
        _("mon-compte/personnes-a-charge/<uuid:dependant_id>/"),
        views.dependant_edit,
        name="members_dependant_edit",
    ),
    path(
        _("mon-compte/personnes-a-charge/<uuid:dependant_id>/retirer/"),
        views.dependant_remove,
        name="members_dependant_remove",
    ),
    path(_("mon-compte/activite/"), views.activity, name="members_activity"),
    path(_("mon-compte/soins-a-proximite/"), views.providers, name="members_providers"),
    path(
        _("mon-compte/soins-a-proximite/oublier-mon-secteur/"),
        views.location_forget,
        name="members_location_forget",
    ),
]
