"""Address policy for outgoing requests (article fetches, webhooks): no SSRF.

``check(url)`` refuses anything but ``http``/``https``, names such as ``localhost`` or
``metadata.google.internal``, and a host any of whose resolved addresses (``getaddrinfo``, every
address) is not global: loopback, private (RFC 1918, fc00::/7), link-local (169.254/16, with the cloud
metadata 169.254.169.254, fe80::/10), unspecified, multicast, reserved, shared CGNAT 100.64/10, and
IPv4-mapped IPv6 forms of those.  Integer, octal and hex IPv4 spellings (``http://2130706433/``,
``http://0x7f.1/``) are resolved by ``getaddrinfo`` like any name, so the resolved address is what is
judged.  It returns the checked addresses so the caller can connect to one of them (``fetch.py`` pins
the connection to it, keeping the Host header and TLS SNI/certificate check on the name), which closes
the DNS-rebinding window between check and connect.

``private_urls_allowed()`` reads ``VERIFIER_ALLOW_PRIVATE_URLS`` (``1``/``true``/``yes``): the service
refuses private addresses unless the operator sets it; the CLI allows them (local users fetch from
their own machines).  ``pinned(url, address)`` builds that pinned request.  ``resolve`` and ``blocked_reason`` are module-level so tests can replace them.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from verifier.errors import InputError

ENV = "VERIFIER_ALLOW_PRIVATE_URLS"
_HINT = f"set {ENV}=1 to allow"
BLOCKED_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
                 "metadata.google.internal", "metadata", "instance-data")
BLOCKED_SUFFIXES = (".localhost", ".internal", ".local")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def private_urls_allowed() -> bool:
    """Whether the operator allowed private addresses (``VERIFIER_ALLOW_PRIVATE_URLS``)."""
    return os.environ.get(ENV, "").strip().lower() in ("1", "true", "yes")


def safe_url(url: str) -> str:
    """``url`` without ``user:pass@`` credentials, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (``getaddrinfo``)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def blocked_reason(address: str) -> str | None:
    """Why ``address`` may not be reached ("a loopback address"...), or None when it is global."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, what in (("is_unspecified", "an unspecified"), ("is_loopback", "a loopback"),
                       ("is_link_local", "a link-local"), ("is_multicast", "a multicast"),
                       ("is_reserved", "a reserved"), ("is_private", "a private")):
        if getattr(ip, test):
            return f"{what} address"
    if ip.version == 4 and ip in _CGNAT:
        return "a shared (CGNAT) address"
    if not ip.is_global:
        return "a non-global address"
    return None


def check(url: str, *, allow_private: bool = False) -> list[str]:
    """Refuse ``url`` (``InputError`` of one line) unless it may be fetched; return the host's addresses
    (every one checked), or ``[]`` when ``allow_private`` (nothing resolved)."""
    shown = safe_url(url)
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise InputError(f"{shown}: not a valid address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{shown}: refused: only http and https addresses are fetched")
    if not host:
        raise InputError(f"{shown}: refused: no host name")
    if allow_private:
        return []
    name = host.lower().rstrip(".")
    if name in BLOCKED_NAMES or name.endswith(BLOCKED_SUFFIXES):
        raise InputError(f"{shown}: refused: {host} is a local or metadata name ({_HINT})")
    try:
        addresses = resolve(name, port or (443 if parts.scheme.lower() == "https" else 80))
    except (OSError, UnicodeError) as exc:
        reason = str(exc).split("] ")[-1] or type(exc).__name__
        raise InputError(f"cannot fetch {shown}: {reason}; check the address or your network connection") from None
    if not addresses:
        raise InputError(f"cannot fetch {shown}: {host} has no address")
    for address in addresses:
        why = blocked_reason(address)
        if why:
            raise InputError(f"{shown}: refused: {address} is {why} ({_HINT})")
    return addresses


def pinned(url: str, address: str) -> tuple[str, dict, str]:
    """``url`` with its host replaced by the checked ``address`` (and no credentials), the request
    extensions that keep TLS SNI and the certificate check on the name, and the Host header to send."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc += f":{parts.port}"
    host_header = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    extensions = {"sni_hostname": host} if parts.scheme.lower() == "https" else {}
    return parts._replace(netloc=netloc).geturl(), extensions, host_header
