"""Who is asking: the client's address, for rate limits and the per-client cap on held seats.

X-Forwarded-For is believed only when the request comes from one of TRUSTED_PROXIES, and
then only the addresses those proxies appended: a client that reaches gunicorn directly
cannot pick a new address per request by sending the header itself.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted_proxy(address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _parse(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the client: REMOTE_ADDR, or behind trusted proxies the rightmost
    address in X-Forwarded-For that is not one of them."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _is_trusted_proxy(remote):
        return str(remote)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    client = remote
    for hop in reversed(hops[-20:]):
        address = _parse(hop)
        if address is None:
            break
        client = address
        if not _is_trusted_proxy(address):
            break
    return str(client)


def client_network(ip: str) -> str:
    """One client as far as limits go: an IPv4 address, or the /64 network of an IPv6
    address (a single connection usually gets a whole /64 and may use any address in it)."""
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))
