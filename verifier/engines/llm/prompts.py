"""The prompt registry: one Markdown file per prompt version.

A prompt file ``prompts/<name>/<version>.md`` starts with a header between
``---`` lines (``name``, ``version``, ``description``), then sections headed
``## system``, ``## user`` and optionally ``## json_mode`` (appended to the
system message when the endpoint only supports JSON mode) and ``## reask``
(sent after a schema-invalid reply).  Placeholders: ``{{article}}``,
``{{article_id}}``, ``{{source}}``, ``{{output_language}}``, ``{{schema}}``,
``{{errors}}``.

``prompts/prompts.lock.json`` keeps the SHA-256 of every released version.  A
released file must not change: edit a copy under a new version instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from verifier.config import prompts_dir
from verifier.errors import ConfigError

LOCK_FILE = "prompts.lock.json"
DEFAULT_PROMPT = "analyze@v1"
_SECTION = re.compile(r"^## (system|user|json_mode|reask)\s*$", re.MULTILINE)
_LANGUAGES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian"}


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    description: str
    system: str
    user: str
    json_mode: str
    reask: str
    sha256: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def messages(self, *, article: str, article_id: str, source: str,
                 output_language: str | None, schema: str | None = None) -> list[dict[str, str]]:
        """Chat messages for one article.  ``schema`` (JSON mode only) adds
        the ``json_mode`` section with the schema to the system message."""
        language = (
            f"Write claim texts and summary sentences in {_LANGUAGES.get(output_language, output_language)}; "
            "quotes and evidence stay verbatim in the article's language."
            if output_language else
            "Write claim texts and summary sentences in the article's own language."
        )
        return self.render({"article": article, "article_id": delimiter_id(article, article_id),
                            "source": _label(source),
                            "output_language": language}, schema)

    def render(self, values: dict[str, str], schema: str | None = None) -> list[dict[str, str]]:
        """Chat messages with ``values`` filled in (any placeholders)."""
        values = {**values, "schema": schema or ""}
        system = _fill(self.system, values)
        if schema is not None:
            system = system + "\n\n" + _fill(self.json_mode, values)
        return [{"role": "system", "content": system},
                {"role": "user", "content": _fill(self.user, values)}]

    def reask_message(self, errors: str) -> str:
        return _fill(self.reask, {"errors": errors})


def _fill(template: str, values: dict[str, str]) -> str:
    """One pass over ``template``: placeholders inside the values (an
    article's ``{{schema}}``) are text, never filled in."""
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), m.group(0)), template)


def _label(source: str) -> str:
    """A source name for the prompt: one line, no marker brackets."""
    return " ".join(source.replace("<<<", " ").replace(">>>", " ").split())


def delimiter_id(article: str, article_id: str) -> str:
    """``article_id``, or, when the article itself holds a marker line with
    that id (it would close the data early), an id derived from it that it
    does not hold."""
    while f"ARTICLE {article_id}>>>" in article:
        article_id = hashlib.sha256(f"{article_id}\n{article}".encode("utf-8")).hexdigest()[:12]
    return article_id


def parse_prompt(path: Path) -> Prompt:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    if not text.startswith("---\n"):
        raise ConfigError(f"{path}: a prompt file starts with a '---' header")
    header, _, body = text[4:].partition("\n---\n")
    meta = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    for key in ("name", "version", "description"):
        if not meta.get(key):
            raise ConfigError(f"{path}: header lacks '{key}'")
    parts = _SECTION.split(body)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    if "system" not in sections or "user" not in sections:
        raise ConfigError(f"{path}: needs '## system' and '## user' sections")
    return Prompt(
        name=meta["name"], version=meta["version"], description=meta["description"],
        system=sections["system"], user=sections["user"], json_mode=sections.get("json_mode", ""),
        reask=sections.get("reask", "Your reply did not match the schema:\n{{errors}}\nReply again with the corrected JSON."),
        sha256=hashlib.sha256(raw).hexdigest(), path=path,
    )


def all_prompts(root: Path | None = None) -> list[Prompt]:
    root = root or prompts_dir()
    prompts = [parse_prompt(p) for p in sorted(root.glob("*/*.md"))]
    for p in prompts:
        if p.path.parent.name != p.name or p.path.stem != p.version:
            raise ConfigError(f"{p.path}: header says {p.id}, file name says "
                              f"{p.path.parent.name}@{p.path.stem}")
    return prompts


def get_prompt(prompt_id: str = DEFAULT_PROMPT, root: Path | None = None) -> Prompt:
    name, sep, version = prompt_id.partition("@")
    root = root or prompts_dir()
    if not sep:
        versions = sorted((root / name).glob("*.md"), key=lambda p: _version_key(p.stem))
        if not versions:
            raise ConfigError(f"no prompt named {name!r} (see 'verifier prompts list')")
        return parse_prompt(versions[-1])
    path = root / name / f"{version}.md"
    if not path.is_file():
        raise ConfigError(f"no prompt {prompt_id!r} (see 'verifier prompts list')")
    return parse_prompt(path)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)) or (0,)


def read_lock(root: Path | None = None) -> dict[str, str]:
    path = (root or prompts_dir()) / LOCK_FILE
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def check_lock(root: Path | None = None) -> list[str]:
    """Problems: released prompts whose content changed, or unreleased ones."""
    lock = read_lock(root)
    problems = []
    for p in all_prompts(root):
        locked = lock.get(p.id)
        if locked is None:
            problems.append(f"{p.id} is not released (run 'verifier prompts lock')")
        elif locked != p.sha256:
            problems.append(f"{p.id} changed after release: add a new version instead of editing it")
    return problems


def update_lock(root: Path | None = None) -> list[str]:
    """Release new versions; never rewrites the hash of a released one."""
    root = root or prompts_dir()
    lock = read_lock(root)
    changed = [p for p in all_prompts(root) if p.id in lock and lock[p.id] != p.sha256]
    if changed:
        raise ConfigError(f"{changed[0].id} changed after release: add a new version instead of editing it")
    added = []
    for p in all_prompts(root):
        if p.id not in lock:
            lock[p.id] = p.sha256
            added.append(p.id)
    from verifier.storage import write_atomic

    write_atomic(root / LOCK_FILE, json.dumps(dict(sorted(lock.items())), indent=2) + "\n")
    return added
