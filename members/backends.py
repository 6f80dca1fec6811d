"""Authentication backends that read the account with its member record.

Nearly every signed-in page asks for the member record right after the account
(``selectors.member_for_user``): reading both, with the association, in the
query that loads the account spares a query on every request. Sign-in itself is
unchanged (Django's and allauth's own ``authenticate``).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User


class _WithMemberRecord:
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("member__association").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_WithMemberRecord, DjangoModelBackend):
    pass


class AuthenticationBackend(_WithMemberRecord, AllauthBackend):
    pass
