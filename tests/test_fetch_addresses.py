"""The address policy of fetches (``verifier/ingest/addresses.py``) and its use by ``fetch``: every class
of non-global address refused, odd IPv4 spellings resolved first, every redirect hop checked."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from verifier.errors import InputError
from verifier.ingest import addresses
from verifier.ingest.article import read_article
from verifier.ingest.fetch import fetch


@pytest.mark.parametrize("address, what", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.0.0.5", "private"), ("172.16.3.4", "private"),
    ("192.168.1.1", "private"), ("fc00::1", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "CGNAT"), ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.1.2.3", "private"),
])
def test_non_global_addresses_are_blocked(address, what):
    assert what in addresses.blocked_reason(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5", "8.8.8.8"])
def test_global_addresses_pass(address):
    assert addresses.blocked_reason(address) is None


@pytest.mark.parametrize("url, address", [
    ("http://127.0.0.1/", "127.0.0.1"), ("http://[::1]:8080/x", "::1"), ("http://10.0.0.5/x", "10.0.0.5"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"), ("http://[::ffff:127.0.0.1]/", "127.0.0.1"),
    ("http://2130706433/", "127.0.0.1"), ("http://0x7f.1/", "127.0.0.1"), ("http://0177.0.0.1/", "127.0.0.1"),
])
def test_literal_and_odd_spellings_are_resolved_then_refused(url, address):
    with pytest.raises(InputError) as caught:
        addresses.check(url)
    message = str(caught.value)
    assert "refused" in message and "VERIFIER_ALLOW_PRIVATE_URLS=1" in message and "\n" not in message
    assert address in message or "::ffff:127.0.0.1" in message


def test_any_resolved_address_blocks_and_names_are_refused(monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14", "10.0.0.5"])
    with pytest.raises(InputError, match=r"^http://news\.example/a: refused: 10\.0\.0\.5 is a private address"):
        addresses.check("http://news.example/a")
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    assert addresses.check("https://news.example/a") == ["93.184.215.14"]
    for url in ("http://localhost:8000/", "http://metadata.google.internal/computeMetadata/v1/",
                "http://LOCALHOST./", "http://foo.localhost/"):
        with pytest.raises(InputError, match="refused: .* local or metadata name"):
            addresses.check(url)


def test_scheme_credentials_and_switch(monkeypatch):
    with pytest.raises(InputError, match="only http and https"):
        addresses.check("file:///etc/passwd")
    with pytest.raises(InputError) as caught:
        addresses.check("http://user:s3cret@10.0.0.5/x")
    assert "s3cret" not in str(caught.value) and str(caught.value).startswith("http://10.0.0.5/x: refused")
    assert addresses.check("http://10.0.0.5/x", allow_private=True) == []
    for value, allowed in (("1", True), ("true", True), ("YES", True), ("0", False), ("", False)):
        monkeypatch.setenv("VERIFIER_ALLOW_PRIVATE_URLS", value)
        assert addresses.private_urls_allowed() is allowed


@contextmanager
def serve(host: str, routes: dict[str, tuple[int, dict[str, str], bytes]]):
    hits: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append((self.path, self.headers.get("Host", "")))
            status, headers, body = routes.get(self.path, (404, {}, b"no"))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


PAGE = (200, {"Content-Type": "text/plain; charset=utf-8"}, b"The article text.")


def test_loopback_server_refused_unless_allowed(monkeypatch):
    with serve("127.0.0.1", {"/a": PAGE}) as (port, hits):
        url = f"http://127.0.0.1:{port}/a"
        with pytest.raises(InputError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
            fetch(url, 1000, allow_private=False)
        with pytest.raises(InputError, match="refused"):
            read_article(url, allow_private=False)
        monkeypatch.setenv("VERIFIER_ALLOW_PRIVATE_URLS", "0")
        with pytest.raises(InputError, match="refused"):
            fetch(url, 1000, allow_private=None)
        assert hits == []  # refused before any request
        assert fetch(url, 1000, allow_private=True).data == b"The article text."
        assert fetch(url, 1000).data == b"The article text."  # the CLI's default
        monkeypatch.setenv("VERIFIER_ALLOW_PRIVATE_URLS", "1")
        assert fetch(url, 1000, allow_private=None).data == b"The article text."


def _permit_127_0_0_1(monkeypatch):
    """Treat 127.0.0.1 (and only it) as if it were a public address: the stand-in for a public server."""
    real = addresses.blocked_reason
    monkeypatch.setattr(addresses, "blocked_reason", lambda a: None if a == "127.0.0.1" else real(a))
    real_resolve = addresses.resolve
    monkeypatch.setattr(addresses, "resolve",
                        lambda host, port: ["127.0.0.1"] if host == "news.example" else real_resolve(host, port))


def test_pinned_connection_keeps_the_host_header_and_follows_safe_redirects(monkeypatch):
    _permit_127_0_0_1(monkeypatch)
    with serve("127.0.0.1", {"/a": (302, {"Location": "/b"}, b""), "/b": PAGE}) as (port, hits):
        page = fetch(f"http://news.example:{port}/a", 1000, allow_private=False)
    assert page.data == b"The article text." and page.url == f"http://news.example:{port}/b"
    assert hits == [("/a", f"news.example:{port}"), ("/b", f"news.example:{port}")]


def test_redirect_to_a_private_address_is_refused(monkeypatch):
    _permit_127_0_0_1(monkeypatch)
    with serve("127.0.0.2", {"/secret": (200, {"Content-Type": "text/plain"}, b"internal data")}) as (inner, inner_hits):
        target = f"http://127.0.0.2:{inner}/secret"
        with serve("127.0.0.1", {"/a": (302, {"Location": target}, b"")}) as (port, hits):
            assert fetch(f"http://127.0.0.1:{port}/a", 1000, allow_private=True).data == b"internal data"  # reachable
            inner_hits.clear()
            with pytest.raises(InputError) as caught:
                fetch(f"http://news.example:{port}/a", 1000, allow_private=False)
    message = str(caught.value)
    assert message == (f"http://news.example:{port}/a redirected to {target}: refused: 127.0.0.2 is a loopback "
                       "address (set VERIFIER_ALLOW_PRIVATE_URLS=1 to allow)")
    assert inner_hits == []


def test_too_many_safe_redirects(monkeypatch):
    _permit_127_0_0_1(monkeypatch)
    with serve("127.0.0.1", {"/a": (302, {"Location": "/a"}, b"")}) as (port, hits):
        with pytest.raises(InputError, match="more than 5 redirects"):
            fetch(f"http://news.example:{port}/a", 1000, allow_private=False)
    assert len(hits) == 6
