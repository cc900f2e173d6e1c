"""``verifier report``: the span-nesting algorithm on hand-made spans, the
page on a seed (self-contained, every highlight the article's own slice,
every grounded attribution highlighted, the ungrounded listed apart), the
two-version page and the command."""

from __future__ import annotations

import random

import pytest
from typer.testing import CliRunner

from tests.helpers.cli import run_cli
from tests.helpers.html_page import embedded_text, external_references, read_page
from tests.helpers.paths import SEED_000, SEED_001
from verifier.analysis import AnalyzeOptions, analyze
from verifier.compare.diff import diff_analyses
from verifier.engines import make_engine
from verifier.ingest.article import article_from_text, read_article
from verifier.models import Grounding, Reason
from verifier.render.html import diff_report_html, json_script, report_html
from verifier.render.html.highlight import Mark, fragments, highlight

NO_CACHE = AnalyzeOptions(use_cache=False)
TEXT = "Le 3 mai, <Musk> & Poutine ont parlé.\nDeuxième paragraphe : « rien » dit-il."


def _page_of(text: str, marks: list[Mark]):
    page = read_page(f'<div data-text="t">{highlight(text, marks)}</div>')
    assert page.containers["t"] == text
    for m in page.marks:
        start, end = int(m.attrs["data-start"]), int(m.attrs["data-end"])
        assert m.text == text[start:end], (m.attrs, m.text)
    return page


def _cover(page, ref: str, attribute: str = "data-attribution") -> list[tuple[int, int]]:
    return sorted((int(m.attrs["data-start"]), int(m.attrs["data-end"])) for m in page.marks_of(attribute, ref))


# --------------------------------------------------------------------------
# the nesting algorithm
# --------------------------------------------------------------------------


def test_crossing_spans_are_split_at_the_boundary():
    page = _page_of(TEXT, [Mark(3, 20, "a1"), Mark(10, 30, "a2")])
    assert _cover(page, "a1") == [(3, 20)]
    assert _cover(page, "a2") == [(10, 20), (20, 30)]  # one piece inside a1, the rest after it
    assert len(page.marks_of("id", "x")) == 0


def test_nested_identical_and_adjacent_spans_stay_whole():
    page = _page_of(TEXT, [Mark(0, 30, "a1"), Mark(4, 9, "a2"), Mark(4, 9, "a3"), Mark(30, 37, "a4"),
                           Mark(9, 15, "a5")])
    for ref, span in (("a1", (0, 30)), ("a2", (4, 9)), ("a3", (4, 9)), ("a4", (30, 37)), ("a5", (9, 15))):
        assert _cover(page, ref) == [span]


def test_three_spans_crossing_in_a_chain():
    page = _page_of(TEXT, [Mark(0, 12, "a"), Mark(6, 20, "b"), Mark(10, 25, "c")])
    assert _cover(page, "a") == [(0, 12)]
    assert _cover(page, "b") == [(6, 12), (12, 20)]
    # after a's end, c's rest is the longer: it opens first and b's rest nests in it
    assert _cover(page, "c") == [(10, 12), (12, 25)]


def test_only_the_first_fragment_is_a_link_target_and_the_last_carries_the_badge():
    page = _page_of(TEXT, [Mark(3, 20, "a1"), Mark(10, 30, "a2", anchor="span-a2", last_attrs=(("data-badge", "denial"),))])
    pieces = page.marks_of("data-attribution", "a2")
    assert [p.attrs.get("id") for p in pieces] == ["span-a2", None]
    assert [p.attrs.get("data-badge") for p in pieces] == [None, "denial"]
    assert {p.attrs["data-span"] for p in pieces} == {"span-a2"}


def test_text_is_escaped_and_marks_outside_the_text_or_empty_are_dropped():
    html = str(highlight(TEXT, [Mark(10, 16, "a1"), Mark(5, 5, "a2"), Mark(50, 500, "a3"), Mark(-1, 3, "a4")]))
    assert "<Musk>" not in html and "&lt;Musk&gt;" in html and "&amp;" in html
    page = _page_of(TEXT, [Mark(10, 16, "a1"), Mark(5, 5, "a2"), Mark(50, 500, "a3"), Mark(-1, 3, "a4")])
    assert [m.attrs["data-attribution"] for m in page.marks] == ["a1"]


def test_random_spans_always_nest_and_cover_exactly_their_slice():
    rng = random.Random(17)
    for _ in range(300):
        n = rng.randint(0, 8)
        marks = []
        for k in range(n):
            a, b = sorted(rng.sample(range(len(TEXT) + 1), 2))
            marks.append(Mark(a, b, f"m{k}", rng.choice(["attribution", "claim"])))
        page = _page_of(TEXT, marks)
        for m in marks:
            pieces = _cover(page, m.ref, f"data-{m.kind}")
            assert pieces[0][0] == m.start and pieces[-1][1] == m.end
            assert all(x[1] == y[0] for x, y in zip(pieces, pieces[1:]))  # contiguous, no overlap
        assert len(fragments(len(TEXT), marks)) == len(page.marks)


def test_json_for_a_script_element_cannot_close_it():
    out = str(json_script("a </script><!-- b & c"))
    assert "</" not in out and "<!--" not in out
    import json

    assert json.loads(out) == "a </script><!-- b & c"


# --------------------------------------------------------------------------
# a report on a seed
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offline():
    return make_engine("offline")


@pytest.fixture(scope="module")
def seed(offline):
    article = read_article(str(SEED_000))
    return article, analyze(article, offline, NO_CACHE)


def _check_marks(page, text: str, container: str) -> None:
    assert page.containers[container] == text
    assert embedded_text(page, container) == text
    for m in page.marks:
        if m.inside == container:
            start, end = int(m.attrs["data-start"]), int(m.attrs["data-end"])
            assert m.text == text[start:end], m.attrs


def test_seed_report_is_self_contained_and_every_highlight_is_its_slice(seed):
    article, analysis = seed
    html = report_html(article.text, analysis)
    assert external_references(html) == []
    assert "<style>" in html and "<script>" in html
    page = read_page(html)
    assert len(page.marks) > len(analysis.attributions)
    assert all(m.inside == "article-text" for m in page.marks)
    assert page.text_of("lang", "fr") == article.text  # the article is marked French for screen readers
    _check_marks(page, article.text, "article-text")


def test_every_grounded_attribution_is_highlighted_with_its_speaker_colour(seed):
    article, analysis = seed
    page = read_page(report_html(article.text, analysis))
    grounded = [a for a in analysis.attributions if a.grounded]
    assert len(grounded) >= 10
    for a in grounded:
        pieces = [m for m in page.marks_of("data-attribution", a.id) if "hl-attribution" in m.attrs["class"]]
        spans = sorted((int(m.attrs["data-start"]), int(m.attrs["data-end"])) for m in pieces)
        assert spans[0][0] == a.evidence.start and spans[-1][1] == a.evidence.end, a.id
        assert all(x[1] == y[0] for x, y in zip(spans, spans[1:]))
        assert a.speaker.name in pieces[0].attrs["title"] and a.kind.value in pieces[0].attrs["title"]
        if a.is_denial:
            assert any(m.attrs.get("data-badge") == "denial" for m in page.marks
                       if m.attrs.get("data-end") == str(a.evidence.end))
    legend = page.text_of("class", "legend-list")
    assert "Dmitri Peskov" in legend and "Karoline Leavitt" in legend


def test_summary_and_claims_link_to_existing_spans(seed):
    article, analysis = seed
    html = report_html(article.text, analysis)
    page = read_page(html)
    links = [e.attrs["href"] for e in page.elements if e.tag == "a" and e.attrs.get("href", "").startswith("#")]
    assert any(h.startswith("#span-s1-") for h in links) and any(h.startswith("#span-c1-") for h in links)
    assert all(h[1:] in page.ids for h in links)
    assert "asserted" in page.text_of("id", "claims") and "denied" in page.text_of("id", "claims")


def test_ungrounded_items_are_listed_with_why_and_never_highlighted(seed):
    article, analysis = seed
    reason = Reason(kind="not_found", message="the quote « il a promis 40 satellites » is not in the article")
    bad = Grounding(status="not_found", reasons=[reason])
    attribution = analysis.attributions[0].model_copy(update={
        "grounded": False, "grounding": bad, "speaker": analysis.attributions[0].speaker.model_copy(
            update={"name": "</script><script>alert(1)</script>"})})
    claim = analysis.claims[0].model_copy(update={"grounded": False, "grounding": Grounding(
        status="altered", reasons=[Reason(kind="number", message="the quote differs in a number")])})
    sentence = analysis.summary[0].model_copy(update={"grounded": False, "grounding": Grounding(status="unsupported")})
    changed = analysis.model_copy(update={"attributions": [attribution, *analysis.attributions[1:]],
                                          "claims": [claim, *analysis.claims[1:]],
                                          "summary": [sentence, *analysis.summary[1:]]})
    html = report_html(article.text, changed)
    assert "<script>alert(1)" not in html
    page = read_page(html)
    _check_marks(page, article.text, "article-text")
    assert page.marks_of("data-attribution", attribution.id) == []
    assert page.marks_of("data-claim", claim.id) == []
    assert page.marks_of("data-cite", "s1") == []
    section = page.text_of("id", "not-grounded")
    assert "il a promis 40 satellites" in section and "differs in a number" in section
    assert "</script><script>alert(1)</script>" in section
    assert {e.attrs["data-ungrounded"] for e in page.elements if "data-ungrounded" in e.attrs} == \
        {attribution.id, claim.id, "s1"}
    # the others are still there
    assert page.marks_of("data-attribution", analysis.attributions[1].id)


def test_an_article_holding_a_closing_script_tag_stays_in_its_element(seed):
    _, analysis = seed
    text = "Il écrit </script><script>alert(1)</script> & <b>rien</b>."
    empty = analysis.model_copy(update={"claims": [], "attributions": [], "summary": []})
    page = read_page(report_html(text, empty, title="t </title>"))
    _check_marks(page, text, "article-text")
    assert page.text_of("class", "legend") and "t </title>" in page.text_of("class", "top")


# --------------------------------------------------------------------------
# two versions
# --------------------------------------------------------------------------


def revised_001() -> str:
    """SEED_001 with a date changed, a sentence removed and one added (as in test_diff)."""
    text = SEED_001.read_text("utf-8")
    removed = "Entre-temps, le ministère américain de la Défense a conclu un contrat avec SpaceX destiné à cet effet."
    return text.replace("fin 2022", "début 2023").replace(removed, "") + \
        "\nSelon le Pentagone, 12 satellites espions de SpaceX ont été lancés en mars 2024.\n"


def test_two_versions_side_by_side_with_labelled_changes(offline):
    old_article = read_article(str(SEED_001))
    new_article = article_from_text(revised_001(), "revised", "fr")
    old, new = analyze(old_article, offline, NO_CACHE), analyze(new_article, offline, NO_CACHE)
    report = diff_analyses(old, new)
    html = diff_report_html(old_article.text, old, new_article.text, new, report)
    assert external_references(html) == []
    page = read_page(html)
    _check_marks(page, old_article.text, "article-text-old")
    _check_marks(page, new_article.text, "article-text-new")
    pairs = {e.attrs["id"]: e for e in page.elements if "data-pair-id" in e.attrs}
    assert len(pairs) == len(report.pairs)
    dated = [p for p in pairs.values() if "date: fin 2022 → début 2023" in p.text]
    assert len(dated) == 1 and "changed" in dated[0].attrs["class"]
    assert any("st-removed" in p.attrs["class"] for p in pairs.values())
    assert any("st-added" in p.attrs["class"] and "12 satellites" in p.text for p in pairs.values())
    # the changed pair's claims are highlighted on both sides, linked by the pair's id
    pid = dated[0].attrs["id"]
    linked = [m for m in page.marks if pid in m.attrs.get("data-pair", "").split()]
    assert {m.inside for m in linked} == {"article-text-old", "article-text-new"}
    assert all(h[1:] in page.ids for h in (e.attrs["href"] for e in page.elements
                                           if e.tag == "a" and e.attrs.get("href", "").startswith("#")))
    assert "Pentagone" in page.text_of("class", "sources")


# --------------------------------------------------------------------------
# the command
# --------------------------------------------------------------------------


def test_cli_writes_the_report_atomically(tmp_path, offline):
    from verifier.cli import app

    out = tmp_path / "out.html"
    result = CliRunner().invoke(app, ["report", str(SEED_000), "--engine", "offline", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert external_references(html) == []
    page = read_page(html)
    _check_marks(page, read_article(str(SEED_000)).text, "article-text")
    assert page.marks_of("data-attribution", "a1")
    assert not list(tmp_path.glob("*.tmp*"))


def test_cli_against_prints_the_two_version_page(tmp_path, offline):
    from verifier.cli import app

    new = tmp_path / "new.txt"
    new.write_text(revised_001(), "utf-8")
    result = CliRunner().invoke(app, ["report", str(new), "--against", str(SEED_001), "--engine", "offline"])
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("<!DOCTYPE html>")
    page = read_page(result.stdout[result.stdout.index("<!DOCTYPE"):])
    assert "date: fin 2022 → début 2023" in page.text_of("class", "pair-list")
    assert page.containers["article-text-new"] == read_article(str(new)).text


@pytest.mark.parametrize("args,code,message", [
    (["report", "nope.txt"], 3, "no such file"),
    (["report", str(SEED_000), "--against", "missing.txt"], 3, "no such file"),
    (["report", str(SEED_000), "--engine", "gpt"], 4, "unknown engine"),
    (["report", "-", "--against", "-"], 3, "only one of ARTICLE and --against"),
])
def test_bad_input_is_one_line_and_an_exit_code(args, code, message):
    proc = run_cli(*args)
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert proc.stdout == b""


def test_the_external_reference_finder_finds_them():
    for bad in ('<link rel="stylesheet" href="a.css">', '<script src="x.js"></script>', '<img src="https://x/y.png">',
                "<a href='//cdn.example/x'>", "body { background: url(img.png) }", "@import 'x.css';"):
        assert external_references(bad), bad
    assert external_references('<a href="#span-a1">x</a> <p>https://example.org in text</p> url(data:x)') == []
