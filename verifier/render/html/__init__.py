"""Self-contained HTML reports: one file, its CSS and JS inlined, nothing
fetched (works offline and as an e-mail attachment).

>>> from verifier.render.html import report_html
>>> page = report_html(article.text, analysis)

The Analysis does not carry the article's text: callers pass the text its
offsets index (``Article.text``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup

from verifier.models import Analysis, DiffOutput

_PACKAGE = "verifier.render.html"


def _asset(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text("utf-8")


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FunctionLoader(_asset), autoescape=select_autoescape(default=True,
                      default_for_string=True, enabled_extensions=("html", "j2")))
    env.filters["json_script"] = json_script
    return env


def json_script(value) -> Markup:
    """``value`` as JSON safe inside a ``<script type="application/json">``
    (no ``</``, no ``<!--``: the element cannot be closed early)."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _page(template: str, **context) -> str:
    return _env().get_template(template).render(css=Markup(_asset("report.css")),
                                                js=Markup(_asset("report.js")), **context)


def report_html(text: str, analysis: Analysis, *, title: str | None = None) -> str:
    """The report of one analysed article: its text with every grounded
    attribution's evidence highlighted (one colour per speaker), the claims,
    the summary and the items not grounded."""
    from verifier.render.html.report import build

    return _page("report.html.j2", view=build(text, analysis, title))


def diff_report_html(old_text: str, old: Analysis, new_text: str, new: Analysis, report: DiffOutput, *,
                     title: str | None = None) -> str:
    """Two versions side by side, their aligned claims linked and each change labelled."""
    from verifier.render.html.diff_report import build_diff

    return _page("diff.html.j2", view=build_diff(old_text, old, new_text, new, report, title))


__all__ = ["report_html", "diff_report_html"]
