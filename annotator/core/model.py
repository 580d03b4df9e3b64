"""Records kept in an annotation file, and the small vocabularies they use.

Every record has a random UUID, an author, created/updated times, a tombstone flag
(deletions are kept so a merge can tell "deleted" from "never had it") and a revision
history (``rev`` plus ``prev_revs``) so a merge can tell "changed on one side" from
"changed on both sides" (a conflict).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import ClassVar

# The checker's verdict on a figure.
VERDICTS = ("unchecked", "accurate", "inaccurate", "misleading", "unverifiable")
VERDICT_HELP = {
    "unchecked": "Not checked yet.",
    "accurate": "The figure matches the best available evidence.",
    "inaccurate": "The figure is wrong: the evidence gives a different number.",
    "misleading": "The number is right but presented so that it gives a false impression.",
    "unverifiable": "No reliable evidence can confirm or refute the figure.",
}
# Who states a figure.
SPEAKER_KINDS = ("person", "organisation", "outlet", "anonymous", "document")
# How a speaker relates to a figure.
ATTRIBUTION_ROLES = ("states", "relays", "confirms", "disputes")
# Whether a figure was confirmed by a person or only proposed by the suggestion engine.
FIGURE_STATUSES = ("confirmed", "suggested", "rejected")
# The reviewer's status, separate from the checker's verdict ("" = not reviewed).
REVIEW_STATUSES = ("", "accepted", "disputed", "needs_source")


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> str:
    """UTC time, ISO 8601 with milliseconds (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Record:
    id: str = field(default_factory=new_id)
    author: str = ""
    created: str = ""
    updated: str = ""
    deleted: bool = False
    rev: str = ""
    prev_revs: list = field(default_factory=list)

    TABLE: ClassVar[str] = ""
    JSON_FIELDS: ClassVar[tuple] = ("prev_revs",)
    BOOL_FIELDS: ClassVar[tuple] = ("deleted",)
    # fields a merge ignores when deciding whether two revisions differ in content
    META_FIELDS: ClassVar[tuple] = ("id", "author", "created", "updated", "rev", "prev_revs")

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    def content(self) -> dict:
        """The fields a person edits (what a merge compares)."""
        d = dataclasses.asdict(self)
        for k in self.META_FIELDS:
            d.pop(k, None)
        return d

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclass
class Figure(Record):
    document_id: str = ""
    start: int = 0  # code-point offsets into the stored document text
    end: int = 0
    exact: str = ""  # text-quote selector
    prefix: str = ""
    suffix: str = ""
    page: int | None = None  # PDFs: 0-based page number
    quads: list | None = None  # PDFs: [[x0,y0,x1,y1,x2,y2,x3,y3], ...] in displayed page coordinates
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    counted: str | None = None
    rate: str | None = None
    verdict: str = "unchecked"
    note: str = ""
    status: str = "confirmed"
    review_status: str = ""
    reviewer: str = ""
    reviewed_at: str = ""
    flags: list = field(default_factory=list)  # e.g. "figure_changed", "orphan"

    TABLE = "figures"
    JSON_FIELDS = ("prev_revs", "quads", "flags")

    def value_text(self) -> str:
        from annotator.core.numbers import format_value

        return format_value(self.value, self.low, self.high, self.unit)


@dataclass
class Speaker(Record):
    name: str = ""
    kind: str = "person"
    affiliation: str = ""  # role or affiliation, e.g. "vice-chairman of the parliament's judicial commission"
    aliases: list = field(default_factory=list)
    merged_into: str | None = None  # set when merged into another speaker

    TABLE = "speakers"
    JSON_FIELDS = ("prev_revs", "aliases")

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Attribution(Record):
    figure_id: str = ""
    speaker_id: str = ""
    role: str = "states"
    evidence_start: int | None = None  # the quote or sentence that attributes the figure
    evidence_end: int | None = None
    evidence_exact: str = ""
    evidence_prefix: str = ""
    evidence_suffix: str = ""
    evidence_page: int | None = None
    evidence_quads: list | None = None
    status: str = "confirmed"  # or "suggested" / "rejected"

    TABLE = "attributions"
    JSON_FIELDS = ("prev_revs", "evidence_quads")


@dataclass
class Comment(Record):
    figure_id: str = ""
    parent_id: str | None = None  # a reply points at the comment it answers
    body: str = ""

    TABLE = "comments"


@dataclass
class Relation(Record):
    """A derivation between figures (issue 6): target = f(inputs)."""

    kind: str = ""  # "share" | "product" | "sum" | "period" | "currency" | "same"
    target_id: str = ""
    input_ids: list = field(default_factory=list)
    params: dict = field(default_factory=dict)  # e.g. {"rate": 42000, "date": "...", "source": "..."}
    status: str = "confirmed"  # or "suggested" / "rejected"
    note: str = ""

    TABLE = "relations"
    JSON_FIELDS = ("prev_revs", "input_ids", "params")


RECORD_TYPES: dict[str, type[Record]] = {
    cls.TABLE: cls for cls in (Figure, Speaker, Attribution, Comment, Relation)
}


@dataclass
class DocumentInfo:
    """A document held in an annotation file (the text and bytes are fetched separately)."""

    id: str
    sha256: str
    kind: str
    title: str
    source_name: str
    metadata: dict
    pages: list | None  # [{"number", "start", "end", "width", "height", "has_text"}]
    paragraphs: list  # [[start, end], ...]
    author: str
    created: str
    text_length: int

    @property
    def url(self) -> str:
        return str(self.metadata.get("url") or "")

    @property
    def date(self) -> str:
        return str(self.metadata.get("date") or "")

    def page_of(self, offset: int) -> int | None:
        if not self.pages:
            return None
        import bisect

        starts = self.__dict__.get("_page_starts")
        if starts is None:
            starts = self.__dict__["_page_starts"] = [p["start"] for p in self.pages]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.pages[i]["number"]

    def paragraph_of(self, offset: int) -> int:
        import bisect

        starts = [p[0] for p in self.paragraphs]
        return max(0, bisect.bisect_right(starts, offset) - 1)
