"""Property-based tests (hypothesis) for offsets: folding, locating, grounding,
article decoding and sentence splitting keep ``text[start:end]`` exact.

Runs are derandomized (the same examples on every run).  ``HYPOTHESIS_PROFILE=deep``
draws many more examples with a random seed each run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from verifier.ingest.article import article_from_bytes, article_from_text, normalize_newlines
from verifier.analysis.grounding import ground
from verifier.analysis.locate import _ELLIPSIS, FUZZY_FLOOR, Grounder
from verifier.text.folding import _fold_by_char, fold
from verifier.models import AnalysisDraft, Span
from verifier.text.sentences import split

settings.register_profile("ci", derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", deadline=None, database=None, max_examples=5000,
                          suppress_health_check=[HealthCheck.too_slow])
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def examples(n: int) -> settings:
    """``n`` examples in the default profile; the chosen profile's count otherwise."""
    parent = settings.get_profile(_PROFILE)
    return settings(parent, max_examples=n) if _PROFILE == "ci" else parent


# --------------------------------------------------------------------------
# strategies: text the way articles and model answers write it
# --------------------------------------------------------------------------

APOSTROPHES = "'’‘ʼ′`"
QUOTES = '"«»“”„‟‹›'
DASHES = "-–—‑‐−"
SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\t", "\n", "\r\n", "\r", "  ", "\u3000"]
PIECES = [
    "a", "b", "Z", "é", "É", "e\u0301", "c\u0327", "œ", "ﬁ", "ß", "ẞ", "İ", "ı", "I", "Σ", "σ", "ς", "ΟΔΟΣ",
    "😀", "👍🏽", "\u200b", "\u200d", "\ufeff", "…", "...", ".", "!", "?", ",", "(", ")", "[", "]",
    "Le", "Kremlin", "M.", "Dr.", "n’a", "l'an", "« ", " »", "«\u202f", "\u202f»", "“", "”", "‘", "’", "‹", "›",
    *APOSTROPHES, *QUOTES, *DASHES, *SPACES,
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8")), max_size=60).map("".join)


def _fold_class(ch: str) -> str:
    for group in (APOSTROPHES, QUOTES, DASHES):
        if ch in group:
            return group
    return ""


@st.composite
def text_and_slice(draw, source=texts):
    text = draw(source)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, start, end


@st.composite
def model_copy(draw, quote: str) -> str:
    """``quote`` rewritten the ways models copy text: quotation marks, apostrophes
    and dashes swapped for others of the same kind, white space collapsed,
    widened or turned into other spaces and line breaks, letter case changed,
    spaces added or dropped beside quotation marks.  Folding is unchanged."""
    out: list[str] = []
    i = 0
    while i < len(quote):
        ch = quote[i]
        if ch.isspace():
            j = i
            while j < len(quote) and quote[j].isspace():
                j += 1
            beside_quote = (out and out[-1] in QUOTES) or (j < len(quote) and quote[j] in QUOTES)
            run = draw(st.lists(st.sampled_from(SPACES), min_size=0 if beside_quote else 1, max_size=3))
            out.append("".join(run))
            i = j
            continue
        group = _fold_class(ch)
        if group:
            ch = draw(st.sampled_from(group))
        else:
            other = ch.swapcase()
            if len(other) == 1 and other.lower() == ch.lower() and draw(st.booleans()):
                ch = other
        out.append(ch)
        if ch in QUOTES and draw(st.booleans()):
            out.append(draw(st.sampled_from(SPACES)))
        i += 1
    return "".join(out)


def assert_inside(text: str, span: Span) -> None:
    """The offset invariant: a located span is a slice of the text that says what
    the span reports and matches the quote it was asked for (as written, once
    folded, or fuzzily); an unlocated span has no offsets; a quote that is the
    located text as written or once folded differs from it in nothing."""
    if not span.located:
        assert span.start is None and span.end is None and span.match is None and span.score is None
        return
    assert span.start is not None and span.end is not None
    assert 0 <= span.start <= span.end <= len(text)
    assert text[span.start:span.end] == span.text
    quote = span.text if span.quote is None else span.quote
    if span.match == "exact":
        assert span.text == quote and not span.differences
    elif span.match == "normalized":
        assert folded(quote) in folded(span.text) and not span.differences
    elif not _ELLIPSIS.search(quote):
        assert span.match == "fuzzy"
        similarity = fuzz.ratio(folded(quote), folded(span.text))
        assert similarity >= FUZZY_FLOOR and span.score == round(similarity, 1)


def folded(text: str) -> str:
    return fold(text)[0].strip()


# --------------------------------------------------------------------------
# fold
# --------------------------------------------------------------------------


@examples(400)
@given(texts)
@example("ΟΔΟΣ σ ς « mot » İstanbul … ﬁn ß")
@example('a \t"\r\n b')
def test_fold_maps_every_folded_char_back_into_the_text(text):
    out, index = fold(text)
    assert len(out) == len(index)
    assert all(0 <= i < len(text) for i in index)
    assert all(a <= b for a, b in zip(index, index[1:]))
    assert (out, index) == _fold_by_char(text)


@examples(200)
@given(texts)
def test_fold_leaves_no_space_runs_and_no_space_beside_a_quotation_mark(text):
    out, _ = fold(text)
    assert "  " not in out and ' "' not in out and '" ' not in out
    assert not any(ch.isspace() and ch != " " for ch in out)


# --------------------------------------------------------------------------
# locate
# --------------------------------------------------------------------------


@examples(300)
@given(text_and_slice())
def test_any_slice_of_the_text_is_located(case):
    text, start, end = case
    quote = text[start:end]
    span = Grounder(text).locate(quote)
    assert_inside(text, span)
    if not quote.strip():
        assert not span.located
        return
    assert span.match in ("exact", "normalized")
    assert folded(quote) in folded(span.text)
    if span.match == "exact":
        assert span.text == quote.strip() and span.quote is None


@examples(300)
@given(st.data())
def test_a_slice_copied_the_way_models_do_is_located(data):
    text, start, end = data.draw(text_and_slice())
    quote = text[start:end]
    copy = data.draw(model_copy(quote))
    assert folded(copy) == folded(quote)
    span = Grounder(text).locate(copy)
    assert_inside(text, span)
    assert span.grounded == span.located == bool(folded(quote))
    if span.grounded:
        assert folded(copy) in folded(span.text)


@examples(300)
@given(texts, texts, st.text(max_size=30), st.one_of(st.none(), st.integers(-5, 80)))
def test_any_quote_is_located_inside_the_text_or_not_at_all(text, quote, context, near):
    span = Grounder(text).locate(quote, context, near)
    assert_inside(text, span)
    if not span.located:
        assert span.text == quote.strip()


@examples(200)
@given(texts, st.lists(texts, max_size=4), st.text(max_size=20))
def test_locate_all_keeps_every_span_inside_the_text(text, quotes, context):
    spans, near = Grounder(text).locate_all(quotes, context, None)
    assert len(spans) == len(quotes)
    for span in spans:
        assert_inside(text, span)
    starts = [s.start for s in spans if s.located]
    assert near == (starts[-1] if starts else None)


# --------------------------------------------------------------------------
# ground
# --------------------------------------------------------------------------


@st.composite
def text_and_draft(draw):
    text = draw(texts)

    def quote() -> str:
        if text and draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            piece = text[start:draw(st.integers(start, len(text)))]
            return draw(model_copy(piece)) if draw(st.booleans()) else piece
        return draw(texts)

    short = st.text(max_size=15)
    claims = [{"text": draw(short), "modality": draw(st.sampled_from(["asserted", "hedged", "denied"])),
               "speaker": draw(st.one_of(st.none(), short)),
               "evidence": [quote() for _ in range(draw(st.integers(0, 3)))]}
              for _ in range(draw(st.integers(0, 3)))]
    attributions = [{"speaker": {"name": draw(short), "role": None}, "content": quote(),
                     "kind": draw(st.sampled_from(["direct", "indirect"])), "cue": None,
                     "is_denial": False, "is_no_comment": False, "evidence": quote()}
                    for _ in range(draw(st.integers(0, 3)))]
    summary = [{"text": draw(short), "citations": [quote() for _ in range(draw(st.integers(0, 2)))]}
               for _ in range(draw(st.integers(0, 2)))]
    draft = AnalysisDraft.model_validate({"language": "fr", "claims": claims,
                                          "attributions": attributions, "summary": summary})
    return text, draft


@examples(150)
@given(text_and_draft())
def test_ground_keeps_every_span_inside_the_text(case):
    text, draft = case
    claims, attributions, summary = ground(draft, text)
    assert len(claims) == len(draft.claims) and len(attributions) == len(draft.attributions)
    for claim in claims:
        for span in claim.evidence:
            assert_inside(text, span)
        assert_status(claim.evidence, claim)
    for a in attributions:
        assert_inside(text, a.evidence)
        if a.kind.value == "direct":
            assert a.content_span is not None
            assert_inside(text, a.content_span)
            assert_status([a.evidence, a.content_span], a)
        else:
            assert a.content_span is None
            assert_status([a.evidence], a)
    for s in summary:
        for span in s.citations:
            assert_inside(text, span)
        assert_status(s.citations, s)


def assert_status(spans: list[Span], item) -> None:
    """``grounded`` is the status ``grounded``; a quote not found makes the
    item ``not_found``, else a quote that differs makes it ``altered``; only
    an item whose quotes are all faithful can be grounded or unsupported."""
    status = item.grounding.status
    assert item.grounded == (status == "grounded")
    if not spans or not all(s.located for s in spans):
        assert status == "not_found"
    elif any(s.differences for s in spans):
        assert status == "altered"
    else:
        assert status in ("grounded", "unsupported")
    assert (status == "grounded") == (not item.grounding.reasons)


# --------------------------------------------------------------------------
# article decoding
# --------------------------------------------------------------------------

# a U+FEFF that starts UTF-8 input is a byte-order mark, so the text does not start with one
article_texts = texts.map(lambda t: t.replace("\r", "").replace("\x00", "").replace("<", "").lstrip("\ufeff"))


@examples(150)
@given(article_texts, st.sampled_from([("\n",), ("\r\n",), ("\r",), ("\n", "\r\n"), ("\r", "\r\n")]),
       st.booleans(), st.data())
def test_article_offsets_do_not_depend_on_newline_style_or_bom(text, styles, bom, data):
    if not text.strip():
        return
    raw = "".join(data.draw(st.sampled_from(styles)) if ch == "\n" else ch for ch in text)
    article = article_from_bytes(("\ufeff" if bom else "").encode() + raw.encode("utf-8"), "x.txt", "en")
    assert article.text == text
    assert article.sha256 == article_from_text(text, "y.txt", "en").sha256
    start = data.draw(st.integers(0, len(text)))
    span = Grounder(article.text).locate(text[start:data.draw(st.integers(start, len(text)))])
    assert_inside(article.text, span)


@examples(200)
@given(st.lists(st.sampled_from(["\r", "\n", "\r\n", "a", " ", "é"]), max_size=30).map("".join))
def test_normalize_newlines_is_idempotent_and_leaves_no_carriage_return(text):
    once = normalize_newlines(text)
    assert "\r" not in once
    assert normalize_newlines(once) == once
    assert once.count("\n") == text.count("\n") + text.count("\r") - text.count("\r\n")


# --------------------------------------------------------------------------
# sentences
# --------------------------------------------------------------------------

sentence_texts = st.lists(st.sampled_from(PIECES + ["Il a dit non. ", "« Oui. » Puis", "J. K. Rowling", "\n\n"]),
                          max_size=40).map("".join)


@examples(300)
@given(st.one_of(sentence_texts, texts))
def test_sentences_are_ordered_trimmed_slices_covering_every_word(text):
    spans = split(text)
    covered = [False] * len(text)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        sentence = text[start:end]
        assert sentence == sentence.strip() and "\n" not in sentence
        covered[start:end] = [True] * (end - start)
        last = end
    assert all(covered[i] for i, ch in enumerate(text) if not ch.isspace())



@st.composite
def text_and_edited_slice(draw):
    """A slice of the text with a few characters changed, and sometimes words
    the article does not have before or after it."""
    text = draw(st.lists(st.sampled_from(PIECES + ["Le Kremlin a démenti. ", "selon le journal, "]),
                         max_size=40).map("".join))
    start = draw(st.integers(0, len(text)))
    quote = list(text[start:draw(st.integers(start, len(text)))])
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(quote)))
        quote[at:at + draw(st.integers(0, 1))] = draw(st.sampled_from(["", "x", " ", "é"]))
    extra = draw(st.sampled_from(["", "", " et Musk a tout avoué depuis des mois", "Selon une source anonyme, "]))
    quote = "".join(quote)
    return text, (extra + quote if draw(st.booleans()) else quote + extra)


@examples(300)
@given(text_and_edited_slice())
@example(("Le Kremlin a démenti les accusations.",
          "Le Kremlin a démenti les accusations, et Musk a avoué tout ce qui lui était reproché depuis des mois"))
def test_a_fuzzy_span_is_close_to_the_whole_quote(case):
    text, quote = case
    assert_inside(text, Grounder(text).locate(quote))
