"""Access to member pages: a signed-in account with its claimed member record."""

from functools import wraps
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from privacy.fields import is_destroyed

from . import selectors
from .models import Member, User

CLAIM_FIRST = _("Rattachez d’abord votre dossier de membre à votre compte.")
# A record whose data key was destroyed (a deletion, seen in a database restored from
# an older backup): its values are gone for good, so no page about it can be shown.
RECORD_DELETED = _("Ce dossier de membre a été supprimé définitivement.")


class AccountRequest(HttpRequest):
    """A request that passed ``login_required``: its user is an account, never anonymous."""

    user: User


class MemberRequest(AccountRequest):
    """A request that passed ``member_required``: its member record is set.

    (``portal_site``, the brand and language of the host, is set on every request by
    aseq_portal.middleware.)
    """

    member: Member
    portal_site: dict[str, str]


def member_required(view=None, *, message=CLAIM_FIRST):
    """Load the signed-in account's member record into ``request.member``.

    Without one, pages about a specific object answer 404 (as for anyone else's
    object) and the others send the visitor to claim their record, saying
    ``message``.
    """
    if view is None:
        return lambda view: member_required(view, message=message)

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        member = selectors.member_for_user(user=cast(AccountRequest, request).user)
        if member is not None and is_destroyed(member.first_name):
            if kwargs:
                raise Http404
            messages.info(request, RECORD_DELETED)
            return redirect("privacy_centre")
        if member is None:
            if kwargs:
                raise Http404
            messages.info(request, message)
            return redirect("members_claim")
        cast(MemberRequest, request).member = member
        return view(request, *args, **kwargs)

    return wrapper
