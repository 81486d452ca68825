"""Network addresses: the reader's real address behind proxies, and which addresses are public.

Why not just ``REMOTE_ADDR``: behind the shipped nginx (``deploy/nginx/akhbar.conf``) every
request comes from the proxy, so every reader would share one rate-limit bucket and one stored
address. Why not just the first ``X-Forwarded-For`` entry: the client writes that header, so
the leftmost entries are whatever an attacker wants. The only trustworthy entry is the one our
own proxies appended: walking the header from the right across hops we trust
(``AKHBAR_TRUSTED_PROXIES``), the first address we do not trust is the client.

The parsing is ours because no maintained library does exactly this (django-ipware trusts the
leftmost address by default, the opposite of what we need); it is a dozen lines.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from django.http import HttpRequest

from akhbar.core.conf import akhbar_settings

__all__ = ["client_ip", "is_public_address", "parse_ip", "trusted_proxies"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# NAT64 (RFC 6052) embeds an IPv4 address; judge the embedded one.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def parse_ip(value: str | None) -> IPAddress | None:
    """An address from a header or socket value, tolerating ``[v6]:port``, ``v4:port`` and
    zone ids; ``None`` for anything that is not an address."""
    text = (value or "").strip().strip('"')
    if not text:
        return None
    if text.startswith("["):  # "[2001:db8::1]:443"
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # "203.0.113.9:51234"
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _unwrap(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_public_address(ip: str | IPAddress) -> bool:
    """True only for globally routable unicast addresses.

    Refuses loopback, private (RFC 1918, ULA), carrier-grade NAT, link-local (the cloud
    metadata address 169.254.169.254 among them), multicast, reserved, unspecified and
    documentation ranges, including the same addresses written as IPv4-mapped or NAT64 IPv6.
    """
    addr = ip if isinstance(ip, ipaddress.IPv4Address | ipaddress.IPv6Address) else parse_ip(ip)
    if addr is None:
        return False
    addr = _unwrap(addr)
    return addr.is_global and not (
        addr.is_multicast
        or addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_unspecified
    )


@functools.lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """``akhbar_settings.trusted_proxies`` (a list of CIDRs or addresses) as networks."""
    spec = akhbar_settings.trusted_proxies or ()
    if isinstance(spec, str):
        spec = [part for part in spec.split(",")]
    return _networks(tuple(str(part).strip() for part in spec if str(part).strip()))


def _trusted(ip: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    ip = _unwrap(ip)
    return any(ip.version == net.version and ip in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The reader's address: ``REMOTE_ADDR``, or behind trusted proxies the rightmost
    ``X-Forwarded-For`` address that is not itself a trusted proxy.

    Returns ``""`` when the address is unknown (a Unix socket without a proxy header).
    """
    remote = parse_ip(request.META.get("REMOTE_ADDR"))
    networks = trusted_proxies()
    if remote is None or not networks or not _trusted(remote, networks):
        return str(_unwrap(remote)) if remote is not None else ""
    chain = [
        part
        for header in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if (part := header.strip())
    ]
    current = remote
    for entry in reversed(chain):
        hop = parse_ip(entry)
        if hop is None:
            # Garbage can only come from beyond our proxies: stop at the last hop we know.
            break
        current = hop
        if not _trusted(hop, networks):
            break
    return str(_unwrap(current))
