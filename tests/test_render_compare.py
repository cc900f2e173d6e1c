"""Renderers for `diff` and `verify`: terminal tables and Markdown reports."""

from __future__ import annotations

import io
import re

from rich.console import Console

from verifier.models import (
    ArticleInfo, Attribution, Claim, DetailChange, DiffMethod, DiffOutput, DiffPair, DiffStatus,
    FixtureSource, Modality, PresenceStatus, Provenance, QuoteKind, Span, Speaker, SpeakerPresence,
    StanceChange, Usage, Verdict, VerifiedClaim, VerifyMethod, VerifyOutput, Version,
)
from verifier.render.diff_view import diff_markdown, diff_table
from verifier.render.verify_view import verify_markdown, verify_table


def _provenance(sha: str, **kw) -> Provenance:
    return Provenance(engine="offline", model="rules", prompt="analysis@2", input_sha256=sha,
                      verifier_version="0.0-test", **kw)


def _article(source: str, sha: str, chars: int) -> ArticleInfo:
    return ArticleInfo(sha256=sha, source=source, language="fr", chars=chars)


def _claim(cid: str, text: str, start: int, end: int, *, modality=Modality.asserted, speaker=None) -> Claim:
    return Claim(id=cid, text=text, modality=modality, speaker=speaker,
                 evidence=[Span(start=start, end=end, text=text, match="exact")], grounded=True)


def _attribution(aid: str, name: str, content: str, start: int, end: int, **kw) -> Attribution:
    return Attribution(id=aid, speaker=Speaker(name=name), content=content, kind=QuoteKind.direct,
                       evidence=Span(start=start, end=end, text=content, match="exact"), grounded=True, **kw)


def _console() -> Console:
    return Console(record=True, width=200, file=io.StringIO())


def _diff() -> DiffOutput:
    pairs = [
        DiffPair(status=DiffStatus.changed,
                 old=_claim("c1", "Le contrat a été signé en 2022.", 10, 41),
                 new=_claim("c1", "Le contrat a été signé fin 2022.", 12, 44),
                 similarity=0.93, changes=[DetailChange(type="date", old="2022", new="fin 2022"),
                                           DetailChange(type="speaker", old=None, new="Jean Dupont")]),
        DiffPair(status=DiffStatus.reworded,
                 old=_claim("c2", "La mairie a refusé le projet.", 50, 79, modality=Modality.reported,
                            speaker="la mairie"),
                 new=_claim("c3", "Le projet a été rejeté par la mairie.", 60, 97, modality=Modality.reported,
                            speaker="la mairie"),
                 similarity=0.61, ambiguous=True),
        DiffPair(status=DiffStatus.unchanged,
                 old=_claim("c3", "Le maire est en poste depuis 2014.", 100, 134),
                 new=_claim("c4", "Le maire est en poste depuis 2014.", 120, 154), similarity=1.0),
        DiffPair(status=DiffStatus.removed, old=_claim("c4", "Le coût | total atteint 3 M€.", 200, 229), new=None),
        DiffPair(status=DiffStatus.added, old=None,
                 new=_claim("c5", "L'enquête a été [bold]classée[/bold].", 300, 335, modality=Modality.hedged)),
    ]
    speakers = [
        SpeakerPresence(speaker="Jean Dupont", status=PresenceStatus.removed, old=["a1"]),
        SpeakerPresence(speaker="Marie Curie", status=PresenceStatus.added, new=["a4"]),
        SpeakerPresence(speaker="le Kremlin", status=PresenceStatus.kept, old=["a2"], new=["a3"]),
    ]
    stances = [
        StanceChange(kind="denial", status=PresenceStatus.removed, speaker="Jean Dupont",
                     old=_attribution("a1", "Jean Dupont", "Je n'ai jamais signé ce contrat", 310, 352,
                                      is_denial=True)),
        StanceChange(kind="no_comment", status=PresenceStatus.kept, speaker="la société Acme",
                     old=_attribution("a5", "la société Acme", "n'a pas répondu", 400, 416, is_no_comment=True),
                     new=_attribution("a6", "la société Acme", "n'a pas souhaité répondre", 420, 445,
                                      is_no_comment=True)),
    ]
    return DiffOutput(
        old=Version(provenance=_provenance("a" * 64), article=_article("drafts/[v1].txt", "a" * 64, 1000)),
        new=Version(provenance=_provenance("b" * 64, fixture=FixtureSource(kind="hand-annotated")),
                    article=_article("new.txt", "b" * 64, 1200)),
        method=DiffMethod(aligner="lexical", match_threshold=0.5, sure_threshold=0.75),
        counts={"changed": 1, "reworded": 1, "unchanged": 1, "removed": 1, "added": 1},
        pairs=pairs, speakers=speakers, stances=stances,
    )


def _verify(**kw) -> VerifyOutput:
    claims = [
        VerifiedClaim(id="1", text="Le contrat a été signé en 2021.", verdict=Verdict.contradicted,
                      evidence=[Span(start=40, end=95, text="Le contrat a été signé en mars 2022.", match="exact")],
                      reason="date: 2021 ≠ mars 2022", score=0.88),
        VerifiedClaim(id="2", text="La mairie | le conseil a voté.", verdict=Verdict.supported,
                      evidence=[Span(start=120, end=150, text="Le conseil municipal a voté.", match="fuzzy",
                                     score=91.0)],
                      reason="same content"),
        VerifiedClaim(id="3", text="Le maire a démissionné.", verdict=Verdict.not_found, evidence=[],
                      reason="no passage of the source mentions it"),
    ]
    return VerifyOutput(
        source=ArticleInfo(sha256="c" * 64, source="source.txt", language="fr", chars=2048),
        claims_from="claims.txt (list)",
        method=VerifyMethod(engine="llm", model="gpt-x", prompt="verify@1", retriever="lexical",
                            usage=Usage(prompt_tokens=1200, completion_tokens=80, total_tokens=1280, requests=3),
                            fixture=FixtureSource(kind="recorded", model="gpt-x", date="2024-05-01")),
        counts={"contradicted": 1, "supported": 1, "not_found": 1},
        claims=claims, **kw,
    )


def _table_rows(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("|")]


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


# --------------------------------------------------------------------------
# diff, Markdown
# --------------------------------------------------------------------------


def test_diff_markdown_report():
    md = diff_markdown(_diff())
    assert md.startswith("# Diff: drafts/[v1].txt → new.txt\n")
    assert "**1 changed · 1 reworded · 1 removed · 1 added · 1 unchanged**" in md
    assert "## Claims" in md
    assert "| Status | Old (offsets) | New (offsets) | Changes |" in md
    changed = next(line for line in _table_rows(md) if "signé fin 2022" in line)
    assert "date: 2022 → fin 2022" in changed
    assert "speaker: — → Jean Dupont" in changed
    assert "Le contrat a été signé en 2022. (10–41)" in changed
    assert "(12–44)" in changed
    assert "*ambiguous pairing (score 0.61)*" in md
    assert "*reported · la mairie*" in md and "*asserted · (article)*" in md
    assert "## Sources cited in one version only" in md
    assert "- **Jean Dupont**: removed (old: a1)" in md
    assert "- **Marie Curie**: added (new: a4)" in md
    assert "le Kremlin** (old: a2; new: a3)" in md
    assert "*aligner lexical · match threshold 0.5 · sure threshold 0.75*" in md
    assert "*old: engine offline · model rules · prompt analysis@2 · article aaaaaaaaaaaa (fr, 1000 chars)*" in md
    assert "*new: engine offline · model rules · prompt analysis@2 · article bbbbbbbbbbbb (fr, 1200 chars)" \
           " · fixture hand-annotated*" in md


def test_diff_markdown_escapes_pipes_and_keeps_columns():
    md = diff_markdown(_diff())
    assert "Le coût \\| total atteint 3 M€." in md
    rows = _table_rows(md)
    assert len(rows) == 2 + 5
    assert all(_unescaped_pipes(row) == 5 for row in rows)


def test_diff_markdown_removed_denial():
    md = diff_markdown(_diff())
    section = md.split("## Denials and refusals to comment", 1)[1]
    assert "- **Denial** by **Jean Dupont**: removed" in section
    assert "  - old: “Je n'ai jamais signé ce contrat” (310–352)" in section
    assert "  - new: *absent*" in section
    assert "- **No comment** by **la société Acme**: kept" in section
    assert "(400–416)" in section and "(420–445)" in section


def test_diff_markdown_only_changes():
    md = diff_markdown(_diff(), only_changes=True)
    assert "signé fin 2022" in md and "date: 2022 → fin 2022" in md
    assert "Le coût \\| total" in md and "classée" in md
    assert "rejeté par la mairie" not in md      # reworded
    assert "en poste depuis 2014" not in md      # unchanged
    assert "*2 unchanged or reworded claim(s) not shown.*" in md
    assert "le Kremlin" not in md                 # kept source
    assert "la société Acme" not in md            # kept stance
    assert "Jean Dupont**: removed" in md and "(310–352)" in md
    # the counts still describe the whole diff
    assert "1 reworded" in md


# --------------------------------------------------------------------------
# diff, terminal
# --------------------------------------------------------------------------


def test_diff_table():
    console = _console()
    diff_table(_diff(), console)
    text = console.export_text()
    assert "Diff — drafts/[v1].txt → new.txt" in text
    for status in ("changed", "reworded", "unchanged", "removed", "added"):
        assert status in text
    assert "date: 2022 → fin 2022" in text
    assert "speaker: — → Jean Dupont" in text
    assert "ambiguous pairing (score 0.61)" in text
    assert "[10–41] asserted · (article)" in text
    assert "[60–97] reported · la mairie" in text
    assert "L'enquête a été [bold]classée[/bold]." in text   # no markup interpretation
    assert "Sources" in text and "Marie Curie" in text and "le Kremlin" in text
    assert "Denials and refusals to comment" in text
    assert "denial" in text and "no comment" in text
    assert "Je n'ai jamais signé ce contrat" in text and "[310–352]" in text
    assert "1 changed · 1 reworded · 1 removed · 1 added · 1 unchanged" in text
    assert "aligner lexical · match threshold 0.5 · sure threshold 0.75" in text
    assert "old: engine offline · model rules · prompt analysis@2 · article aaaaaaaaaaaa (fr, 1000 chars)" in text
    assert "new: engine offline" in text and "article bbbbbbbbbbbb (fr, 1200 chars) · fixture hand-annotated" in text


def test_diff_table_only_changes():
    console = _console()
    diff_table(_diff(), console, only_changes=True, verbose=True)
    text = console.export_text()
    assert "signé fin 2022" in text
    assert "rejeté par la mairie" not in text
    assert "en poste depuis 2014" not in text
    assert "le Kremlin" not in text and "la société Acme" not in text
    assert "Je n'ai jamais signé ce contrat" in text
    assert "(2 unchanged or reworded claim(s) not shown)" in text
    assert "0.93" in text   # verbose: alignment score under the status


# --------------------------------------------------------------------------
# verify
# --------------------------------------------------------------------------


def test_verify_table():
    console = _console()
    verify_table(_verify(), console)
    text = console.export_text()
    assert "Verify — claims from claims.txt (list) against source.txt" in text
    assert "contradicted" in text and "supported" in text and "not found" in text
    assert "not_found" not in text   # shown with a space
    assert "[40–95] “Le contrat a été signé en mars 2022.”" in text
    assert "[120–150 ~91] “Le conseil municipal a voté.”" in text
    assert "date: 2021 ≠ mars 2022" in text
    assert "1 supported · 1 contradicted · 1 not found" in text
    assert ("engine llm · model gpt-x · prompt verify@1 · retriever lexical · source cccccccccccc (fr, 2048 chars)"
            " · fixture recorded from gpt-x on 2024-05-01") in text
    assert "tokens" not in text
    assert "claims extracted by" not in text


def test_verify_table_verbose_and_claims_provenance():
    console = _console()
    out = _verify(claims_provenance=_provenance("d" * 64))
    verify_table(out, console, verbose=True)
    text = console.export_text()
    assert "tokens 1200 in / 80 out (3 request(s))" in text
    assert "claims extracted by engine offline · model rules · prompt analysis@2" in text
    assert "retrieval score 0.88" in text


def test_verify_table_without_prompt():
    out = _verify()
    out.method.prompt = None
    out.method.fixture = None
    console = _console()
    verify_table(out, console)
    text = console.export_text()
    assert "prompt - · retriever lexical" in text
    assert "fixture" not in text


def test_verify_markdown():
    md = verify_markdown(_verify(claims_provenance=_provenance("d" * 64)))
    assert md.startswith("# Verification: claims from claims.txt (list) against source.txt\n")
    assert "**1 supported · 1 contradicted · 1 not found**" in md
    assert md.count("1 supported") == 1
    assert "| # | Claim | Verdict | Evidence (offsets) | Reason |" in md
    row = next(line for line in _table_rows(md) if line.startswith("| 1 |"))
    assert "**contradicted**" in row
    assert "“Le contrat a été signé en mars 2022.” (40–95)" in row
    assert "La mairie \\| le conseil a voté." in md
    assert "not found" in md
    rows = _table_rows(md)
    assert len(rows) == 2 + 3
    assert all(_unescaped_pipes(r) == 6 for r in rows)
    assert "*engine llm · model gpt-x · prompt verify@1 · retriever lexical · source cccccccccccc (fr, 2048 chars)" in md
    assert "*claims extracted by engine offline · model rules · prompt analysis@2*" in md
