"""Every write of the members app: one function per action, each writing its own
activity row (and audit row) in the same transaction.

Why one module past 400 lines: one function per member action, each writing its
own activity and audit rows; the claim flow is the next to move to claims.py.
"""

import hmac
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from privacy.audit.api import audit_record
from privacy.consent.api import consent_accounts_of
from privacy.fields import blind_index_filter

from . import rules
from .app_settings import app_settings
from .models import (
    ActivityEvent,
    Association,
    ClaimAttempt,
    Dependant,
    Member,
    MemberLocation,
    User,
)
from .origin import NO_ORIGIN, Origin


def _audit(action: str, *, actor: User | None, subject: User | None, obj: Any) -> None:
    """One audit row per action, in the action's own transaction."""
    audit_record(action=action, actor=actor, obj=obj, subject=subject)


# --- Activity ---------------------------------------------------------------


def activity_record(
    *,
    user: User,
    kind: str,
    origin: Origin = NO_ORIGIN,
    obj: Any = None,
    changed_fields: tuple[str, ...] | list[str] = (),
) -> ActivityEvent:
    """Record one event of the member's own activity (kind, time, coarse origin, reference)."""
    return ActivityEvent.objects.create(
        user=user,
        kind=kind,
        device_family=origin.device_family,
        ip_network=origin.ip_network,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        changed_fields=",".join(changed_fields),
    )


def activity_record_sign_in(*, user: User, origin: Origin) -> ActivityEvent:
    return activity_record(user=user, kind=ActivityEvent.Kind.SIGN_IN, origin=origin)


# --- Claim your record ------------------------------------------------------

# Opened and compared against when no record matches, so a miss does the work of a hit.
_NO_RECORD_BIRTH_DATE = date(1900, 1, 1)


def user_portal_host_remember(*, user: User, host: str) -> None:
    """The site the member uses, so that later mails carry its brand and links."""
    host = (host or "").strip().lower()[:253]
    if host and host != user.portal_host:
        User.objects.filter(pk=user.pk).update(portal_host=host)
        user.portal_host = host


def _decoy_birth_date() -> date:
    """Open a sealed birth date, as reading a found record does (same cipher, same cost)."""
    return Member._meta.get_field("date_of_birth").open_decoy(_NO_RECORD_BIRTH_DATE)


@dataclass(frozen=True)
class ClaimResult:
    outcome: str
    member: Member | None = None

    @property
    def succeeded(self) -> bool:
        return self.outcome == ClaimAttempt.Outcome.CLAIMED

    @property
    def rate_limited(self) -> bool:
        return self.outcome == ClaimAttempt.Outcome.RATE_LIMITED


def _claim_rate_limited(*, user: User, origin: Origin) -> bool:
    from .ratelimit import rate_limit_hit

    per_user, per_user_period = app_settings.CLAIM_RATE_LIMIT
    per_net, per_net_period = app_settings.CLAIM_RATE_LIMIT_PER_NETWORK
    user_over = rate_limit_hit(key=f"claim:user:{user.pk}", limit=per_user, period=per_user_period)
    net_over = rate_limit_hit(
        key=f"claim:net:{origin.ip_network or 'unknown'}", limit=per_net, period=per_net_period
    )
    return user_over or net_over


def member_claim(
    *,
    user: User,
    association: Association,
    student_number: str,
    date_of_birth: date,
    origin: Origin = NO_ORIGIN,
) -> ClaimResult:
    """Link the member record matching all three answers to ``user``.

    A record that does not exist, a wrong answer and a record already linked
    to another account give the same ``outcome`` to the caller's page
    (only staff see which); each attempt is recorded and rate-limited per
    account and per network.
    """
    member = None
    if Member.objects.filter(user=user).exists():
        outcome = ClaimAttempt.Outcome.ALREADY_LINKED
    elif _claim_rate_limited(user=user, origin=origin):
        outcome = ClaimAttempt.Outcome.RATE_LIMITED
    else:
        outcome, member = _claim_lookup(
            user=user,
            association=association,
            student_number=student_number,
            date_of_birth=date_of_birth,
        )
    with transaction.atomic():
        if outcome == ClaimAttempt.Outcome.CLAIMED:
            try:
                with transaction.atomic():
                    Member.objects.filter(pk=member.pk, user__isnull=True).update(
                        user=user, claimed_at=timezone.now()
                    )
                    member.refresh_from_db()
            except IntegrityError:  # this account linked another record meanwhile
                outcome, member = ClaimAttempt.Outcome.ALREADY_LINKED, None
            else:
                if member.user_id != user.pk:  # someone else won the race
                    outcome = ClaimAttempt.Outcome.ALREADY_CLAIMED
        attempt = ClaimAttempt.objects.create(
            user=user, ip_network=origin.ip_network, outcome=outcome, member=member
        )
        succeeded = outcome == ClaimAttempt.Outcome.CLAIMED
        activity_record(
            user=user,
            kind=ActivityEvent.Kind.CLAIM_SUCCEEDED
            if succeeded
            else ActivityEvent.Kind.CLAIM_FAILED,
            origin=origin,
            obj=member if succeeded else None,
        )
        _audit("members.claim", actor=user, subject=user, obj=attempt)
    return ClaimResult(outcome=outcome, member=member if succeeded else None)


def _claim_lookup(
    *, user: User, association: Association, student_number: str, date_of_birth: date
) -> tuple[str, Member | None]:
    """One indexed query and one constant-time comparison, found or not."""
    try:
        same_number = blind_index_filter(Member, "student_number", student_number)
    except ValueError:  # nothing left once normalised: matches no record
        same_number = Q(pk__in=[])
    candidate = Member.objects.filter(association=association).filter(same_number).first()
    expected = candidate.date_of_birth if candidate is not None else _decoy_birth_date()
    birth_date_matches = hmac.compare_digest(
        expected.isoformat().encode(), date_of_birth.isoformat().encode()
    )
    if candidate is None or not birth_date_matches:
        return ClaimAttempt.Outcome.NO_MATCH, None
    if candidate.user_id is not None:
        return ClaimAttempt.Outcome.ALREADY_CLAIMED, candidate
    return ClaimAttempt.Outcome.CLAIMED, candidate


@transaction.atomic
def member_unlink(*, member: Member, by: User | None) -> bool:
    """Staff undo a wrong claim: the record returns to unclaimed.

    What the wrong account chose for the record (agreement to updates, a
    stored location) was not the member's choice, so it is dropped too.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    user = member.user
    if user is None:
        return False
    member.user = None
    member.claimed_at = None
    member.updates_opt_in = False
    member.updates_opt_in_at = None
    member.save(
        update_fields=["user", "claimed_at", "updates_opt_in", "updates_opt_in_at", "updated_at"]
    )
    MemberLocation.objects.filter(member=member).delete()
    activity_record(user=user, kind=ActivityEvent.Kind.RECORD_UNLINKED, obj=member)
    _audit("members.unlink", actor=by, subject=user, obj=member)
    return True


# --- Profile ----------------------------------------------------------------

CONTACT_FIELDS = (
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "province",
    "postal_code",
)
PREFERENCE_FIELDS = ("preferred_language", "updates_opt_in")
MEMBER_OWNED_FIELDS = CONTACT_FIELDS + PREFERENCE_FIELDS


@transaction.atomic
def member_profile_update(
    *,
    member: Member,
    changes: Mapping[str, Any],
    origin: Origin = NO_ORIGIN,
    actor: User | None = None,
) -> list[str]:
    """Apply edits to what the member owns; insurer-owned fields are refused.

    ``actor`` is the member themselves unless given (staff helping by phone).
    Returns the names of the fields that changed. Agreeing to updates stamps
    the time of agreement; withdrawing clears it.
    """
    refused = set(changes) - set(MEMBER_OWNED_FIELDS)
    if refused:
        raise ValueError(f"Not member-owned: {sorted(refused)}")
    changed = [name for name, value in changes.items() if getattr(member, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(member, name, changes[name])
    if "updates_opt_in" in changed:
        member.updates_opt_in_at = timezone.now() if member.updates_opt_in else None
        changed.append("updates_opt_in_at")
    member.save(update_fields=[*changed, "updated_at"])
    if "preferred_language" in changed and member.user_id:
        User.objects.filter(pk=member.user_id).update(preferred_language=member.preferred_language)
    contact = [name for name in changed if name in CONTACT_FIELDS]
    preferences = [name for name in changed if name in PREFERENCE_FIELDS]
    if member.user_id:
        if contact:
            activity_record(
                user=member.user,
                kind=ActivityEvent.Kind.PROFILE_UPDATED,
                origin=origin,
                obj=member,
                changed_fields=contact,
            )
        if preferences:
            activity_record(
                user=member.user,
                kind=ActivityEvent.Kind.PREFERENCES_UPDATED,
                origin=origin,
                obj=member,
                changed_fields=preferences,
            )
    _audit("members.profile_update", actor=actor or member.user, subject=member.user, obj=member)
    return changed


# --- Dependants ---------------------------------------------------------------


def _locked_member(member: Member) -> Member:
    """The member row locked: dependant rules are checked against a stable list."""
    return Member.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def dependant_add(
    *,
    member: Member,
    relationship: str,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    origin: Origin = NO_ORIGIN,
) -> Dependant:
    """Add a spouse (suffix 01) or a child (next suffix from 02)."""
    locked = _locked_member(member)
    existing = list(locked.dependants.all())
    if full := rules.dependants_full(len(existing)):
        raise full
    rules.dependant_check(
        member=locked,
        relationship=relationship,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        others=existing,
        today=timezone.localdate(),
    )
    if relationship == Dependant.Relationship.SPOUSE:
        suffix = Dependant.SPOUSE_SUFFIX
    else:
        suffix = max(
            [d.suffix + 1 for d in existing if d.relationship == Dependant.Relationship.CHILD],
            default=Dependant.FIRST_CHILD_SUFFIX,
        )
        if suffix > Dependant.LAST_SUFFIX:
            raise ValidationError(rules.MESSAGES["no_suffix_left"], code="no_suffix_left")
    dependant = Dependant.objects.create(
        member=locked,
        relationship=relationship,
        suffix=suffix,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    if locked.user_id:
        activity_record(
            user=locked.user, kind=ActivityEvent.Kind.DEPENDANT_ADDED, origin=origin, obj=dependant
        )
    _audit("members.dependant_add", actor=locked.user, subject=locked.user, obj=dependant)
    return dependant


@transaction.atomic
def dependant_update(
    *,
    dependant: Dependant,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    origin: Origin = NO_ORIGIN,
) -> list[str]:
    """Correct a minor dependant's details; an adult's belong to them (correction request)."""
    locked = _locked_member(dependant.member)
    dependant = locked.dependants.get(pk=dependant.pk)
    today = timezone.localdate()
    if rules.is_adult(dependant.date_of_birth, today):
        raise ValidationError(rules.MESSAGES["adult_read_only"], code="adult_read_only")
    rules.dependant_check(
        member=locked,
        relationship=dependant.relationship,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        others=locked.dependants.exclude(pk=dependant.pk),
        today=today,
    )
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "date_of_birth": date_of_birth,
    }
    changed = [name for name, value in values.items() if getattr(dependant, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(dependant, name, values[name])
    dependant.save(update_fields=[*changed, "updated_at"])
    if locked.user_id:
        activity_record(
            user=locked.user,
            kind=ActivityEvent.Kind.DEPENDANT_UPDATED,
            origin=origin,
            obj=dependant,
            changed_fields=changed,
        )
    _audit("members.dependant_update", actor=locked.user, subject=locked.user, obj=dependant)
    return changed


@transaction.atomic
def dependant_remove(*, dependant: Dependant, origin: Origin = NO_ORIGIN) -> None:
    """Remove a dependant from the member's coverage (minor or adult)."""
    locked = _locked_member(dependant.member)
    dependant = locked.dependants.get(pk=dependant.pk)
    dependant_id = dependant.pk
    dependant.delete()
    dependant.pk = dependant_id
    if locked.user_id:
        activity_record(
            user=locked.user,
            kind=ActivityEvent.Kind.DEPENDANT_REMOVED,
            origin=origin,
            obj=dependant,
        )
    _audit("members.dependant_remove", actor=locked.user, subject=locked.user, obj=dependant)


# --- Location (kept only with consent) -----------------------------------------


def location_remember(
    *, member: Member | None, area: str, consent: bool, origin: Origin = NO_ORIGIN
) -> MemberLocation | None:
    """Keep the member's coarse area for their next visit, only if they consented.

    Without consent (or without a member record) nothing is stored: the area
    serves the one search it came with.
    """
    if not consent or member is None:
        return None
    with transaction.atomic():
        location, _created = MemberLocation.objects.update_or_create(
            member=member, defaults={"area": area, "recorded_at": timezone.now()}
        )
        if member.user_id:
            activity_record(user=member.user, kind=ActivityEvent.Kind.LOCATION_SAVED, origin=origin)
    return location


@transaction.atomic
def location_forget(*, member: Member, origin: Origin = NO_ORIGIN) -> bool:
    """The member asks to forget their area; True when there was one."""
    deleted, _detail = MemberLocation.objects.filter(member=member).delete()
    if deleted and member.user_id:
        activity_record(user=member.user, kind=ActivityEvent.Kind.LOCATION_FORGOTTEN, origin=origin)
    return bool(deleted)


@transaction.atomic
def location_forget_on_withdrawal(
    *, user: User | None, consent_id: uuid.UUID | None, category: str = "location"
) -> int:
    """Location consent withdrawn: drop the area kept for whoever this choice covers.

    Registered with the consent layer (``on_withdrawal``). A signed-in
    withdrawal covers the account; an anonymous one covers every account that
    signed in from this browser (its consent id), so signing out first does
    not keep the area.
    """
    users = set()
    if user is not None:
        users.add(user.pk)
    if consent_id is not None:
        users.update(consent_accounts_of(consent_id=consent_id))
    forgotten = 0
    for location in MemberLocation.objects.filter(member__user__in=users).select_related(
        "member__user"
    ):
        account = location.member.user
        location.delete()
        activity_record(user=account, kind=ActivityEvent.Kind.LOCATION_FORGOTTEN)
        forgotten += 1
    return forgotten
