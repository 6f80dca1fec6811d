"""What each staff role may do with members' models (least privilege), declared to privacy."""

from privacy.staff.api import MEMBER_SERVICES, grant

# Members, dependants and coverage; no privacy request contents, no registers.
grant(
    MEMBER_SERVICES,
    "members.view_user",
    "members.view_member",
    "members.change_member",
    "members.view_dependant",
    "members.add_dependant",
    "members.change_dependant",
    "members.view_association",
    "members.view_provider",
    # To spot and undo a wrong claim of a member record.
    "members.view_claimattempt",
)
