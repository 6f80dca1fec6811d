"""Client addresses, kept only truncated (P16: an IP address is personal information)."""

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 48


def ip_truncate(address: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address; "" for anything else."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
