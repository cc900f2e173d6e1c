"""watch: the event printed (``--json``) and posted (``--webhook``) for each new version of a story,
and the rows of ``verifier history``."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from verifier.models.diff import DiffOutput


class WatchEvent(BaseModel):
    url: str = Field(description="The watched address (a feed's item: the link the feed gives).")
    version: int = Field(description="The new version's number, 1 for the first text seen.")
    previous_version: Optional[int] = Field(description="The version it is compared with; null for a first version.")
    fetched_at: str = Field(description="When the new version was fetched (UTC, ISO 8601).")
    summary: str = Field(description="The changes in one line (the terminal's line less the address).")
    diff: Optional[DiffOutput] = Field(description="Exactly what `verifier diff --json` prints for the two "
                                       "versions; null for a first version.")


class HistoryEntry(BaseModel):
    version: int
    fetched_at: str
    text_sha256: str
    chars: int
    title: Optional[str] = None
    final_url: Optional[str] = None
    previous_version: Optional[int] = None
    summary: Optional[str] = Field(default=None, description="What changed since the previous version; "
                                   "null for the first version or a version not yet compared.")


class History(BaseModel):
    url: str
    kind: str
    in_feed: bool = Field(description="False for a feed's item the feed no longer lists (not fetched again).")
    last_status: Optional[str] = None
    last_error: Optional[str] = None
    versions: list[HistoryEntry]
    items: list["FeedItem"] = Field(default_factory=list, description="A feed's items (empty for an article).")


class FeedItem(BaseModel):
    url: str
    versions: int
    in_feed: bool


History.model_rebuild()
