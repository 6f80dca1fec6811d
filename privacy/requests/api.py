"""What other apps may use of privacy requests: a member's request activity, for their
activity page."""

from privacy.requests.selectors import RequestActivity, privacy_request_activity

__all__ = ["RequestActivity", "privacy_request_activity"]
