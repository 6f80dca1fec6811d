"""Client addresses are personal information (P16): only truncated ones are kept.

Behind a reverse proxy every connection comes from the proxy. ``client_address``
is the one place that says who the client is: the peer itself, or, when the peer
is a trusted proxy (``PORTAL_TRUSTED_PROXIES``), the address that proxy appended
to ``X-Forwarded-For``. Rate limits, stored prefixes and sessions all use it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

IPV4_PREFIX = 24
IPV6_PREFIX = 48

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse(address: str | None) -> IPAddress | None:
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def truncate_ip(address: str | None) -> str:
    """The network of an address (IPv4 /24, IPv6 /48), or "" when unknown."""
    ip = _parse(address)
    if ip is None:
        return ""
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


@lru_cache(maxsize=8)
def _trusted_networks(configured: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in configured if item)


def _is_trusted_proxy(ip: IPAddress | None) -> bool:
    configured = tuple(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()) or ())
    return ip is not None and any(ip in network for network in _trusted_networks(configured))


def client_address(request) -> str:
    """The full address of the client: never stored, only truncated or keyed.

    The peer (``REMOTE_ADDR``) is the client unless it is a trusted proxy; then
    ``X-Forwarded-For`` is read from the right, skipping trusted proxies, and
    the first address that is not one is the client's (what a client writes at
    the left of the header itself is never believed). "" when unknown.
    """
    peer = _parse(request.META.get("REMOTE_ADDR"))
    if not _is_trusted_proxy(peer):
        return str(peer) if peer is not None else ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        ip = _parse(hop)
        if ip is None:
            return ""  # a garbled chain names nobody
        if not _is_trusted_proxy(ip):
            return str(ip)
    return str(peer)


def request_ip(request) -> str:
    """The truncated address of a request's client."""
    return truncate_ip(client_address(request))
