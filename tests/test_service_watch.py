"""Watches over HTTP (``POST /v1/watches``, ``GET /v1/watches/{id}/versions``): the server runs the
passes of ``verifier watch`` on its workers, keeps the versions, and says what changed."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from tests.helpers.news import A2, news_site
from tests.helpers.receiver import Receiver
from tests.helpers.site import page
from verifier.service.app import create_app
from verifier.service.settings import EngineSpec, ServiceSettings

KEY = "watch-key-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
OTHER = {"Authorization": "Bearer another-key-abcdef"}


@pytest.fixture
def service(tmp_path, monkeypatch):
    import os

    for name in list(os.environ):
        if name.startswith(("OPENAI_", "VERIFIER_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("verifier.service.watch_runner.TICK", 0.2)

    def make(allow_private: bool = True):
        settings = ServiceSettings(engine=EngineSpec("offline"), api_keys=(KEY, "another-key-abcdef"), workers=1,
                                   queue=2, timeout=120, data_dir=tmp_path / "data", allow_private_urls=allow_private)
        return TestClient(create_app(settings))
    return make


def _until(client, watch_id: str, passes: int, deadline: float = 120, key: dict = AUTH) -> dict:
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        body = client.get(f"/v1/watches/{watch_id}", headers=key).json()
        if body["passes"] >= passes and body["status"] == "waiting":
            return body
        time.sleep(0.2)
    raise AssertionError(f"pass {passes} did not end: {body}")


def test_a_watch_stores_versions_reports_changes_and_calls_its_webhook(service):
    with news_site() as site, Receiver() as hook, service() as client:
        made = client.post("/v1/watches", headers=AUTH, json={"urls": [site.url("/feed.xml")], "every": "1h",
                                                              "webhook": hook.url})
        assert made.status_code == 201, made.text
        watch = made.json()
        assert watch["every_seconds"] == 3600 and watch["versions_url"].endswith("/versions")
        first = _until(client, watch["id"], 1)
        assert first["events"] == 3 and first["last_failures"] == []

        site.put("/a.html", page("Budget des écoles", A2))  # a figure corrected
        assert client.post(f"/v1/watches/{watch['id']}/passes", headers=AUTH).status_code == 202
        second = _until(client, watch["id"], 2)
        assert second["events"] == 4

        versions = client.get(f"/v1/watches/{watch['id']}/versions", headers=AUTH).json()
        by_url = {s["url"]: s for s in versions["sources"]}
        assert set(by_url) == {site.url(p) for p in ("/a.html", "/b.html", "/c.html")}
        a = by_url[site.url("/a.html")]["versions"]
        assert [v["version"] for v in a] == [1, 2] and "12 → 15" in a[1]["summary"]
        assert all(len(by_url[site.url(p)]["versions"]) == 1 for p in ("/b.html", "/c.html"))

        ends = time.monotonic() + 30
        while time.monotonic() < ends and len(hook.hits) < 4:
            time.sleep(0.1)
        bodies = [json.loads(body) for _, body in hook.hits]
        assert len(bodies) == 4  # three first versions, one change
        changed = [b for b in bodies if b["previous_version"] is not None]
        assert len(changed) == 1 and changed[0]["url"] == site.url("/a.html") and changed[0]["watch"] == watch["id"]
        assert changed[0]["diff"]["pairs"]  # the same JSON as `verifier diff --json`

        # another key: no such watch; deleting keeps the versions
        assert client.get(f"/v1/watches/{watch['id']}", headers=OTHER).status_code == 404
        gone = client.delete(f"/v1/watches/{watch['id']}", headers=AUTH).json()
        assert gone["status"] == "deleted" and gone["next_pass_at"] is None
        assert client.post(f"/v1/watches/{watch['id']}/passes", headers=AUTH).status_code == 409
        assert len(client.get(f"/v1/watches/{watch['id']}/versions", headers=AUTH).json()["sources"]) == 3


def test_watches_refuse_bad_requests_and_private_addresses(service):
    with service(allow_private=False) as client:
        for body, expect in (({"urls": []}, 422), ({"urls": ["ftp://x.example/a"]}, 422),
                             ({"urls": ["https://news.example/a", "https://news.example/a"]}, 422),
                             ({"urls": ["https://news.example/a"], "every": "10s"}, 422),
                             ({"urls": ["http://127.0.0.1:9/feed.xml"]}, 422),
                             ({"urls": ["http://169.254.169.254/latest"]}, 422)):
            r = client.post("/v1/watches", headers=AUTH, json=body)
            assert r.status_code == expect and r.headers["content-type"].startswith("application/problem+json"), \
                (body, r.text)
        assert "from 60 s to" in client.post("/v1/watches", headers=AUTH, json={
            "urls": ["https://news.example/a"], "every": "10s"}).json()["detail"]
        huge = client.post("/v1/watches", headers=AUTH, json={"urls": ["https://news.example/a"],
                                                               "every": "99999999999999h"})
        assert huge.status_code == 422 and "8784 h" in huge.json()["detail"]
        assert client.post("/v1/watches", json={"urls": ["https://news.example/a"]}).status_code == 401
        assert client.get("/v1/watches/watch_nope", headers=AUTH).status_code == 404


def test_two_watches_on_one_address_each_get_every_version(service):
    """Each watch has its own database: the second watch of an address is told of its first version and
    of each change, as the first is, and a key sees only its own watch."""
    with news_site() as site, service() as client:
        url = site.url("/a.html")
        first = client.post("/v1/watches", headers=AUTH, json={"urls": [url], "every": "1h"}).json()
        second = client.post("/v1/watches", headers=OTHER, json={"urls": [url], "every": "1h"}).json()
        _until(client, first["id"], 1)
        _until(client, second["id"], 1, key=OTHER)
        site.put("/a.html", page("Budget des écoles", A2))
        for watch, key in ((first, AUTH), (second, OTHER)):
            client.post(f"/v1/watches/{watch['id']}/passes", headers=key)
            done = _until(client, watch["id"], 2, key=key)
            assert done["events"] == 2, done  # v1 and v1 → v2, for each watch
            versions = client.get(f"/v1/watches/{watch['id']}/versions", headers=key).json()["sources"]
            assert [v["version"] for v in versions[0]["versions"]] == [1, 2]
        assert client.get(f"/v1/watches/{second['id']}", headers=AUTH).status_code == 404
