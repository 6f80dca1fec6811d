"""Client addresses are personal information (P16): only truncated ones are kept."""

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 48


def truncate_ip(address: str | None) -> str:
    """The network of an address (IPv4 /24, IPv6 /48), or "" when unknown."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def request_ip(request) -> str:
    """The truncated address of a request's client."""
    return truncate_ip(request.META.get("REMOTE_ADDR"))
