"""What the window shows of the open document, kept in step with the store's change events.

:class:`DocumentState` is plain Python (no Qt): it caches the figures of one document,
their attributions and every speaker, and turns each store event into a :class:`Change`
saying which figures to redraw. The Qt adapters (figures table, highlights, panels)
read from it; they never query the store on every repaint.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING
from dataclasses import dataclass, field, replace

from annotator.core.model import Attribution, DocumentInfo, Figure, Speaker
from annotator.core.numbers import format_value

if TYPE_CHECKING:
    from annotator.core.store import AnnotationStore

#: figure and attribution statuses drawn in the views ("rejected" suggestions stay hidden)
SHOWN_STATUSES = ("confirmed", "suggested")


@dataclass
class Change:
    """What one store event changed in the current document."""

    added: list[str] = field(default_factory=list)  # figure ids now shown
    removed: list[str] = field(default_factory=list)  # figure ids no longer shown
    updated: set[str] = field(default_factory=set)  # figure ids whose look or columns changed
    speakers: bool = False  # a speaker changed (names in every row may change)
    reset: bool = False  # everything must be redrawn
    removed_attributions: list[str] = field(default_factory=list)  # attribution ids no longer shown


@dataclass
class Prepared:
    """The new records of one batch (``store.add_many``, ``store.undelete_many`` with records) sorted out
    for the window off the UI thread (:func:`prepare_new`): the document's shown figures, their text
    order, their attributions grouped by figure. :meth:`DocumentState.add_prepared` merges them in."""

    doc_id: str
    figures: dict  # figure id -> Figure (shown ones of ``doc_id``)
    order: list  # (start, end, id) of ``figures``, sorted
    attributions: dict  # figure id -> {attribution id: Attribution} for figures in ``figures``
    att_figure: dict  # attribution id -> figure id, for those
    loose: list  # other attributions of the batch (their figure is not new): checked on the UI thread


class PreparedList(list):
    """A store event's list of new records, with the :class:`Prepared` work done for it off the UI thread
    (listeners that do not know it see the list)."""

    prepared: Prepared | None = None


def prepare_new(tables: dict[str, list]) -> dict[str, list]:
    """Sort out new records per table (pure Python, for a worker thread): returns the same records as
    :class:`PreparedList` payloads sharing one :class:`Prepared` (the tables as they were when the figures
    are not all of one document)."""
    figs = tables.get("figures") or []
    docs = {f.document_id for f in figs}
    if len(docs) != 1:
        return tables
    doc_id = docs.pop()
    figures = {f.id: f for f in figs if not f.deleted and f.status in SHOWN_STATUSES}
    order = sorted((f.start, f.end, f.id) for f in figures.values())
    atts: dict = {}
    att_figure: dict = {}
    loose: list = []
    for a in tables.get("attributions") or []:
        if a.figure_id in figures:
            if not a.deleted and a.status in SHOWN_STATUSES:
                atts.setdefault(a.figure_id, {})[a.id] = a
                att_figure[a.id] = a.figure_id
        else:
            loose.append(a)
    prepared = Prepared(doc_id, figures, order, atts, att_figure, loose)
    out = {}
    for table, recs in tables.items():
        lst = PreparedList(recs)
        lst.prepared = prepared
        out[table] = lst
    return out


class DocumentState:
    def __init__(self, store: AnnotationStore, doc_id: str):
        self.store = store
        self.doc_id = doc_id
        self.reload()

    # -- loading ----------------------------------------------------------------

    def reload(self) -> None:
        store = self.store
        self.info: DocumentInfo = store.document(self.doc_id)
        self.text: str = store.document_text(self.doc_id)
        figs = store.figures(self.doc_id, statuses=SHOWN_STATUSES)
        self.figures: dict[str, Figure] = {f.id: f for f in figs}
        self.attributions: dict[str, dict[str, Attribution]] = {}
        self.att_figure: dict[str, str] = {}
        if figs:
            for att in store.attributions(statuses=SHOWN_STATUSES):
                if att.figure_id in self.figures:
                    self.attributions.setdefault(att.figure_id, {})[att.id] = att
                    self.att_figure[att.id] = att.figure_id
        self.speakers: dict[str, Speaker] = {
            s.id: s for s in store.records(Speaker, include_deleted=True)
        }
        self._order: list[tuple[int, int, str]] | None = None

    # -- events -------------------------------------------------------------------

    def add_new(self, table: str, records: list) -> bool:
        """Records just created together (``store.add_many``: a Find figures pass) put in without reading
        the file again: new figures have no attributions but those in ``records``. False for a table
        the state does not follow (then :meth:`reload`)."""
        if table == "speakers":
            for sp in records:
                self.speakers[sp.id] = sp
        elif table == "figures":
            for f in records:
                if f.document_id == self.doc_id and not f.deleted and f.status in SHOWN_STATUSES:
                    self.figures[f.id] = f
            self._order = None
        elif table == "attributions":
            for a in records:
                if a.figure_id in self.figures and not a.deleted and a.status in SHOWN_STATUSES:
                    self.attributions.setdefault(a.figure_id, {})[a.id] = a
                    self.att_figure[a.id] = a.figure_id
        else:
            return False
        return True

    def add_prepared(self, p: Prepared, with_attributions: bool) -> None:
        """New figures (and their attributions when ``with_attributions``) sorted out off the UI thread
        merged in: dictionary updates and one merge of two sorted lists."""
        before = self.ordered() if self.figures else []
        self.figures.update(p.figures)
        self._order = sorted(before + p.order) if before else list(p.order)
        if not with_attributions:
            return
        atts = self.attributions
        for fid, d in p.attributions.items():
            have = atts.get(fid)
            if have is None:
                atts[fid] = d
            else:
                have.update(d)
        self.att_figure.update(p.att_figure)
        if p.loose:
            self.add_new("attributions", p.loose)

    def remove(self, table: str, ids) -> None:
        """Records tombstoned together (``store.delete_many``: an undone Find figures pass) taken out
        without reading the file again."""
        if table == "figures":
            figures = self.figures
            if len(ids) > len(figures) // 2 and isinstance(ids, (set, frozenset)):
                self.figures = {fid: f for fid, f in figures.items() if fid not in ids}  # most of them
            else:
                for fid in ids:
                    figures.pop(fid, None)
            self._order = None
        elif table == "attributions" and len(ids) > len(self.att_figure) // 2 and isinstance(ids, (set, frozenset)):
            # most of them (an undone pass): what is left is rebuilt, not taken out one by one
            gone = ids
            self.att_figure = {aid: fid for aid, fid in self.att_figure.items() if aid not in gone}
            left: dict[str, dict[str, Attribution]] = {}
            for fid, of in self.attributions.items():
                kept = {aid: a for aid, a in of.items() if aid not in gone}
                if kept:
                    left[fid] = kept
            self.attributions = left
        elif table == "attributions":
            att_figure, atts = self.att_figure, self.attributions
            for aid in ids:
                fid = att_figure.pop(aid, None)
                if fid is not None:
                    of = atts.get(fid)
                    if of is not None:
                        of.pop(aid, None)
                        if not of:
                            del atts[fid]
        elif table == "speakers":
            for sid in ids:
                sp = self.speakers.get(sid)
                if sp is not None and not sp.deleted:
                    self.speakers[sid] = replace(sp, deleted=True)

    def update_records(self, table: str, upd, change: Change) -> bool:
        """Records changed together (``store.update_many``: accept or reject all from a speaker, and their
        undo) brought up to date from the event's ``Updated`` payload, without reading the file again
        (only records the state did not hold, e.g. suggestions coming back from "rejected", are read, in
        one query per table). What it changed is added to ``change``. False for a table the state does
        not follow."""
        import json

        if table == "figures":
            figures = self.figures
            missing = []
            for fid in upd.ids:
                f = figures.get(fid)
                if f is None:
                    missing.append(fid)
                    continue
                f = upd.apply(f)
                if not f.deleted and f.status in SHOWN_STATUSES:
                    figures[fid] = f
                    change.updated.add(fid)
                else:
                    del figures[fid]
                    change.removed.append(fid)
                    for aid in self.attributions.pop(fid, {}):
                        self.att_figure.pop(aid, None)
                        change.removed_attributions.append(aid)
            if missing:
                back = self.store.records(Figure, "id IN (SELECT value FROM json_each(?))", [json.dumps(missing)])
                back = [f for f in back if f.document_id == self.doc_id and f.status in SHOWN_STATUSES]
                for f in back:
                    figures[f.id] = f
                    change.added.append(f.id)
                if back:  # their attributions, as the file has them now
                    atts = self.store.records(
                        Attribution, "figure_id IN (SELECT value FROM json_each(?))",
                        [json.dumps([f.id for f in back])])
                    for a in atts:
                        if a.status in SHOWN_STATUSES:
                            self.attributions.setdefault(a.figure_id, {})[a.id] = a
                            self.att_figure[a.id] = a.figure_id
            self._order = None
        elif table == "attributions":
            att_figure, atts = self.att_figure, self.attributions
            missing = []
            for aid in upd.ids:
                fid = att_figure.get(aid)
                if fid is None:
                    missing.append(aid)
                    continue
                a = upd.apply(atts[fid][aid])
                if not a.deleted and a.status in SHOWN_STATUSES and a.figure_id == fid:
                    atts[fid][aid] = a
                else:
                    del atts[fid][aid]
                    if not atts[fid]:
                        del atts[fid]
                    del att_figure[aid]
                    change.removed_attributions.append(aid)
                    if a.figure_id != fid:
                        missing.append(aid)
                change.updated.add(fid)
            if missing and self.figures:
                for a in self.store.records(Attribution, "id IN (SELECT value FROM json_each(?))",
                                            [json.dumps(missing)]):
                    if a.figure_id in self.figures and a.status in SHOWN_STATUSES:
                        atts.setdefault(a.figure_id, {})[a.id] = a
                        att_figure[a.id] = a.figure_id
                        change.updated.add(a.figure_id)
        elif table == "speakers":
            for sid in upd.ids:
                sp = self.speakers.get(sid)
                if sp is None:
                    return False
                self.speakers[sid] = upd.apply(sp)
            change.speakers = True
        else:
            return False
        return True

    def apply(self, table: str, op: str, rec) -> Change | None:
        if op in ("reload",) or table == "documents" and op != "document":
            self.reload()
            return Change(reset=True)
        if table == "figures":
            return self._figure(rec)
        if table == "attributions":
            return self._attribution(rec)
        if table == "speakers":
            self.speakers[rec.id] = rec
            return Change(speakers=True)
        return None

    def _figure(self, f: Figure) -> Change | None:
        if f.document_id != self.doc_id:
            return None
        shown = not f.deleted and f.status in SHOWN_STATUSES
        had = f.id in self.figures
        self._order = None
        if shown:
            self.figures[f.id] = f
            if had:
                return Change(updated={f.id})
            # attributions of a figure coming back (undo of a delete) are read again
            for att in self.store.attributions(figure_id=f.id, statuses=SHOWN_STATUSES):
                self.attributions.setdefault(f.id, {})[att.id] = att
                self.att_figure[att.id] = f.id
            return Change(added=[f.id])
        if had:
            del self.figures[f.id]
            return Change(removed=[f.id])
        return None

    def _attribution(self, a: Attribution) -> Change | None:
        fid = a.figure_id
        old_fid = self.att_figure.get(a.id)
        change = Change()
        if old_fid is not None and old_fid != fid:
            self.attributions.get(old_fid, {}).pop(a.id, None)
            self.att_figure.pop(a.id, None)
            change.updated.add(old_fid)
            change.removed_attributions.append(a.id)
        if fid in self.figures:
            if not a.deleted and a.status in SHOWN_STATUSES:
                self.attributions.setdefault(fid, {})[a.id] = a
                self.att_figure[a.id] = fid
            else:
                if self.attributions.get(fid, {}).pop(a.id, None) is not None:
                    change.removed_attributions.append(a.id)
                self.att_figure.pop(a.id, None)
            change.updated.add(fid)
        return change if change.updated else None

    # -- reading ------------------------------------------------------------------

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        """A speaker by id, following merges to the speaker that absorbed it."""
        seen = set()
        sp = self.speakers.get(speaker_id) if speaker_id else None
        while sp is not None and sp.merged_into and sp.id not in seen:
            seen.add(sp.id)
            sp = self.speakers.get(sp.merged_into)
        return sp

    def figure_attributions(self, figure_id: str) -> list[Attribution]:
        return sorted(self.attributions.get(figure_id, {}).values(), key=lambda a: (a.created, a.id))

    def speaker_ids(self, figure_id: str) -> set[str]:
        out = set()
        for a in self.figure_attributions(figure_id):
            sp = self.speaker(a.speaker_id)
            if sp is not None:
                out.add(sp.id)
        return out

    def speakers_text(self, figure_id: str) -> str:
        parts = []
        for a in self.figure_attributions(figure_id):
            sp = self.speaker(a.speaker_id)
            name = sp.name if sp is not None and not sp.deleted else "?"
            parts.append(f"{name} ({a.role})" if a.status == "confirmed" else f"{name} ({a.role}, suggested)")
        return ", ".join(parts)

    def location(self, f: Figure) -> str:
        from annotator.core.project import location_label

        return location_label(self.info, f.start, f.page)

    def value_text(self, f: Figure) -> str:
        return format_value(f.value, f.low, f.high, None)

    def ordered(self) -> list[tuple[int, int, str]]:
        """(start, end, figure id) of every shown figure, in text order."""
        if self._order is None:
            self._order = sorted((f.start, f.end, f.id) for f in self.figures.values())
        return self._order

    def figure_at(self, offset: int) -> str | None:
        """The innermost figure whose span holds ``offset`` (code points)."""
        best = None
        for s, e, fid in self.ordered():
            if s > offset:
                break
            if s <= offset < e or s == offset == e:
                if best is None or e - s < best[1] - best[0]:
                    best = (s, e, fid)
        return best[2] if best else None

    def neighbour(self, figure_id: str | None, offset: int, step: int) -> str | None:
        """The figure after (step=1) or before (step=-1) the current one in text order."""
        order = self.ordered()
        if not order:
            return None
        keys = [(s, fid) for s, _e, fid in order]
        if figure_id in self.figures:
            i = keys.index((self.figures[figure_id].start, figure_id))
            j = i + step
        else:
            j = bisect.bisect_right([k[0] for k in keys], offset) if step > 0 else \
                bisect.bisect_left([k[0] for k in keys], offset) - 1
        if 0 <= j < len(keys):
            return keys[j][1]
        return None
