"""The request lifecycle under random sequences of every staff and member action.

Hypothesis drives access, correction and deletion requests through submit,
review, questions and replies, per-item decisions, approval, refusal,
carrying out (with corrections that fail: a value another record holds, a
field the member changed since), returning to review, closing with or without
a decision, reopening, and extensions. After every step it checks what Law 25 and
P5 demand of the mechanism, not of one path:
- from the current state, an answer to the member is reachable (tried for
  real, then rolled back);
- no hold outlives its reason: the intake hold lasts exactly until the
  answer, a recourse hold exists only after a refusal, whole or partial,
  and ends with the recourse period;
- no export archive outlives its request's approval or its member;
- the audit chain verifies.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from privacy.audit.chain import audit_verify
from privacy.models import LegalHold
from privacy.requests import services
from privacy.requests.app_settings import app_settings
from privacy.requests.models import (
    OPEN_STATUSES,
    CorrectionDecision,
    ExportArchive,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)
from privacy.requests.services import ANSWERED_STATUSES, PrivacyRequestError
from tests.factories import UserFactory, holder_with_records
from tests.requestsapp.models import Holder

pytestmark = pytest.mark.django_db

DECISIONS = st.sampled_from(
    [CorrectionDecision.APPROVED, CorrectionDecision.REFUSED, CorrectionDecision.PENDING]
)


class RequestLifecycle(RuleBasedStateMachine):
    officer = None  # set by the test: staff in the privacy officer role

    requests = Bundle("requests")

    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint rolled back at teardown: no example sees another's.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.member = UserFactory()
        self.holder = holder_with_records(self.member, kin=1, visits=1, traces=1)
        self.other = holder_with_records(UserFactory(), kin=0, visits=0, traces=0)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers --------------------------------------------------------------

    def _try(self, action: str | None, privacy_request, call):
        """Run a service; an refusal must be the lifecycle's own, and only where it applies."""
        before = PrivacyRequest.objects.get(pk=privacy_request.pk).status
        try:
            with transaction.atomic():
                call()
        except services.CorrectionNotApplied:
            after = PrivacyRequest.objects.get(pk=privacy_request.pk)
            assert (before, after.status) == (RequestStatus.APPROVED, RequestStatus.IN_REVIEW)
        except PrivacyRequestError as error:
            if action is not None and error.code == "invalid_transition":
                assert before not in services.TRANSITIONS[action][0], (action, before)

    def _token(self, field: str) -> str:
        return f"{self.holder._meta.label}|{self.holder.pk}|{field}"

    # --- the member -------------------------------------------------------------

    @initialize(target=requests, kind=st.sampled_from(RequestKind.values))
    def first_request(self, kind):
        return self._submit(kind, conflicting=False)

    @rule(target=requests, kind=st.sampled_from(RequestKind.values), conflicting=st.booleans())
    def submit(self, kind, conflicting):
        return self._submit(kind, conflicting)

    def _submit(self, kind, conflicting):
        self.member.refresh_from_db()
        asked = None
        if kind == RequestKind.CORRECTION:
            self.holder.refresh_from_db()
            # Conflicting data: the student number another record already holds.
            asked = [
                (self._token("student_number"), self.other.student_number)
                if conflicting
                else (self._token("full_name"), "Camille Nouveau-Nom"),
                (self._token("city"), "Laval"),
            ]
        try:
            with transaction.atomic():
                return services.privacy_request_submit(
                    account=self.member, kind=kind, corrections_asked=asked
                )
        except (PrivacyRequestError, Holder.DoesNotExist):
            return None
        except services.corrections.CorrectionError:
            return None  # the record was emptied by a deletion: nothing left to name

    @rule(privacy_request=requests)
    def member_replies(self, privacy_request):
        if privacy_request is None:
            return
        self._try(
            None,
            privacy_request,
            lambda: services.privacy_request_member_reply(
                privacy_request=privacy_request, account=self.member, body="Voici la précision."
            ),
        )

    @rule(city=st.sampled_from(["Québec", "Gatineau"]))
    def member_edits_their_record(self, city):
        """The data changes under an open correction: applying it must not overwrite this."""
        Holder.objects.filter(pk=self.holder.pk).update(city=city)

    # --- staff ------------------------------------------------------------------

    @rule(privacy_request=requests)
    def start_review(self, privacy_request):
        if privacy_request is not None:
            self._try(
                "start_review",
                privacy_request,
                lambda: self._staff("start_review", privacy_request),
            )

    @rule(privacy_request=requests)
    def ask_member(self, privacy_request):
        if privacy_request is not None:
            self._try(
                "ask_member",
                privacy_request,
                lambda: services.privacy_request_ask_member(
                    privacy_request=privacy_request, actor=self.officer, message="Précisez."
                ),
            )

    @rule(privacy_request=requests, decisions=st.lists(DECISIONS, min_size=2, max_size=2))
    def decide(self, privacy_request, decisions):
        if privacy_request is None or privacy_request.kind != RequestKind.CORRECTION:
            return
        items = list(privacy_request.correction_items.order_by("pk"))
        self._try(
            None,
            privacy_request,
            lambda: services.privacy_request_correction_decide(
                privacy_request=privacy_request,
                actor=self.officer,
                decisions={
                    str(item.pk): (decision, "Motif.")
                    for item, decision in zip(items, decisions, strict=False)
                },
            ),
        )

    @rule(privacy_request=requests)
    def approve(self, privacy_request):
        if privacy_request is not None:
            self._try("approve", privacy_request, lambda: self._staff("approve", privacy_request))

    @rule(privacy_request=requests)
    def refuse(self, privacy_request):
        if privacy_request is not None:
            self._try(
                "refuse",
                privacy_request,
                lambda: services.privacy_request_refuse(
                    privacy_request=privacy_request, actor=self.officer, reasons="Motifs."
                ),
            )

    @rule(privacy_request=requests)
    def fulfil(self, privacy_request):
        if privacy_request is not None:
            self._try("fulfil", privacy_request, lambda: self._staff("fulfil", privacy_request))

    @rule(privacy_request=requests)
    def return_to_review(self, privacy_request):
        if privacy_request is not None:
            self._try(
                "return_to_review",
                privacy_request,
                lambda: self._staff("return_to_review", privacy_request),
            )

    @rule(privacy_request=consumes(requests))
    def close(self, privacy_request):
        if privacy_request is not None:
            self._try("close", privacy_request, lambda: self._staff("close", privacy_request))

    @rule(privacy_request=consumes(requests))
    def close_with_reasons(self, privacy_request):
        if privacy_request is not None:
            self._try(
                "close_with_reasons",
                privacy_request,
                lambda: services.privacy_request_close_with_reasons(
                    privacy_request=privacy_request, actor=self.officer, reasons="Retirée."
                ),
            )

    @rule(privacy_request=requests, days=st.integers(min_value=1, max_value=30))
    def extend(self, privacy_request, days):
        if privacy_request is not None:
            self._try(
                None,
                privacy_request,
                lambda: services.privacy_request_extend(
                    privacy_request=privacy_request, actor=self.officer, days=days, reason="Volume."
                ),
            )

    @rule(privacy_request=requests)
    def reopen(self, privacy_request):
        if privacy_request is not None:
            self._try(
                "reopen",
                privacy_request,
                lambda: services.privacy_request_reopen(
                    privacy_request=privacy_request, actor=self.officer, reasons="Erreur."
                ),
            )

    def _staff(self, action, privacy_request):
        service = getattr(services, f"privacy_request_{action}")
        return service(privacy_request=privacy_request, actor=self.officer)

    # --- what must hold after every step ---------------------------------------

    def _mine(self):
        return PrivacyRequest.objects.filter(member=self.member)

    @invariant()
    def an_answer_is_reachable(self):
        for privacy_request in self._mine().exclude(status__in=ANSWERED_STATUSES):
            # Tried for real, then undone: the request can be answered from where it is.
            with transaction.atomic():
                answered = services.privacy_request_refuse(
                    privacy_request=privacy_request, actor=self.officer, reasons="Essai."
                )
                assert answered.status == RequestStatus.REFUSED
                transaction.set_rollback(True)

    @invariant()
    def no_hold_outlives_its_reason(self):
        holds = LegalHold.objects.active()
        for privacy_request in self._mine():
            intake = holds.filter(kind="privacy_request", source_id=privacy_request.reference)
            assert intake.count() == (1 if privacy_request.status in OPEN_STATUSES else 0), (
                privacy_request.status
            )
            recourse = list(holds.filter(kind="recourse", source_id=privacy_request.reference))
            if recourse:
                assert privacy_request.has_refusal
                assert privacy_request.decided_at is not None
                (hold,) = recourse
                assert hold.ends <= privacy_request.decided_at + app_settings.RECOURSE_PERIOD

    @invariant()
    def no_export_outlives_its_request_or_its_member(self):
        archives = ExportArchive.objects.filter(request__member=self.member)
        for archive in archives.select_related("request"):
            if archive.released_at is None:
                # A draft lives only while the approval it was made for stands.
                assert archive.request.status == RequestStatus.APPROVED
        deleted = self._mine().filter(kind=RequestKind.DELETION, fulfilled_at__isnull=False)
        if deleted.exists():
            last = deleted.latest("fulfilled_at").fulfilled_at
            assert not archives.filter(created_at__lt=last).exists()

    @invariant()
    def the_audit_chain_verifies(self):
        assert audit_verify().ok


def test_every_request_reaches_an_answer_and_keeps_nothing_past_its_reason(privacy_officer):
    RequestLifecycle.officer = privacy_officer
    run_state_machine_as_test(
        RequestLifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


def test_the_extension_never_moves_an_answered_request_back(privacy_officer):
    """A sanity check of the machine's own helpers on one fixed path."""
    RequestLifecycle.officer = privacy_officer
    machine = RequestLifecycle()
    try:
        request = machine.first_request(RequestKind.ACCESS)
        machine.start_review(request)
        machine.refuse(request)
        machine.extend(request, 5)
        request.refresh_from_db()
        assert request.status == RequestStatus.REFUSED and request.extended_due_on is None
        machine.no_hold_outlives_its_reason()
        assert request.due_on - request.submitted_at.date() >= timedelta(days=29)
    finally:
        machine.teardown()
