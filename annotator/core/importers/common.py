"""Shared by the importers: reading untrusted records safely, and the import report."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from annotator.core.errors import ExportError
from annotator.core.model import Record


@dataclass
class ImportResult:
    """What an import added to an annotation file."""

    figures: int = 0
    speakers: int = 0
    attributions: int = 0
    comments: int = 0
    relations: int = 0
    documents: list[str] = field(default_factory=list)  # ids of the documents the figures belong to
    already_present: int = 0  # records skipped because the file already had them
    orphans: list[str] = field(default_factory=list)  # figure texts not found in the document
    warnings: list[str] = field(default_factory=list)
    figure_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.figures} figure{'s' if self.figures != 1 else ''}"]
        if self.speakers:
            parts.append(f"{self.speakers} speaker{'s' if self.speakers != 1 else ''}")
        if self.attributions:
            parts.append(f"{self.attributions} attribution{'s' if self.attributions != 1 else ''}")
        if self.comments:
            parts.append(f"{self.comments} comment{'s' if self.comments != 1 else ''}")
        if self.relations:
            parts.append(f"{self.relations} relation{'s' if self.relations != 1 else ''}")
        text = "Imported " + ", ".join(parts) + "."
        if self.already_present:
            text += f" {self.already_present} already in the file were left as they were."
        if self.orphans:
            text += (
                f" {len(self.orphans)} figure(s) could not be found in the document text and are flagged "
                "“orphan”."
            )
        return text


# what each annotation (Python) type accepts from JSON
_ACCEPT = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool, int),
    "list": (list,),
    "dict": (dict,),
}


def _accepts(type_text: str, value) -> bool:
    options = [t.strip() for t in str(type_text).split("|")]
    if value is None:
        return "None" in options
    for opt in options:
        base = opt.split("[")[0]
        kinds = _ACCEPT.get(base)
        if kinds is None:
            continue
        if base in ("int", "float") and isinstance(value, bool):
            continue
        if isinstance(value, kinds):
            return True
    return False


def record_from(cls: type[Record], data: dict, where: str, **overrides) -> Record:
    """Build a record of ``cls`` from untrusted JSON ``data`` (unknown keys ignored; a value
    of the wrong type is a clear :class:`ExportError` naming ``where``)."""
    if not isinstance(data, dict):
        raise ExportError(f"{where}: expected an object, found {type(data).__name__}.")
    kw = {}
    for f in dataclasses.fields(cls):
        if f.name in overrides:
            kw[f.name] = overrides[f.name]
            continue
        if f.name not in data:
            continue
        v = data[f.name]
        if not _accepts(f.type, v):
            raise ExportError(f"{where}: “{f.name}” has a value of the wrong type ({type(v).__name__}).")
        if isinstance(v, int) and not isinstance(v, bool) and "float" in str(f.type) and "int" not in str(f.type):
            v = float(v)
        if f.name == "deleted":
            v = bool(v)
        kw[f.name] = v
    if not isinstance(kw.get("id", ""), str) or not kw.get("id"):
        raise ExportError(f"{where}: the record has no id.")
    return cls(**kw)
