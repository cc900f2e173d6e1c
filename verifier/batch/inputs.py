"""What a batch reads: files, directories (recursive) and JSONL lists.

* a file: one article (``.txt``, ``.md``, ``.html``... any name), id = the
  path as given;
* a directory: every ``.txt``, ``.md``, ``.markdown``, ``.html`` and ``.htm``
  below it (hidden files and folders skipped), in sorted order, id = the path;
* a ``.jsonl`` file: one object per line, ``{"id": ..., "text": ...}`` or
  ``{"id": ..., "path": ...}`` (a path relative to the JSONL file's folder);
  without ``id`` the id is ``FILE:LINE``.

Ids must be unique: they are how a re-run knows what is finished.  A file
name that is not valid UTF-8 keeps its path but gets an id (and source) with
U+FFFD in place of the bad bytes, since records are UTF-8 JSON; a JSONL
``id`` or ``path`` with an unpaired surrogate (JSON allows ``"\ud800"``) is
a malformed line, and such a ``text`` a failed item ("not valid Unicode").  A path
that does not exist or a malformed JSONL line stops the batch before any
request (exit 3); an article that cannot be read is a failed item with its
reason, like any other failure.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from verifier.ingest.article import Article, article_from_text, printable_name, read_article
from verifier.errors import InputError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class Item:
    id: str
    source: str
    path: str | None = None
    text: str | None = None

    def input_sha256(self) -> str | None:
        """SHA-256 of the input bytes (None when unreadable: it will fail with the reason)."""
        if self.text is not None:
            return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()  # a lone surrogate fails on reading
        try:
            return hashlib.sha256(Path(self.path).read_bytes()).hexdigest()
        except OSError:
            return None

    def read(self, language: str | None = None) -> Article:
        if self.text is not None:
            return article_from_text(self.text, self.source, language)
        return read_article(self.path, language)


def collect(inputs: list[str]) -> list[Item]:
    items: list[Item] = []
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file or directory")
        if path.is_dir():
            items += [Item(printable_name(str(p)), printable_name(str(p)), path=str(p)) for p in _articles_below(path)]
        elif path.suffix.lower() == ".jsonl":
            items += _from_jsonl(path)
        else:
            items.append(Item(printable_name(raw), printable_name(raw), path=raw))
    seen: dict[str, str] = {}
    for item in items:
        if item.id in seen:
            raise InputError(f"id {item.id!r} appears twice ({seen[item.id]} and {item.source}); ids must be unique")
        seen[item.id] = item.source
    return items


def _unpaired_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _articles_below(folder: Path) -> list[Path]:
    found = []
    for p in folder.rglob("*"):
        parts = p.relative_to(folder).parts
        if p.is_file() and p.suffix.lower() in SUFFIXES and not any(x.startswith(".") for x in parts):
            found.append(p)
    return sorted(found)


def _from_jsonl(path: Path) -> list[Item]:
    try:
        lines = path.read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the JSONL list ({exc})") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            entry = json.loads(line)
        except ValueError:
            raise InputError(f"{where}: not a JSON object") from None
        if not isinstance(entry, dict):
            raise InputError(f"{where}: not a JSON object")
        text, rel = entry.get("text"), entry.get("path")
        if (text is None) == (rel is None) or not isinstance(text if rel is None else rel, str):
            raise InputError(f"{where}: give exactly one of \"text\" or \"path\", as a string")
        ident = entry.get("id", where)
        if not isinstance(ident, (str, int)) or str(ident) == "":
            raise InputError(f"{where}: \"id\" must be a non-empty string or a number")
        for key, value in (("id", str(ident)), ("path", rel or "")):
            if _unpaired_surrogate(value):
                raise InputError(f"{where}: \"{key}\" is not valid Unicode (an unpaired surrogate)")
        if rel is not None:
            target = Path(rel) if Path(rel).is_absolute() else path.parent / rel
            items.append(Item(str(ident), str(target), path=str(target)))
        else:
            items.append(Item(str(ident), where, text=text))
    return items
