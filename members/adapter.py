from allauth.account.adapter import DefaultAccountAdapter

from privacy.ip import truncate_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """Truncated: allauth stores it with user sessions, and no full IP is kept.

        Rate limits by address therefore apply per /24 (IPv4) or /48 (IPv6)
        network, which only makes them stricter.
        """
        return truncate_ip(super().get_client_ip(request)) or "0.0.0.0"  # noqa: S104 - placeholder, not a bind  # nosec B104
