"""Page furniture that is no claim: metadata lines, datelines, bylines, captions.

``statement_span(text, start, end)`` gives the part of a sentence that may
state a fact, or ``None`` when the sentence is furniture:

* a short line (``CAPTION_LINE``) carrying a photo credit is a caption or
  a headline with its caption ("… révèle un nouveau rapport. Photo: AFP
  1/5"): none of its sentences is a claim (in a longer line, only the
  sentence with the credit);
* a byline ("Par Jean Dupont, envoyé spécial à Kiev.", "By Jane Smith"), a
  publication stamp ("Publié le 27 février 2010.", "Mis à jour le …",
  "Updated …") and a gallery counter ("1/5") are not claims;
* a leading page-metadata field ("date 2024-10 …") or dateline ("PARIS
  (AFP) - …", "WASHINGTON, March 3 (Reuters) — …") is cut off, and the
  sentence after it is read as usual.
"""

from __future__ import annotations

import re

CAPTION_LINE = 400  # a longer line is a paragraph: only the sentence holding a credit is dropped
# a photo credit on the line: "Photo: AFP", "Photo : Reuters", "Crédit photo", "© AFP", "(AFP Photo)"
_CREDIT = re.compile(r"(?:\b(?:photos?|image|illustration|crédits?(?: photo)?|credits?)\s*:\s*\S|©|\(\s*(?:AFP|Reuters|AP)"
                     r"\s+photo\s*\)|\bcrédit photo\b)", re.IGNORECASE)
# a byline: "Par Jean Dupont", "Par Jean Dupont, envoyé spécial", "By Jane Smith"
_BYLINE = re.compile(r"^(?:[Pp]ar|[Bb]y)\s+[A-ZÀ-Þ][\w’'-]+(?:\s+(?:de\s+|van\s+|von\s+)?[A-ZÀ-Þ][\w’'-]+)+\s*(?:[,.;]|$)")
# a publication stamp: "Publié le …", "Mis à jour le …", "Updated …", "Published …"
_STAMP = re.compile(r"^(?:publié|mis à jour|modifié|actualisé|updated|published|posted)\b", re.IGNORECASE)
# a gallery counter or a lone date: "1/5", "2024-10", "27/02/2010"
_COUNTER = re.compile(r"^[\d\s/.:-]+$")
# a leading metadata field ("date 2024-10") or dateline ("PARIS (AFP) -", "WASHINGTON, March 3 (Reuters) —")
_LEAD = re.compile(r"^(?:date\s+\d{4}(?:-\d{2}){0,2}\s+"
                   r"|[A-ZÀ-Þ][A-ZÀ-Þ'’ -]{2,}(?:,\s*[^()\n]{1,30})?\s*\((?:AFP|Reuters|AP|ATS|Belga|dpa|ANSA)\)\s*[-–—:]\s*)")


def statement_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    body = text[start:end]
    line = _line(text, start, end)
    if _CREDIT.search(body if len(line) > CAPTION_LINE else line) or _BYLINE.match(body) or _STAMP.match(body) \
            or _COUNTER.match(body):
        return None
    lead = _LEAD.match(body)
    if lead:
        start += lead.end()
    return start, end


def _line(text: str, start: int, end: int) -> str:
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return text[first:last if last >= 0 else len(text)]
