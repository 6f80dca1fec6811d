"""Anonymous sign-in pages (unlock by e-mail): apart from the member-scoped pages of urls.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(
        _("connexion/debloquer/"), views.signin_unlock_request, name="members_signin_unlock_request"
    ),
    path(_("connexion/debloquer/<str:token>/"), views.signin_unlock, name="members_signin_unlock"),
]
