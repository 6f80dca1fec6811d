"""Authentication backends that read the account with its member record.

Nearly every signed-in page asks for the member record right after the account
(``selectors.member_for_user``): reading both, with the association, in the
query that loads the account spares a query on every request. Sign-in itself is
unchanged (Django's and allauth's own ``authenticate``).

That query runs on every signed-in request, so it is compiled once per process
(``selectors.user_for_session``) and, as the request's first statement, it is
also the persistent connection's health check (see there). It still reads the
account from the database each time: a password change, a deactivation or a
changed member link shows on the very next request.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .selectors import user_for_session


class _WithMemberRecord:
    def get_user(self, user_id):
        user = user_for_session(user_id=user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_WithMemberRecord, DjangoModelBackend):
    pass


class AuthenticationBackend(_WithMemberRecord, AllauthBackend):
    pass
