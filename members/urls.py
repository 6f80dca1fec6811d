from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(_("mon-compte/"), views.account_overview, name="account_overview"),
]
