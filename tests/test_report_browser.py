"""The report in a real browser: Debian's Chromium driven by Playwright.
Nothing is fetched, every highlight is its slice of the article as the page
itself reads it, a summary citation flashes its span into view, and at 1280
and 390 pixels wide nothing overflows or overlaps.  Takes the README's
screenshots at 1280 pixels; ``UPDATE_SCREENSHOTS=1`` writes them to
docs/img/report.png and docs/img/report-diff.png (otherwise to a temporary
folder, so a test run leaves the checkout clean)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, SEED_000, SEED_001
from tests.test_report import revised_001

CHROMIUM = "/usr/bin/chromium"
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - CI installs it with the test extra
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
IMAGES = ROOT / "docs" / "img"
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.compare.diff import diff_analyses
    from verifier.engines import make_engine
    from verifier.ingest.article import article_from_text, read_article
    from verifier.render.html import diff_report_html, report_html

    engine, options = make_engine("offline"), AnalyzeOptions(use_cache=False)
    folder = tmp_path_factory.mktemp("report")
    seed = read_article(str(SEED_000))
    (folder / "report.html").write_text(report_html(seed.text, analyze(seed, engine, options)), "utf-8")
    old_article = read_article(str(SEED_001))
    new_article = article_from_text(revised_001(), "revised.txt", "fr")
    old, new = analyze(old_article, engine, options), analyze(new_article, engine, options)
    page = diff_report_html(old_article.text, old, new_article.text, new, diff_analyses(old, new))
    (folder / "diff.html").write_text(page, "utf-8")
    return {"report": folder / "report.html", "diff": folder / "diff.html"}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser, path: Path, width: int):
    """The page at ``width``, every request but the file itself refused and recorded."""
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 844})
    attempted: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    page.route("**/*", guard)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, attempted


SLICES = """() => {
  const bad = [];
  let n = 0;
  for (const box of document.querySelectorAll('[data-text]')) {
    const json = JSON.parse(document.getElementById(box.dataset.text).textContent);
    const text = Array.from(json);  // offsets are code points, as in Python
    if (box.textContent !== json) bad.push('container ' + box.dataset.text);
    for (const el of box.querySelectorAll('[data-start]')) {
      n++;
      const s = +el.dataset.start, e = +el.dataset.end;
      if (el.textContent !== text.slice(s, e).join('')) bad.push(el.outerHTML.slice(0, 120));
    }
  }
  return {n, bad};
}"""

OVERFLOW = """() => {
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1) && !el.closest('.scroll');
  }).map(el => el.tagName + '.' + el.className);
  return {scroll: document.documentElement.scrollWidth, inner: innerWidth, wide: wide.slice(0, 5)};
}"""


def _boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().toJSON())")


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 and \
        b["top"] < a["bottom"] - 1


@pytest.mark.parametrize("name", ["report", "diff"])
def test_every_highlight_is_its_slice_and_nothing_is_fetched(browser, pages, name):
    page, attempted = _open(browser, pages[name], 1280)
    result = page.evaluate(SLICES)
    assert result["n"] > 10 and result["bad"] == []
    assert attempted == []
    page.close()


def test_a_summary_citation_flashes_its_span_in_view(browser, pages):
    page, _ = _open(browser, pages["report"], 390)
    links = page.locator("a.cite")
    target = links.nth(links.count() - 1).get_attribute("href")[1:]
    assert page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top") > 844  # below the fold
    links.nth(links.count() - 1).click()
    page.wait_for_timeout(100)
    state = page.evaluate(f"""() => {{
      const el = document.getElementById('{target}'), r = el.getBoundingClientRect();
      return {{flash: el.classList.contains('flash'), top: r.top, bottom: r.bottom, h: innerHeight,
              outline: getComputedStyle(el).outlineStyle, focused: document.activeElement === el}};
    }}""")
    assert state["flash"] and state["outline"] != "none" and state["focused"]
    assert 0 <= state["top"] and state["bottom"] <= state["h"]
    page.close()


def test_clicking_a_pair_lights_both_versions(browser, pages):
    page, _ = _open(browser, pages["diff"], 1280)
    changed = page.locator("li.pair.st-changed").first
    pid = changed.get_attribute("id")
    changed.click()
    lit = page.evaluate(f"""() => [...document.querySelectorAll('mark.active')].map(m =>
        [m.closest('[data-text]').dataset.text, m.dataset.pair.split(' ').includes('{pid}')])""")
    assert {side for side, _ in lit} == {"article-text-old", "article-text-new"} and all(ok for _, ok in lit)
    assert "active" in changed.get_attribute("class")
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["report", "diff"])
def test_layout_fits_and_does_not_overlap(browser, pages, name, width, tmp_path):
    page, _ = _open(browser, pages[name], width)
    fit = page.evaluate(OVERFLOW)
    assert fit["scroll"] <= fit["inner"] and fit["wide"] == [], fit
    if name == "report":
        main, side = _boxes(page, "main.article-pane")[0], _boxes(page, "aside.side")[0]
        assert not _overlap(main, side)
        assert (side["left"] >= main["right"]) if width == 1280 else (side["top"] >= main["bottom"])
        legend = _boxes(page, ".legend-list li")
        assert legend and not any(_overlap(a, b) for i, a in enumerate(legend) for b in legend[i + 1:])
    else:
        old, new = _boxes(page, ".version-old")[0], _boxes(page, ".version-new")[0]
        assert not _overlap(old, new)
        if width == 1280:
            assert new["left"] >= old["right"] and abs(new["top"] - old["top"]) < 1  # side by side
        else:
            assert new["top"] >= old["bottom"]  # stacked
            assert old["width"] <= width and new["width"] <= width
    if width == 1280:
        if name == "diff":  # the picture shows a pair lit in both versions
            page.locator("li.pair.st-changed").first.click()
            page.evaluate("window.scrollTo(0, 0)")
        folder = IMAGES if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / ("report.png" if name == "report" else "report-diff.png")
        page.screenshot(path=str(shot))
        assert 10_000 < shot.stat().st_size < 400_000
    page.close()


def test_offsets_are_code_points_in_the_browser_too(browser, tmp_path):
    from verifier.render.html import json_script
    from verifier.render.html.highlight import Mark, highlight

    text = "😀 « Non », a dit 🇫🇷 Paris.\nFin."
    start = text.index("Non")
    marks = [Mark(start, start + 3, "a1"), Mark(0, text.index("Paris") + 5, "a2"), Mark(text.index("dit"), len(text), "c1", "claim")]
    path = tmp_path / "t.html"
    path.write_text(f'<!DOCTYPE html><meta charset="utf-8"><div data-text="t">{highlight(text, marks)}</div>'
                    f'<script type="application/json" id="t">{json_script(text)}</script>', "utf-8")
    page, _ = _open(browser, path, 390)
    result = page.evaluate(SLICES)
    assert result == {"n": 4, "bad": []}
    page.close()
