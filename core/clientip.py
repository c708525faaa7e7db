"""The address of the person making a request, the one every per-address limit counts.

Behind a reverse proxy every request arrives from the proxy's address, so the client is read
from `X-Forwarded-For`, but only when the request's socket peer (`REMOTE_ADDR`) is one of
`TRUSTED_PROXIES`: anyone else can write that header. Each proxy appends the address it
received the request from, so the list is read from the right, skipping our own proxies; the
first address that is not one of them is the client. Anything else (no proxy configured, a
peer that is not a proxy, a list made only of proxies or a malformed entry) gives the peer.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address, networks=None):
    networks = networks if networks is not None else _networks(tuple(settings.TRUSTED_PROXIES))
    address = address if not isinstance(address, str) else _address(address)
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    peer = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not is_trusted_proxy(peer, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            return peer
        if not is_trusted_proxy(address, networks):
            return str(address)
    return peer
