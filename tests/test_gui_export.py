"""File ▸ Export and File ▸ Import through the window."""

from __future__ import annotations

import csv
import json

import pytest
from export_support import make_pdf
from gui_helpers import Messages, open_and_wait, select
from merge_support import mark
from review_gui_support import figure_with, make_window, win  # noqa: F401  (fixtures)

from annotator.core.exports import FORMATS
from annotator.qt import export_ui

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def test_every_format_has_an_action_in_the_export_menu(win):
    menu = win.menus["File/E&xport"]
    names = [a.objectName() for a in menu.actions()]
    for name, fmt in FORMATS.items():
        act = win.actions[f"export_{name}"]
        assert f"export_{name}" in names and act.text().startswith(fmt.label)
        # the PDF export needs a PDF document; the sample is text
        assert act.isEnabled() == (not fmt.pdf_only)
    assert not win.actions.import_pdf_highlights.isEnabled()
    # Import and Export sit with the other file commands, not after Quit
    file_names = [a.text().replace("&", "") for a in win.menus["File"].actions()]
    assert file_names.index("Export") < file_names.index("Quit")


def test_csv_export_writes_the_figures(win, qtbot, tmp_path, monkeypatch):
    for needle in ("30,000", "1500", "$79 million"):
        select(win, needle)
        win.mark_figure()
    out = tmp_path / "figures.csv"
    monkeypatch.setattr(export_ui, "ask_export_path", lambda _p, _fmt, suggested: str(out))
    win.actions.export_csv.trigger()
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["exact"] for r in rows) == sorted(["30,000", "1500", "$79 million"])
    assert {r["author"] for r in rows} == {"Tester"}
    assert str(out) in win.statusBar().currentMessage()


def test_export_to_an_unwritable_path_says_why_and_leaves_no_file(win, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    select(win, "30,000")
    win.mark_figure()
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    out = blocker / "figures.csv"
    assert export_ui.apply_export(win, "csv", out) is None
    [(title, text)] = messages.shown
    assert title == "Export failed" and "figures.csv" in text and "not a folder" in text
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    # a folder that does not exist
    missing = tmp_path / "missing" / "figures.csv"
    assert export_ui.apply_export(win, "html", missing.with_suffix(".html")) is None
    assert "does not exist" in messages.texts[-1]
    assert not (tmp_path / "missing").exists()


def test_claimreview_asks_the_organisation_once(win, qtbot, tmp_path, monkeypatch):
    select(win, "30,000")
    fid = win.mark_figure()
    win.update_figure(fid, verdict="inaccurate")
    asked = []

    def ask(_parent):
        asked.append(1)
        return "Factcheck Desk", "https://desk.example.org"

    monkeypatch.setattr(export_ui, "ask_organisation", ask)
    first = export_ui.apply_export(win, "claimreview", tmp_path / "a.json")
    second = export_ui.apply_export(win, "claimreview", tmp_path / "b.json")
    assert asked == [1] and first.count == second.count == 1
    text = (tmp_path / "b.json").read_text(encoding="utf-8")
    assert "Factcheck Desk" in text and "https://desk.example.org" in text
    assert export_ui.organisation()["organisation"] == "Factcheck Desk"


def test_claimreview_without_an_organisation_writes_nothing(win, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(export_ui, "ask_organisation", lambda _p: None)
    assert export_ui.apply_export(win, "claimreview", tmp_path / "c.json") is None
    assert not (tmp_path / "c.json").exists() and "organisation" in win.statusBar().currentMessage()


def test_export_every_document_of_the_file(win, qtbot, tmp_path, monkeypatch):
    other = tmp_path / "other.txt"
    other.write_text("The ministry reported 42 new prisons in 2022.", encoding="utf-8")
    win.add_document_path(other)
    qtbot.waitUntil(lambda: not win.is_loading() and win.doc_combo.count() == 2, timeout=10000)
    mark(win.store, win.doc_id, "42")
    win.show_document(win.doc_combo.itemData(0))
    mark(win.store, win.doc_id, "1500")
    act = win.actions.export_all_documents
    assert act.isEnabled()
    out = tmp_path / "all.csv"
    monkeypatch.setattr(export_ui, "ask_export_path", lambda _p, _fmt, suggested: str(out))
    win.actions.export_csv.trigger()
    assert len(list(csv.DictReader(open(out, encoding="utf-8-sig", newline="")))) == 1  # the document shown
    act.setChecked(True)
    win.actions.export_csv.trigger()
    assert len(list(csv.DictReader(open(out, encoding="utf-8-sig", newline="")))) == 2


def test_import_w3c_annotations_from_another_tool_is_undoable(win, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    text = win.state.text
    start = text.index("1500")
    anno = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [{
            "type": "Annotation", "id": "urn:uuid:7d3c3f7e-3a3b-4a55-9a4e-0f9b4c1d2e3f",
            "creator": {"type": "Person", "name": "Hypothesis User"},
            "bodyValue": "Reuters said about 1,500.",
            "target": {"selector": [
                {"type": "TextQuoteSelector", "exact": "1500", "prefix": text[start - 20:start],
                 "suffix": text[start + 4:start + 24]},
                {"type": "TextPositionSelector", "start": start, "end": start + 4}]},
        }]},
    }
    path = tmp_path / "hypothesis.jsonld"
    path.write_text(json.dumps(anno), encoding="utf-8")
    monkeypatch.setattr(export_ui, "ask_w3c_path", lambda _p: str(path))
    win.actions.import_w3c.trigger()
    f = figure_with(win, "1500")
    assert (f.author, f.note, f.start) == ("Hypothesis User", "Reuters said about 1,500.", start)
    assert messages.shown and messages.shown[-1][0] == "Annotations imported"
    win.undo()
    assert [x for x in win.state.figures.values() if x.exact == "1500"] == []
    win.redo()
    assert figure_with(win, "1500").id == f.id


def test_import_malformed_json_says_so(win, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    bad = tmp_path / "broken.jsonld"
    bad.write_text("{not json", encoding="utf-8")
    n = len(win.state.figures)
    assert export_ui.apply_import_w3c(win, bad) is None
    [(title, text)] = messages.shown
    assert title == "Cannot import annotations" and "broken.jsonld" in text and "JSON" in text
    assert len(win.state.figures) == n and win.undo_stack.count() == 0


def test_pdf_highlights_import_and_pdf_export(make_window, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(make_pdf([["Annual report of the prison service."],
                              ["The MEK said that at least 30,000 protesters were arrested.",
                               "Each inmate costs around 100 million rials."]],
                             highlights=[(1, "30,000 protesters", "Okular User", "Too high?")]))
    w = make_window()
    open_and_wait(qtbot, w, pdf)
    assert w.actions.import_pdf_highlights.isEnabled() and w.actions.export_pdf.isEnabled()
    result = export_ui.apply_import_pdf(w)
    assert result.figures == 1
    [f] = [f for f in w.store.figures(w.doc_id, statuses=("suggested",))]
    assert (f.exact, f.author, f.note) == ("30,000 protesters", "Okular User", "Too high?")
    assert f.id in w.state.figures  # shown as a suggestion
    w.undo()
    assert f.id not in w.state.figures

    # the PDF export runs in a worker; the copy carries the app's highlights
    select(w, "100 million rials")
    w.mark_figure()
    out = tmp_path / "marked.pdf"
    job = export_ui.apply_export(w, "pdf", out)
    qtbot.waitUntil(lambda: not job.is_running() and out.exists(), timeout=15000)
    qtbot.waitUntil(lambda: "marked.pdf" in w.statusBar().currentMessage(), timeout=5000)
    from pypdf import PdfReader

    annots = [a.get_object() for p in PdfReader(str(out)).pages for a in (p.get("/Annots") or [])]
    contents = [str(a.get("/Contents", "")) for a in annots if a.get("/Subtype") == "/Highlight"]
    assert any("100 million rials" in c for c in contents)
    assert not [m for m in messages.shown if m[0] == "Export failed"]


def test_pdf_only_actions_are_off_for_text(win, monkeypatch):
    messages = Messages(monkeypatch)
    assert not win.actions.export_pdf.isEnabled()
    assert export_ui.apply_export(win, "pdf", "x.pdf") is None
    assert "needs a PDF" in messages.texts[-1]
    assert export_ui.apply_import_pdf(win) is None
    assert "not a PDF" in messages.texts[-1]

