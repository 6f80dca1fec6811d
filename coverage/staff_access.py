"""What each staff role may do with coverage's models (least privilege), declared to privacy."""

from privacy.staff.api import MEMBER_SERVICES, grant

# Claims and enrolments come from the insurer: read-only here.
grant(MEMBER_SERVICES, "coverage.view_*")
