"""The real CLI against a loopback endpoint that fabricates its answers from the article it is sent.

``tests/helpers/fabricator.py`` answers every request with a draft built from the request's own
article: faithful (verbatim quotes with the variations a real model makes), with one fact changed
inside a quote (``altered_quote``), or with one fact changed in the item's own words
(``altered_paraphrase``), and keeps a ledger of what it changed.  Grounding must keep every faithful
item, flag every altered quote ``altered`` with the span's difference, and flag every altered
paraphrase ``unsupported`` with a reason of the kind changed.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.fabricator import MODES, Fabricator, sha256
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer

FRENCH = """Grève à la SNCF : la direction dément tout accord

Le syndicat Sud-Rail a annoncé mardi 14 mars 2023 une grève de trois jours sur les lignes de la région lyonnaise. \
Selon la direction régionale, 42 trains sur 120 seront supprimés chaque jour pendant le mouvement.

Marie Durand, secrétaire générale du syndicat, a affirmé que les conducteurs réclament une hausse de 6 % de leurs \
salaires. « Nous ne reprendrons pas le travail tant que la direction refusera de négocier sérieusement », a déclaré \
Marie Durand devant la gare de la Part-Dieu. Elle a également souligné que 85 % des agents avaient voté pour la \
grève lors d’une assemblée générale.

Le directeur régional, Laurent Perrin, a démenti toute rencontre secrète avec les syndicats. « Aucun accord n’a été \
signé, et aucune réunion n’est prévue avant le 20 mars », a-t-il assuré dans un communiqué. Le ministre des \
Transports, Clément Beaune, n’a pas souhaité commenter la situation.

Les usagers, qui subissent déjà des retards depuis janvier, devront trouver des solutions de remplacement. En 2022, \
un mouvement similaire avait duré deux semaines et coûté 15 millions d’euros à l’entreprise.
"""

ENGLISH = """City council rejects stadium deal

The Springfield city council voted 7 to 2 on Tuesday to reject a $450 million stadium proposal backed by \
developer Thomas Reed. According to the city budget office, the project would have required 120 million dollars \
in public funds over ten years.

Mayor Linda Carter said the vote was a victory for taxpayers. “We will not hand a blank check to a private \
company while our schools are underfunded,” Carter told reporters after the meeting.

Reed denied that his company had asked for any tax exemption. “At no point did we request special treatment from \
the council,” he said in a statement on Wednesday. The proposal had been under review since March 2021, when \
three council members first raised concerns about its cost.

Council member James Ortiz, who voted in favour, said the city could lose 2,000 construction jobs. A spokesperson \
for the state governor declined to comment. The developer has not announced whether it will submit a revised plan \
before the election in November.
"""

ARTICLES = {"fr": FRENCH, "en": ENGLISH}
COMMANDS = {"claims": "claims", "who-said-what": "attributions", "summarize": "summary"}
ID = {"claims": "c", "attributions": "a"}


def _env(server, tmp_path, name: str) -> dict:
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": SENTINEL_KEY, "VERIFIER_MODEL": "fabricated",
            "VERIFIER_CACHE_DIR": str(tmp_path / f"cache-{name}"), "VERIFIER_MAX_ATTEMPTS": "2",
            "VERIFIER_MAX_REASKS": "0"}


def _analyse(tmp_path, language: str, fabricator: Fabricator) -> dict[str, list[dict]]:
    """The three commands' JSON lists (claims, attributions, summary) for one article."""
    article = tmp_path / f"{language}.txt"
    article.write_text(ARTICLES[language], "utf-8")
    out: dict[str, list[dict]] = {}
    with LoopbackServer(responder=fabricator) as server:
        env = _env(server, tmp_path, f"{language}-{fabricator.mode}")
        for command, key in COMMANDS.items():
            proc = run_cli(command, str(article), "--engine", "llm", "--json", env=env)
            assert proc.returncode == 0, proc.stderr.decode()
            out[key] = json.loads(proc.stdout)[key]
    assert len(server.requests) == 1  # one analysis, cached for the other two commands
    return out


def _spans(item: dict, list_name: str) -> list[dict]:
    if list_name == "claims":
        return item["evidence"]
    if list_name == "summary":
        return item["citations"]
    return [item["evidence"]] + ([item["content_span"]] if item.get("content_span") else [])


def _span_of(item: dict, entry: dict) -> dict | None:
    """The span of ``item`` that the ledger ``entry`` altered."""
    if entry["list"] == "attributions":
        return item["evidence"] if entry["field"] == "evidence" else item.get("content_span")
    return _spans(item, entry["list"])[entry["position"] or 0]


def _label(entry: dict, item: dict) -> str:
    ident = item.get("id") or f"s{entry['index'] + 1}"
    return (f"{ident} ({entry['kind'] or 'faithful'} in {entry['field'] or '-'}: engine {entry['engine_value']!r}, "
            f"article {entry['article_value']!r}; engine text {entry['engine_text']!r}) -> grounded="
            f"{item['grounded']} grounding={json.dumps(item.get('grounding'), ensure_ascii=False)}")


def _check(fabricator: Fabricator, language: str, out: dict[str, list[dict]]) -> list[str]:
    """What grounding got wrong, one line per item."""
    entries = fabricator.entries(ARTICLES[language])
    assert entries, "the fabricator saw no request for this article"
    problems: list[str] = []
    for entry in entries:
        items = out[entry["list"]]
        assert entry["index"] < len(items), entry
        item = items[entry["index"]]
        if entry["list"] in ID:
            assert item["id"] == f"{ID[entry['list']]}{entry['index'] + 1}"
        grounding = item.get("grounding") or {}
        if not entry["altered"]:
            differences = [d for s in _spans(item, entry["list"]) for d in s.get("differences", [])]
            if not item["grounded"] or grounding.get("status") != "grounded" or differences:
                problems.append("faithful item flagged: " + _label(entry, item))
            continue
        if item["grounded"]:
            problems.append("altered item kept: " + _label(entry, item))
            continue
        if fabricator.mode == "altered_quote":
            span = _span_of(item, entry) or {}
            kinds = {d["kind"] for d in span.get("differences", [])}
            if grounding.get("status") != "altered" or not kinds & set(entry["accept"]):
                problems.append("altered quote not reported as such: " + _label(entry, item))
        else:
            kinds = {r["kind"] for r in grounding.get("reasons", [])}
            if grounding.get("status") != "unsupported" or not kinds & set(entry["accept"]):
                problems.append("altered paraphrase not reported as such: " + _label(entry, item))
    return problems


@pytest.mark.parametrize("language", sorted(ARTICLES))
@pytest.mark.parametrize("mode", MODES)
def test_cli_grounds_fabricated_answers(tmp_path, mode, language):
    fabricator = Fabricator(mode, seed=7)
    out = _analyse(tmp_path, language, fabricator)
    entries = fabricator.entries(ARTICLES[language])
    assert {e["list"] for e in entries} == {"claims", "attributions", "summary"}
    if mode != "faithful":
        assert sum(e["altered"] for e in entries) >= len(entries) // 2
    problems = _check(fabricator, language, out)
    assert not problems, f"{len(problems)} of {len(entries)} items:\n" + "\n".join(problems)


@pytest.mark.parametrize("mode", ["altered_quote", "altered_paraphrase"])
def test_cli_keeps_the_unaltered_items_of_an_altered_answer(tmp_path, mode):
    fabricator = Fabricator(mode, seed=3, rate=0.5)
    out = _analyse(tmp_path, "en", fabricator)
    entries = fabricator.entries(ENGLISH)
    assert any(e["altered"] for e in entries) and not all(e["altered"] for e in entries)
    problems = _check(fabricator, "en", out)
    assert not problems, "\n".join(problems)


def test_table_shows_what_differs_and_hides_it_by_default(tmp_path):
    fabricator = Fabricator("altered_quote", seed=1, kinds=("number",), max_altered=1)
    article = tmp_path / "fr.txt"
    article.write_text(FRENCH, "utf-8")
    with LoopbackServer(responder=fabricator) as server:
        env = {**_env(server, tmp_path, "table"), "COLUMNS": "200"}
        shown = run_cli("claims", str(article), "--engine", "llm", "--show-ungrounded", env=env)
        hidden = run_cli("claims", str(article), "--engine", "llm", env=env)
    assert shown.returncode == 0 and hidden.returncode == 0, shown.stderr + hidden.stderr
    [entry] = [e for e in fabricator.entries(FRENCH) if e["altered"] and e["list"] == "claims"]
    assert entry["engine_value"] not in FRENCH and entry["article_value"] in FRENCH
    claims = len(fabricator.drafts[sha256(FRENCH)]["claims"])
    out = shown.stdout.decode()
    assert entry["engine_value"] in out and entry["article_value"] in out, out
    assert entry["engine_value"] not in hidden.stdout.decode()
    warning = hidden.stderr.decode()
    assert "warning" in warning and f"1 of {claims} claims" in warning, warning


# -- the fabricator itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(ARTICLES))
@pytest.mark.parametrize("mode", MODES)
def test_fabricated_drafts_validate_and_are_deterministic(mode, language):
    from verifier.models import AnalysisDraft

    text = ARTICLES[language]
    draft, entries = Fabricator(mode, seed=5).fabricate(text)
    AnalysisDraft.model_validate(draft)
    assert draft["language"] == language
    assert (draft, entries) == Fabricator(mode, seed=5).fabricate(text)
    assert [(e["list"], e["index"]) for e in entries] == [
        (name, i) for name in ("claims", "attributions", "summary") for i in range(len(draft[name]))]
    assert len(draft["claims"]) >= 6 and len(draft["attributions"]) >= 4 and len(draft["summary"]) >= 2
    assert any(a["kind"] == "direct" for a in draft["attributions"])
    assert any(a["kind"] == "indirect" for a in draft["attributions"])
    assert any(a["is_denial"] for a in draft["attributions"])
    for e in entries:
        if e["altered"] and mode == "altered_quote":
            assert len(e["engine_text"]) >= 40 and e["engine_text"] != e["article_text"]


@pytest.mark.parametrize("mode,kinds", [("altered_quote", {"number", "date", "name", "negation"}),
                                        ("altered_paraphrase", {"number", "date", "name", "negation", "speaker"})])
def test_fabricator_changes_every_kind_in_both_languages(mode, kinds):
    for text in ARTICLES.values():
        _, entries = Fabricator(mode, seed=7).fabricate(text)
        assert {e["kind"] for e in entries if e["altered"]} >= kinds


def test_fabricator_keeps_a_ledger_per_article():
    fabricator = Fabricator("altered_quote")
    body = {"messages": [{"role": "system", "content": "<<<ARTICLE x>>> is where the article is"},
                         {"role": "user", "content": f"Analyse.\n\n<<<ARTICLE ab12>>>\n{ENGLISH}\n<<<END ARTICLE ab12>>>"}]}
    step = fabricator(body, {})
    draft = json.loads(step.body["choices"][0]["message"]["content"])
    assert fabricator.drafts[sha256(ENGLISH)] == draft
    assert fabricator.entries(ENGLISH) == fabricator.fabricate(ENGLISH)[1]
    assert fabricator({"messages": [{"role": "user", "content": "no article"}]}, {}).status == 400
