"""The address policy of the service's fetches (``ingest/addresses.py``): which hosts are refused,
whatever their spelling, at the first request and at every redirect."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from verifier.errors import InputError
from verifier.ingest import addresses
from verifier.ingest.addresses import check_url, why_blocked, without_credentials
from verifier.ingest.fetch import fetch


@pytest.mark.parametrize("address, words", [
    ("127.0.0.1", "loopback"), ("127.3.4.5", "loopback"), ("::1", "loopback"),
    ("10.0.0.5", "private"), ("172.16.9.1", "private"), ("192.168.1.1", "private"), ("fd12::1", "private"),
    ("169.254.169.254", "metadata"), ("169.254.10.1", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "CGNAT"), ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
])
def test_addresses_that_are_not_public_are_named(address, words):
    assert words in why_blocked(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert why_blocked(address) is None


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/",
                                 "http://[::ffff:7f00:1]/", "http://localhost:8080/x", "http://[::1]/"])
def test_other_spellings_of_loopback_are_refused(url):
    with pytest.raises(InputError, match="loopback.*VERIFIER_ALLOW_PRIVATE_URLS=1"):
        check_url(url, allow_private=False)
    check_url(url, allow_private=True)


def test_a_name_is_judged_by_every_address_it_resolves_to(monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.216.34", "10.1.1.1"])
    with pytest.raises(InputError, match=r"^https://news\.example/a: refused: news\.example \(10\.1\.1\.1\) is a private"):
        check_url("https://news.example/a", allow_private=False)
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.216.34"])
    check_url("https://news.example/a", allow_private=False)


def test_messages_never_show_credentials(monkeypatch):
    assert without_credentials("https://user:secret@news.example/a") == "https://news.example/a"
    with pytest.raises(InputError) as caught:
        check_url("http://user:secret@127.0.0.1/a", allow_private=False)
    assert "secret" not in str(caught.value) and "user" not in str(caught.value)
    with pytest.raises(InputError, match="only http"):
        check_url("file:///etc/passwd", allow_private=False)


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = "<html><body><article><p>Le maire a annoncé la fermeture du pont.</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def page_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()


def test_fetch_refuses_a_loopback_server_unless_allowed(page_server):
    with pytest.raises(InputError, match="refused: 127.0.0.1 is a loopback address"):
        fetch(page_server, 10_000, allow_private=False)
    assert b"fermeture du pont" in fetch(page_server, 10_000, allow_private=True).data
    assert b"fermeture du pont" in fetch(page_server, 10_000).data  # the CLI's default


def test_a_redirect_to_a_private_address_is_refused(monkeypatch, page_server):
    """A public page that redirects inward: the hop is checked before it is sent."""
    import httpx2

    sent = []

    def handler(request):
        sent.append(str(request.url))
        if request.url.host == "news.example":
            return httpx2.Response(302, headers={"Location": page_server})
        return httpx2.Response(200, text="inside")

    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.216.34"] if host == "news.example"
                        else ["127.0.0.1"])
    monkeypatch.setattr(httpx2, "HTTPTransport", lambda *a, **k: httpx2.MockTransport(handler))
    with pytest.raises(InputError) as caught:
        fetch("https://news.example/story", 10_000, allow_private=False)
    assert str(caught.value).startswith(f"https://news.example/story redirected to {page_server}: refused: "
                                        "127.0.0.1 is a loopback address")
    assert sent == ["https://news.example/story"], "the private address was requested"
