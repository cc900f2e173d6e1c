"""French who-said-what pattern suite (offline engine).

The cases live in ``tests/patterns/fr_who_said_what.json``: short French news
texts written for this suite, one class of difficulty each (incise verbs,
inverted subjects, framed quotes, mixed quotes, straight quotes, broken and
continued quotes, pronouns, anaphoric descriptions, role nouns, wrong
speakers, false-positive classes, denials and refusals to comment), with the
events a careful annotator would write.  Content conventions follow the
French dev gold: direct = the words inside the marks; indirect = the clause
without "que"; mixed = the reported clause with its quoted fragments, marks
included; a quote broken by an incise = one event per quoted segment; a quote
continued over paragraphs = one event per paragraph; a refusal to comment
("n'a pas souhaité réagir") or a bare denial ("s'en défend") = the verb
phrase itself, kind indirect.  For "on" framed by an institution ("à la
mairie de Toulouse, on assure", "chez X, on indique", "du côté de la
direction, on fait valoir") the speaker is that institution.

Matching, one test per case (id = class-index):

- Each expected event is paired one-to-one with a found event whose content
  overlaps it by at least 60 % of *both* spans, after trimming spaces,
  punctuation and quotation marks at both ends (greedy, best overlap first).
- Speaker: the found name equals the expected speaker (case-insensitive,
  ’ = '), or the expected key word is one of the words of the found name;
  ``speaker_aliases`` (optional) lists other accepted names, matched the
  same way by equality or by their last word.
  The key word is ``speaker_key`` when the case gives one (for descriptions
  whose last word is not their head: "le parquet de Rennes" → "parquet"),
  otherwise the last word of the expected speaker ("Paul Martin" → "martin",
  "l'Élysée" → "élysée").  Words are split on spaces, apostrophes and commas.
- Cue: when the case gives a cue (``null`` = the quote has no reporting verb
  of its own) and the engine gives a cue span, it must contain the last word of the
  expected cue, without its elided prefix ("s'agace" → "agace") or inverted
  clitic ("lance-t-elle" → "lance", "admet-il" → "admet").
- Kind, denial and no-comment flags must be equal.
- No found event may be left unpaired (false positive).

A failing case prints what was expected and everything that was found.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "patterns" / "fr_who_said_what.json"
CASES = json.loads(DATA.read_text(encoding="utf-8"))

TRIM = " \t\n\u00a0\u202f.,;:!?…«»\"“”„"
MIN_OVERLAP = 0.6


def _ids() -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for case in CASES:
        n = seen.get(case["class"], 0) + 1
        seen[case["class"]] = n
        out.append(f"{case['class']}-{n:02d}")
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def _overlap_ok(a: tuple[int, int], b: tuple[int, int]) -> tuple[bool, float]:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    la, lb = max(1, a[1] - a[0]), max(1, b[1] - b[0])
    return inter >= MIN_OVERLAP * la and inter >= MIN_OVERLAP * lb, min(inter / la, inter / lb)


def _norm(s: str) -> str:
    return s.replace("’", "'").strip().lower()


def _words(s: str) -> list[str]:
    return [w for w in re.split(r"[\s',]+", _norm(s)) if w]


def _speaker_ok(expected: dict, found_name: str) -> bool:
    if _norm(found_name) == _norm(expected["speaker"]):
        return True
    key = _norm(expected.get("speaker_key") or _words(expected["speaker"])[-1])
    if key in _words(found_name):
        return True
    return any(_norm(found_name) == _norm(a) or _words(a)[-1] in _words(found_name)
               for a in expected.get("speaker_aliases", []))


def _cue_key(cue: str) -> str:
    last = _norm(cue).split()[-1]
    last = last.split("'")[-1]
    return re.sub(r"-(?:t-)?(?:il|elle|ils|elles|on)$", "", last)


def _found_rows(text: str, found) -> list[dict]:
    rows = []
    for f in found:
        span = _trim(text, *f.content)
        rows.append({
            "span": span,
            "speaker": f.speaker.name,
            "speaker_text": text[f.speaker_span[0]:f.speaker_span[1]] if f.speaker_span else None,
            "cue": text[f.cue_span[0]:f.cue_span[1]] if f.cue_span else None,
            "content": text[span[0]:span[1]],
            "kind": f.kind,
            "denial": f.is_denial,
            "no_comment": f.is_no_comment,
        })
    return rows


def _show(rows: list[dict]) -> str:
    if not rows:
        return "    (nothing)"
    return "\n".join(
        f"    speaker={r['speaker']!r} (mention {r['speaker_text']!r}) cue={r['cue']!r} kind={r['kind']}"
        f" denial={r['denial']} no_comment={r['no_comment']}\n      content={r['content']!r}"
        for r in rows)


def _show_expected(events: list[dict]) -> str:
    if not events:
        return "    (no event)"
    return "\n".join(
        f"    speaker={e['speaker']!r} cue={e['cue']!r} kind={e['kind']} denial={e['denial']}"
        f" no_comment={e['no_comment']}\n      content={e['content']!r}"
        for e in events)


@pytest.fixture(scope="module")
def extractor():
    from verifier.engines.offline.attributions import extract
    from verifier.engines.offline.parsed import sentences_of

    def run(text: str):
        return extract(text, "fr", sentences_of(text, "fr"))
    return run


def test_data_is_well_formed():
    assert len(CASES) >= 160
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case["class"]] = counts.get(case["class"], 0) + 1
        for e in case["events"]:
            assert case["text"].count(e["content"]) == 1, (case["text"], e["content"])
            assert e["kind"] in ("direct", "indirect", "mixed")
            assert isinstance(e["denial"], bool) and isinstance(e["no_comment"], bool)
            assert e["speaker"] and (e["cue"] is None or e["cue"].strip())
    assert len(counts) == 16
    assert min(counts.values()) >= 10, counts


def _marked(case):
    """A case the engine still gets wrong carries ``known_miss`` (why): it is
    a strict xfail, so it fails the suite the day it passes (then drop the
    mark)."""
    if "known_miss" not in case:
        return case
    return pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=case["known_miss"]))


@pytest.mark.parametrize("case", [_marked(c) for c in CASES], ids=_ids())
def test_pattern(case, extractor):
    text = case["text"]
    rows = _found_rows(text, extractor(text))
    expected = []
    for e in case["events"]:
        start = text.index(e["content"])
        expected.append((e, _trim(text, start, start + len(e["content"]))))

    # one-to-one pairing on content overlap, best overlap first
    pairs = []
    for i, (_, espan) in enumerate(expected):
        for j, r in enumerate(rows):
            ok, score = _overlap_ok(espan, r["span"])
            if ok:
                pairs.append((score, i, j))
    pairs.sort(reverse=True)
    paired_e: dict[int, int] = {}
    paired_f: set[int] = set()
    for _, i, j in pairs:
        if i not in paired_e and j not in paired_f:
            paired_e[i] = j
            paired_f.add(j)

    problems = []
    for i, (e, _) in enumerate(expected):
        if i not in paired_e:
            problems.append(f"MISSING: no found content overlaps {e['content']!r} by >= 60 %")
            continue
        r = rows[paired_e[i]]
        if not _speaker_ok(e, r["speaker"]):
            problems.append(f"SPEAKER for {e['content']!r}: expected {e['speaker']!r}, found {r['speaker']!r}")
        if e["cue"] is not None and r["cue"] is not None and _cue_key(e["cue"]) not in _norm(r["cue"]):
            problems.append(f"CUE for {e['content']!r}: expected {e['cue']!r} (key {_cue_key(e['cue'])!r}),"
                            f" found {r['cue']!r}")
        if r["kind"] != e["kind"]:
            problems.append(f"KIND for {e['content']!r}: expected {e['kind']}, found {r['kind']}")
        if r["denial"] != e["denial"]:
            problems.append(f"DENIAL for {e['content']!r}: expected {e['denial']}, found {r['denial']}")
        if r["no_comment"] != e["no_comment"]:
            problems.append(f"NO_COMMENT for {e['content']!r}: expected {e['no_comment']},"
                            f" found {r['no_comment']}")
    for j, r in enumerate(rows):
        if j not in paired_f:
            problems.append(f"EXTRA (false positive): {r['speaker']!r} / {r['content']!r}")

    if problems:
        pytest.fail(
            f"[{case['class']}] {text!r}\n"
            + (f"  note: {case['note']}\n" if case.get("note") else "")
            + "  problems:\n    " + "\n    ".join(problems)
            + "\n  expected:\n" + _show_expected(case["events"])
            + "\n  found:\n" + _show(rows),
            pytrace=False)
