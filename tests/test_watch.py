"""verifier watch: passes over a loopback news site (feed and article pages), in this process.

Each pass is the real command line (``verifier.cli.main``) with the offline engine; the site counts what
it was asked and how it answered.  Subprocess tests (kill -9, two watchers) are in test_watch_processes.py."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers.cli import in_process
from tests.helpers.news import A2, B2, C1, STORIES, news_site
from tests.helpers.site import page

ARTICLES = list(STORIES)


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``verifier ARGS`` in this process: (exit code, stdout, stderr after the configuration line)."""
    return in_process(monkeypatch, capsys, *args)


def watch(monkeypatch, capsys, db, *urls: str, extra: tuple[str, ...] = ()) -> tuple[int, list[dict], str]:
    code, out, err = run(monkeypatch, capsys, "watch", *urls, "--db", str(db), "--once", "--json", "--delay", "0",
                         "-e", "offline", "--no-cache", *extra)
    assert "Traceback" not in err
    return code, [json.loads(line) for line in out.splitlines()], err


def rows(db, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def versions(db) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for url, number in rows(db, "SELECT s.url, v.number FROM versions v JOIN sources s ON s.id = v.source_id "
                                "ORDER BY s.url, v.number"):
        out.setdefault(url, []).append(number)
    return out


def test_three_passes_keep_one_version_per_text_change(monkeypatch, capsys, tmp_path):
    db = tmp_path / "news.db"
    with news_site() as site:
        feed = site.url("/feed.xml")
        code, events, err = watch(monkeypatch, capsys, db, feed)
        assert code == 0, err
        assert sorted(e["url"] for e in events) == [site.url(p) for p in ARTICLES]
        assert all(e["version"] == 1 and e["previous_version"] is None and e["diff"] is None for e in events)

        # pass 2: a figure corrected in A, a denial added in B, only the page furniture of C changed
        site.put("/a.html", page("Budget des écoles", A2, "Mis à jour à 11:30"))
        site.put("/b.html", page("Bus scolaires", B2, "Mis à jour à 11:30"))
        site.put("/c.html", page("Festival", C1, "Mis à jour à 11:30 · Publicité : soldes"))
        code, events, err = watch(monkeypatch, capsys, db, feed)
        assert code == 0, err
        by_url = {e["url"]: e for e in events}
        assert sorted(by_url) == [site.url("/a.html"), site.url("/b.html")]  # no event for C
        assert site.answers["/c.html"][200] == 2  # C was downloaded again, its text had not changed
        a, b = by_url[site.url("/a.html")], by_url[site.url("/b.html")]
        assert (a["version"], a["previous_version"]) == (2, 1)
        numbers = [c for p in a["diff"]["pairs"] for c in p["changes"] if c["type"] == "number"]
        assert [(c["old"], c["new"]) for c in numbers] == [("12", "15")]
        assert "number 12 → 15" in a["summary"]
        denials = [s for s in b["diff"]["stances"] if s["kind"] == "denial" and s["status"] == "added"]
        assert [s["speaker"] for s in denials] == ["Le ministère des Transports"]
        assert "denial appeared (Le ministère des Transports)" in b["summary"]
        assert versions(db) == {site.url("/a.html"): [1, 2], site.url("/b.html"): [1, 2], site.url("/c.html"): [1]}
        assert rows(db, "SELECT count(*) FROM analyses") == [(5,)]
        assert rows(db, "SELECT count(*) FROM diffs") == [(2,)]

        # pass 3: nothing changed: every page is asked for conditionally and answered 304, nothing downloaded
        site.reset_counts()
        code, events, err = watch(monkeypatch, capsys, db, feed)
        assert code == 0 and events == [], err
        for path in ["/feed.xml", *ARTICLES]:
            assert site.answers[path] == {304: 1}, path
            assert site.headers[path][0]["if-none-match"]
        assert versions(db)[site.url("/a.html")] == [1, 2]


def test_the_event_diff_is_the_diff_commands_json_and_history_lists_the_changes(monkeypatch, capsys, tmp_path):
    db = tmp_path / "news.db"
    with news_site() as site:
        url = site.url("/a.html")
        watch(monkeypatch, capsys, db, url)
        site.put("/a.html", page("Budget des écoles", A2))
        _, events, _ = watch(monkeypatch, capsys, db, url)
        code, out, err = run(monkeypatch, capsys, "diff", f"{url}@1", f"{url}@2", "--db", str(db), "--json",
                             "-e", "offline", "--no-cache")
        assert code == 0, err
        assert json.loads(out) == events[0]["diff"]
        import jsonschema

        from verifier.models import OUTPUT_SCHEMAS

        jsonschema.validate(events[0], OUTPUT_SCHEMAS["watch-event"].model_json_schema())  # `verifier schema`
        code, out, err = run(monkeypatch, capsys, "diff", f"{url}@1", f"{url}@2", "--db", str(db),
                             "-e", "offline")
        assert code == 0 and "12" in out and "15" in out, err

        code, out, err = run(monkeypatch, capsys, "history", url, "--db", str(db), "--json")
        assert code == 0, err
        jsonschema.validate(json.loads(out), OUTPUT_SCHEMAS["history"].model_json_schema())
        code, out, err = run(monkeypatch, capsys, "history", url, "--db", str(db))
        assert code == 0, err
        lines = out.splitlines()
        assert lines[0] == f"{url} (article): 2 version(s)"
        assert "first version" in lines[1] and "v1" in lines[1]
        assert lines[2].lstrip().startswith("v2") and "number 12 → 15" in lines[2]
        code, out, _ = run(monkeypatch, capsys, "history", url, "--db", str(db), "--json")
        found = json.loads(out)
        assert [(v["version"], v["previous_version"]) for v in found["versions"]] == [(1, None), (2, 1)]
        assert found["versions"][1]["summary"] == events[0]["summary"]


def test_diff_of_two_files_still_works(monkeypatch, capsys, tmp_path):
    from tests.helpers.news import A1

    (tmp_path / "old.txt").write_text("\n".join(A1), "utf-8")
    (tmp_path / "new.txt").write_text("\n".join(A2), "utf-8")
    code, out, err = run(monkeypatch, capsys, "diff", "old.txt", "new.txt", "--json", "-e", "offline", "--no-cache")
    assert code == 0, err
    report = json.loads(out)
    assert [c["type"] for p in report["pairs"] for c in p["changes"]] == ["number"]
    assert report["old"]["article"]["source"] == "old.txt"


def test_a_failing_page_is_recorded_and_the_pass_goes_on(monkeypatch, capsys, tmp_path):
    from verifier.ingest import fetch

    monkeypatch.setattr(fetch, "DEADLINE", 1.5)
    monkeypatch.setattr(fetch, "TIMEOUT", 1.0)
    db = tmp_path / "news.db"
    with news_site() as site:
        urls = [site.url(p) for p in ARTICLES]
        watch(monkeypatch, capsys, db, *urls)
        site.status["/a.html"] = 500
        site.hold["/b.html"] = 4.0  # over the deadline
        site.put("/c.html", page("Festival", C1 + ["Le budget du festival atteint 9 millions d'euros."]))
        code, events, err = watch(monkeypatch, capsys, db, *urls)
        assert code == 1
        assert [e["url"] for e in events] == [site.url("/c.html")]  # processed after the two failures
        lines = err.splitlines()
        assert len(lines) == 3, err  # one line per failure, then the error
        assert "HTTP 500" in lines[0] and site.url("/a.html") in lines[0]
        assert "cannot fetch" in lines[1] and "within 1" in lines[1] and site.url("/b.html") in lines[1]
        assert lines[2] == ("verifier: error: 2 address(es) failed in this pass (see above); everything else "
                            "was stored")
        status = dict((u, (s, e)) for u, s, e in rows(db, "SELECT url, last_status, last_error FROM sources"))
        assert status[site.url("/a.html")][0] == "error" and "HTTP 500" in status[site.url("/a.html")][1]
        assert status[site.url("/b.html")][0] == "error"
        assert status[site.url("/c.html")] == ("200", None)
        assert versions(db) == {urls[0]: [1], urls[1]: [1], urls[2]: [1, 2]}


def test_an_item_gone_from_the_feed_is_kept_and_not_fetched_again(monkeypatch, capsys, tmp_path):
    db = tmp_path / "news.db"
    with news_site() as site:
        feed = site.url("/feed.xml")
        watch(monkeypatch, capsys, db, feed)
        site.feed("/feed.xml", [("Budget des écoles", "/a.html"), ("Bus scolaires", "/b.html")])
        site.put("/c.html", page("Festival", C1[:2]))
        site.reset_counts()
        code, events, err = watch(monkeypatch, capsys, db, feed)
        assert code == 0 and events == []
        assert site.requests["/c.html"] == 0
        assert err == (f"verifier: {site.url('/c.html')}: no longer in the feed {feed}; its versions are kept, "
                       "it is not fetched again\n")
        assert versions(db)[site.url("/c.html")] == [1]
        code, out, _ = run(monkeypatch, capsys, "history", site.url("/c.html"), "--db", str(db))
        assert out.startswith(f"{site.url('/c.html')} (article, no longer in its feed): 1 version(s)")
        code, out, _ = run(monkeypatch, capsys, "history", feed, "--db", str(db))
        assert out.splitlines() == [f"{feed} (feed): 0 version(s)",
                                    f"  item {site.url('/a.html')}: 1 version(s)",
                                    f"  item {site.url('/b.html')}: 1 version(s)",
                                    f"  item {site.url('/c.html')}: 1 version(s) (no longer in the feed)"]
        # listed again: followed again
        site.feed("/feed.xml", [(t, p) for p, (t, _) in STORIES.items()])
        _, events, _ = watch(monkeypatch, capsys, db, feed)
        assert [(e["url"], e["version"]) for e in events] == [(site.url("/c.html"), 2)]


def test_robots_conditional_requests_and_the_delay_per_host(monkeypatch, capsys, tmp_path):
    db = tmp_path / "news.db"
    with news_site() as site:
        site.robots = "User-agent: *\nDisallow: /b.html\n"
        urls = [site.url(p) for p in ARTICLES]
        code, out, err = run(monkeypatch, capsys, "watch", *urls, "--db", str(db), "--once", "--delay", "0.3",
                             "-e", "offline", "--no-cache")
        assert code == 0, err
        assert err == f"verifier: {site.url('/b.html')}: skipped, robots.txt disallows it\n"
        assert site.requests["/b.html"] == 0 and site.requests["/robots.txt"] == 1
        assert out.splitlines() == [f"{site.url('/a.html')}: v1: first version",
                                    f"{site.url('/c.html')}: v1: first version"]
        times = sorted(t for path in ("/robots.txt", "/a.html", "/c.html") for t in site.times[path])
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert len(gaps) == 2 and min(gaps) >= 0.29, gaps
        assert all("verifier/" in h["user-agent"] for hs in site.headers.values() for h in hs)
        assert "if-none-match" not in site.headers["/a.html"][0]
        site.reset_counts()
        run(monkeypatch, capsys, "watch", site.url("/a.html"), "--db", str(db), "--once", "--delay", "0",
            "-e", "offline", "--no-cache")
        sent = site.headers["/a.html"][0]
        assert sent["if-none-match"].startswith('"') and sent["if-modified-since"].endswith("GMT")
        assert site.answers["/a.html"] == {304: 1}


def test_a_robots_txt_that_fails_skips_the_host_for_the_pass(monkeypatch, capsys, tmp_path):
    with news_site() as site:
        site.status["/robots.txt"] = 503
        url = site.url("/a.html")
        code, events, err = watch(monkeypatch, capsys, tmp_path / "news.db", url)
        assert (code, events) == (0, [])
        assert err == f"verifier: {url}: skipped, its robots.txt could not be read (HTTP 503); the host is skipped this pass\n"
        assert site.requests["/a.html"] == 0


def test_report_dir_and_webhook(monkeypatch, capsys, tmp_path):
    from tests.helpers.receiver import Receiver
    from verifier.service.webhooks import sign

    monkeypatch.setenv("VERIFIER_WEBHOOK_SECRET", "s3cret-for-tests")
    db, reports = tmp_path / "news.db", tmp_path / "reports"
    with news_site() as site, Receiver([500, 204]) as hooks:
        url = site.url("/a.html")
        extra = ("--report-dir", str(reports), "--webhook", hooks.url)
        watch(monkeypatch, capsys, db, url, extra=extra)
        site.put("/a.html", page("Budget des écoles", A2))
        code, events, err = watch(monkeypatch, capsys, db, url, extra=extra)
        assert code == 0, err
        bodies = [json.loads(body) for _, body in hooks.hits]
        assert [(b["version"], b["previous_version"]) for b in bodies] == [(1, None), (1, None), (2, 1)]  # 500 retried
        assert bodies[-1] == events[0]
        headers, body = hooks.hits[-1]
        assert headers["X-Verifier-Signature"] == sign(body, "s3cret-for-tests")
        written = sorted(p.name for p in reports.iterdir())
        assert len(written) == 2 and "index.html" in written
        report = next(p for p in reports.iterdir() if p.name != "index.html")
        assert report.name.endswith("-v1-v2.html") and "15 millions" in report.read_text("utf-8")
        index = (reports / "index.html").read_text("utf-8")
        assert f'href="{report.name}"' in index and "number 12 → 15" in index


def test_a_version_left_without_analysis_is_completed_by_the_next_pass(monkeypatch, capsys, tmp_path):
    from verifier.watch import Store, text_sha256

    db = tmp_path / "news.db"
    with news_site() as site:
        url = site.url("/a.html")
        watch(monkeypatch, capsys, db, url)
        store = Store(db)  # as a pass killed after storing the text, before its analysis and diff
        text = "\n".join(["Budget des écoles", *A2])
        store.add_version(store.find(url).id, text, text_sha256(text), etag=None, last_modified=None,
                          final_url=url, title=None)
        store.close()
        assert rows(db, "SELECT count(*) FROM analyses") == [(1,)]
        site.put("/a.html", page("Budget des écoles", A2))
        code, events, err = watch(monkeypatch, capsys, db, url)
        assert code == 0, err
        assert [(e["version"], e["previous_version"]) for e in events] == [(2, 1)]  # completed, not stored again
        assert "number 12 → 15" in events[0]["summary"]
        assert versions(db) == {url: [1, 2]}
        assert rows(db, "SELECT count(*) FROM analyses") == [(2,)] and rows(db, "SELECT count(*) FROM diffs") == [(1,)]


@pytest.mark.parametrize("args, code, message", [
    (["watch", "http://127.0.0.1:9/a", "--db", "x.db", "--every", "soon"], 4, "--every 'soon': give a duration"),
    (["watch", "http://127.0.0.1:9/a", "--db", "x.db", "--every", "0s"], 4, "--every '0s': give a duration"),
    (["watch", "a.html", "--db", "x.db", "--once"], 3, "a.html: watch takes http(s):// addresses"),
    (["history", "http://127.0.0.1:9/a", "--db", "missing.db"], 3, "missing.db: no watch database there"),
    (["watch", "http://127.0.0.1:9/a", "--db", "x.db", "--webhook", "hooks"], 4, "--webhook hooks: give an http"),
    (["watch", "http://127.0.0.1:9/a", "--db", "x.db", "--report-dir", "taken"], 4, "--report-dir taken: not a dir"),
])
def test_bad_input_is_one_line_and_a_non_zero_exit(monkeypatch, capsys, tmp_path, args, code, message):
    (tmp_path / "taken").write_text("a file", "utf-8")
    got, out, err = run(monkeypatch, capsys, *args)
    assert got == code and out == ""
    assert err.startswith(f"verifier: error: {message}") and err.count("\n") == 1, err


def test_unknown_versions_and_addresses_in_the_db(monkeypatch, capsys, tmp_path):
    db = tmp_path / "news.db"
    with news_site() as site:
        url = site.url("/a.html")
        watch(monkeypatch, capsys, db, url)
    for args, message in [
        (["diff", f"{url}@1", f"{url}@9"], f"{url}@9: no such version in {db} (it has versions 1 to 1)"),
        (["diff", f"{url}@1", "old.txt"], "old.txt: with --db, give stored versions as URL@N (e.g. https://example.org/a@2)"),
        (["diff", "http://nowhere.example/x@1", f"{url}@1"], "http://nowhere.example/x@1: no such version in "
                                                             f"{db} (it is not watched there)"),
    ]:
        got, out, err = run(monkeypatch, capsys, *args, "--db", str(db), "-e", "offline")
        assert (got, out) == (3, "") and err == f"verifier: error: {message}\n"
    got, _, err = run(monkeypatch, capsys, "history", "http://nowhere.example/x", "--db", str(db))
    assert got == 3 and err == f"verifier: error: http://nowhere.example/x: not watched in {db}\n"


def test_every_accepts_seconds_minutes_and_hours():
    from verifier.cli.watch_cmd import parse_every

    assert [parse_every(v) for v in ("90", "30s", "15m", "2h", "1.5m")] == [90, 30, 900, 7200, 90]


def test_the_library_reports_a_quote_removed(tmp_path):
    from verifier.engines import make_engine
    from verifier.watch import Store, WatchOptions, run_pass

    store = Store(tmp_path / "news.db")
    engine, options = make_engine("offline"), WatchOptions(delay=0, use_cache=False)
    with news_site() as site:
        url = site.url("/c.html")
        first = run_pass(store, [url], engine, options)
        assert [c.line for c in first.changes] == [f"{url}: v1: first version"]
        site.put("/c.html", page("Festival", [C1[0], C1[2]]))  # the director's quote removed
        second = run_pass(store, [url], engine, options)
    assert second.failures == [] and len(second.changes) == 1
    line = second.changes[0].line
    assert line.startswith(f"{url}: v1 → v2: ")
    assert "quote removed «La Bretagne reste une terre d'accueil»" in line
    assert "speaker removed (Jean-Paul Riou)" in line
    assert [v.number for v in store.versions(url)] == [1, 2]


def test_feeds_are_told_from_pages_and_their_links_read():
    from verifier.watch.feeds import is_feed, items

    atom = (b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>J</title>'
            b'<entry><title>Un</title><link href="/2026/un.html"/><id>1</id></entry>'
            b'<entry><title>Deux</title><link href="https://example.org/deux.html"/><id>2</id></entry>'
            b'<entry><title>Encore un</title><link href="/2026/un.html"/><id>3</id></entry></feed>')
    assert is_feed("application/atom+xml", atom) and is_feed("text/xml", atom) and is_feed("", atom)
    assert not is_feed("text/html", b"<!doctype html><html><body><p>rss</p></body></html>")
    assert not is_feed("", b"<!doctype html><html><body><p>rss</p></body></html>")
    assert [(i.url, i.title) for i in items(atom, "https://example.org/feed.xml")] == [
        ("https://example.org/2026/un.html", "Un"), ("https://example.org/deux.html", "Deux")]


def test_a_bug_on_one_page_is_recorded_and_the_pass_goes_on(monkeypatch, tmp_path):
    from verifier.engines import make_engine
    from verifier.watch import Store, WatchOptions, passes, run_pass

    real = passes.article_from_bytes

    def broken(data, source, *args, **kwargs):
        if source.endswith("/a.html"):
            raise RuntimeError("boom")
        return real(data, source, *args, **kwargs)

    monkeypatch.setattr(passes, "article_from_bytes", broken)
    store = Store(tmp_path / "news.db")
    notices: list[str] = []
    with news_site() as site:
        result = run_pass(store, [site.url("/a.html"), site.url("/b.html")], make_engine("offline"),
                          WatchOptions(delay=0, use_cache=False), warn=notices.append)
    assert result.failures == [f"{site.url('/a.html')}: internal error: RuntimeError: boom"]
    assert notices == [f"warning: {site.url('/a.html')}: internal error: RuntimeError: boom"]
    assert [e.url for e in result.events] == [site.url("/b.html")]
    assert store.versions(site.url("/a.html")) == []


def test_webhook_sends_never_hold_the_pass_and_exit_waits_a_bounded_time():
    import threading
    import time

    from verifier.watch.notify import Notifier

    release, sent = threading.Event(), []

    def slow_send(payload: dict) -> None:
        release.wait(10)
        sent.append(payload)

    notifier = Notifier(slow_send)
    start = time.monotonic()
    for n in range(3):
        notifier.post({"version": n})
    assert time.monotonic() - start < 0.5  # posting does not wait for the receiver
    assert notifier.close(wait=0.3) is False and time.monotonic() - start < 2  # gave up after its wait
    release.set()
    done = Notifier(sent.append)
    done.post({"version": 9})
    assert done.close(wait=5) is True and {"version": 9} in sent


def test_feed_preambles_and_odd_links():
    """A stylesheet instruction, a BOM or a DOCTYPE before the root is still a feed; javascript:, mailto:
    and file: links are never followed."""
    from verifier.watch.feeds import is_feed, items

    rss = (b'<rss version="2.0"><channel><title>J</title>'
           b'<item><title>A</title><link>/a.html</link></item>'
           b'<item><title>B</title><link>javascript:alert(1)</link></item>'
           b'<item><title>C</title><link>mailto:x@example.org</link></item>'
           b'<item><title>D</title><link>file:///etc/passwd</link></item></channel></rss>')
    for preamble in (b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="/rss.xsl"?>\n',
                     b'\xef\xbb\xbf<?xml version="1.0"?>', b'<!DOCTYPE rss PUBLIC "-//N//DTD RSS 0.91//EN" "x">\n'):
        assert is_feed("text/xml", preamble + rss) and is_feed("", preamble + rss), preamble
    assert [i.url for i in items(rss, "https://example.org/feed.xml")] == ["https://example.org/a.html"]


def test_robots_rules_for_verifier_apply_and_any_content_type_is_read(monkeypatch, capsys, tmp_path):
    """robots.txt groups name the product token (`User-agent: verifier`), not the browser-like User-Agent;
    a robots.txt served as application/octet-stream is still read."""
    with news_site() as site:
        site.robots = "User-agent: verifier\nDisallow: /a.html\n\nUser-agent: Mozilla\nDisallow: /c.html\n"
        site.robots_type = "application/octet-stream"
        code, out, err = run(monkeypatch, capsys, "watch", site.url("/a.html"), site.url("/c.html"), "--db",
                             str(tmp_path / "news.db"), "--once", "--delay", "0", "-e", "offline", "--no-cache")
        assert code == 0 and err == f"verifier: {site.url('/a.html')}: skipped, robots.txt disallows it\n", err
        assert site.requests["/a.html"] == 0 and out == f"{site.url('/c.html')}: v1: first version\n"


def test_a_pass_completes_and_tells_only_its_own_addresses(monkeypatch, capsys, tmp_path):
    """A version left without its diff belongs to whoever watches its address: another watcher's pass on
    the same database neither completes it nor prints its event."""
    db = tmp_path / "news.db"
    with news_site() as site:
        a, b = site.url("/a.html"), site.url("/b.html")
        watch(monkeypatch, capsys, db, a, b)
        site.put("/a.html", page("Budget des écoles", A2))
        watch(monkeypatch, capsys, db, a)
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM diffs")  # as a pass killed between the version and its diff leaves it
        code, events, err = watch(monkeypatch, capsys, db, b)
        assert code == 0 and events == [], err
        code, events, err = watch(monkeypatch, capsys, db, a)
        assert [(e["url"], e["version"]) for e in events] == [(a, 2)] and "number 12 → 15" in events[0]["summary"]


def test_diff_of_stored_versions_reads_the_database_only(monkeypatch, capsys, tmp_path):
    db = tmp_path / "news.db"
    with news_site() as site:
        url = site.url("/a.html")
        watch(monkeypatch, capsys, db, url)
        site.put("/a.html", page("Budget des écoles", A2))
        watch(monkeypatch, capsys, db, url)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE analyses SET engine = 'llm', model = 'gpt-x'")  # analyses made by another engine
    before = rows(db, "SELECT version_id, engine, model, analysis_json FROM analyses ORDER BY version_id")
    code, out, err = run(monkeypatch, capsys, "diff", f"{url}@1", f"{url}@2", "--db", str(db), "-e", "offline",
                         "--no-cache", "--json")
    assert code == 0 and json.loads(out)["pairs"], err
    assert rows(db, "SELECT version_id, engine, model, analysis_json FROM analyses ORDER BY version_id") == before


def test_a_feed_over_the_size_limit_fails_and_keeps_its_items(monkeypatch, capsys, tmp_path):
    from verifier.watch import passes

    db = tmp_path / "news.db"
    with news_site() as site:
        feed = site.url("/feed.xml")
        code, events, err = watch(monkeypatch, capsys, db, feed)
        assert code == 0 and len(events) == 3
        monkeypatch.setattr(passes, "MAX_BYTES", 200)  # the feed is now "too large": cut, it must not be read
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE sources SET etag = NULL, last_modified = NULL")  # downloaded again, not a 304
        code, events, err = watch(monkeypatch, capsys, db, feed)
        assert code == 1 and "the feed is larger than" in err and events == []
        assert rows(db, "SELECT count(*) FROM sources WHERE parent_id IS NOT NULL AND in_feed = 1") == [(3,)]


def test_a_pass_stops_at_its_time_and_says_so(monkeypatch, tmp_path):
    from verifier.engines import make_engine
    from verifier.watch import Store, WatchOptions, run_pass

    with news_site() as site:
        store = Store(tmp_path / "news.db")
        said: list[str] = []
        result = run_pass(store, [site.url(p) for p in ARTICLES], make_engine("offline"),
                          WatchOptions(delay=0, use_cache=False, pass_seconds=1e-9), warn=said.append)
        store.close()
    assert result.events == [] and len(result.failures) == 1 and "took longer than" in result.failures[0]
    assert sum(site.requests.values()) == 0 and len(said) == 1
