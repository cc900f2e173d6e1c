"""Which addresses the service may fetch: no loopback, private, link-local or metadata address.

A ``url`` input (and a job's webhook) reaches whatever host it names, so a
service that fetched any address would let its callers read the operator's
internal network through it (server-side request forgery).  ``check_url``
resolves the host (every address it resolves to) and refuses it when one of
them is not a public address: loopback, private (RFC 1918, fc00::/7),
link-local (169.254/16, where cloud metadata lives, fe80::/10), shared
CGNAT space (100.64/10), unspecified, multicast or reserved; IPv4 written as
one number, in hex or octal, and IPv4 inside IPv6 (``::ffff:127.0.0.1``) are
judged as the address they are.  ``fetch.py`` checks every request it
makes, redirects included, just before it is sent.

Residual risk, stated plainly: the name is resolved again when connecting,
so a host whose DNS answer changes between the check and the connection
(DNS rebinding) could still be reached; an operator who needs more puts an
egress proxy in front.  The command line, run by a user on their own
machine, allows every address; the service refuses these unless the
operator sets ``VERIFIER_ALLOW_PRIVATE_URLS=1``.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

from verifier.errors import InputError

ALLOW_HINT = "set VERIFIER_ALLOW_PRIVATE_URLS=1 to allow"
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
CGNAT = ipaddress.ip_network("100.64.0.0/10")


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def why_blocked(address: str) -> str | None:
    """Why ``address`` may not be fetched, or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return "the cloud metadata address"
    for test, words in ((ip.is_loopback, "a loopback address"), (ip.is_unspecified, "an unspecified address"),
                        (ip.is_link_local, "a link-local address"), (ip.is_multicast, "a multicast address"),
                        (ip.version == 4 and ip in CGNAT, "a shared (CGNAT) address"),
                        (ip.is_reserved, "a reserved address"), (ip.is_private, "a private address"),
                        (not ip.is_global, "not a public address")):
        if test:
            return words
    return None


def without_credentials(url: str) -> str:
    """``url`` with any ``user:password@`` taken out (for messages)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_url(url: str, *, allow_private: bool, via: str | None = None) -> None:
    """Refuse ``url`` (an ``InputError`` of one line) when its host is, or resolves to, an address that
    is not public; ``via``: the address first asked for, when ``url`` is where it redirected."""
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise InputError(f"{_where(url, via)}: refused: only http:// and https:// addresses with a host are fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InputError(f"{_where(url, via)}: refused: the port is not valid") from None
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        return  # unknown host: the request itself fails with the resolver's reason
    for address in addresses:
        reason = why_blocked(address)
        if reason:
            shown = host if host == address else f"{host} ({address})"
            raise InputError(f"{_where(url, via)}: refused: {shown} is {reason}; {ALLOW_HINT}")


def _where(url: str, via: str | None) -> str:
    url = without_credentials(url)
    return url if via is None or via == url else f"{without_credentials(via)} redirected to {url}"
