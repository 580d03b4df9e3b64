"""File ▸ Export (one action per format) and File ▸ Import (PDF highlights, W3C annotations).

Each export asks for the output file (:func:`ask_export_path`) then
:func:`apply_export` writes it with :func:`annotator.core.exports.run_export`: the current
document, or every document of the file when File ▸ Export ▸ Every document is checked. The
PDF export (a copy of the PDF with highlight annotations) may take a while: it runs in a
worker thread. Failures (a folder that cannot be written, an encrypted PDF without its
password…) are shown as clear messages; the core writes atomically, so no half-written file
is left behind.

ClaimReview names the fact-checking organisation as the review's author: its name and URL
are kept in the settings ("organisation", "organisation_url") and asked once.

Imports are undoable: highlights already in a PDF become *suggested* figures; a W3C Web
Annotation file (this app's export, or another tool's text annotations) adds its figures,
speakers, attributions and comments to the documents this file holds.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from annotator.core.errors import PasswordRequired, UserError
from annotator.core.exports import FORMATS
from annotator.core.model import RECORD_TYPES
from annotator.qt import commands, dialogs, settings
from annotator.qt.actions import ActionSpec
from annotator.qt.feature_base import Job, WindowLink, ensure_actions, move_before, need_store, register_specs, \
    run_command, worker_store

EXPORT_MENU = "File/E&xport"
IMPORT_MENU = "File/&Import"
EXPORT_PREFIX = "Ctrl+Shift+E"
IMPORT_PREFIX = "Ctrl+Shift+I"
#: the second key of each export's shortcut (Ctrl+Shift+E, then this key)
PREFERRED_KEYS = {"csv": "C", "w3c": "W", "pdf": "P", "html": "H", "claimreview": "R"}
W3C_FILTER = "W3C Web Annotations (*.jsonld *.json);;All files (*)"
#: formats whose export can take long (run in a worker thread)
SLOW_FORMATS = ("pdf",)


def _export_keys() -> dict[str, str]:
    taken = {"A"}
    out = {}
    for name in FORMATS:
        key = PREFERRED_KEYS.get(name)
        if key is None or key in taken:
            key = next((ch.upper() for ch in name if ch.isalpha() and ch.upper() not in taken), None)
        if key is None:
            continue
        taken.add(key)
        out[name] = key
    return out


def _specs() -> list[ActionSpec]:
    specs = []
    for name, key in _export_keys().items():
        fmt = FORMATS[name]
        tip = fmt.description + (" Only for PDF documents." if fmt.pdf_only else "")
        specs.append(ActionSpec(f"export_{name}", f"{fmt.label}…", (f"{EXPORT_PREFIX}, {key}",), tip, EXPORT_MENU, 0))
    specs.append(ActionSpec("export_all_documents", "Every &document of the file", (f"{EXPORT_PREFIX}, A",),
                            "When checked, exports hold every document of this annotation file, not only the one "
                            "shown.", EXPORT_MENU, 1, checkable=True))
    specs.append(ActionSpec("import_pdf_highlights", "&Highlights in this PDF", (f"{IMPORT_PREFIX}, P",),
                            "Offer the highlights already in this PDF (Acrobat, Okular, Zotero…) as suggested "
                            "figures, with their authors and notes.", IMPORT_MENU, 0))
    specs.append(ActionSpec("import_w3c", "&W3C Web Annotations…", (f"{IMPORT_PREFIX}, W",),
                            "Import a W3C Web Annotation file (JSON-LD) made on a document of this file: its "
                            "figures, speakers, attributions and comments.", IMPORT_MENU, 0))
    return specs


SPECS = _specs()
register_specs(SPECS)


# --------------------------------------------------------------------------- settings


def organisation() -> dict:
    """The organisation named as ClaimReview author (from the settings)."""
    return {"organisation": str(settings.value("organisation", "") or "").strip(),
            "organisation_url": str(settings.value("organisation_url", "") or "").strip()}


def apply_organisation(name: str, url: str = "") -> None:
    settings.set_value("organisation", name.strip())
    settings.set_value("organisation_url", url.strip())


class OrganisationDialog(QDialog):
    def __init__(self, parent, name: str = "", url: str = ""):
        super().__init__(parent)
        self.setObjectName("organisationDialog")
        self.setWindowTitle("Your organisation")
        note = QLabel("ClaimReview names the fact-checking organisation that publishes the reviews. "
                      "It is asked once and kept in the settings.", self)
        note.setWordWrap(True)
        self.name = QLineEdit(name, self)
        self.name.setObjectName("organisationName")
        self.name.setPlaceholderText("e.g. Factcheck Desk")
        self.url = QLineEdit(url, self)
        self.url.setObjectName("organisationUrl")
        self.url.setPlaceholderText("https://… (optional)")
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Web site:", self.url)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(buttons)


def ask_organisation(parent) -> tuple[str, str] | None:
    """Ask the organisation's name and web site; None when cancelled or left empty."""
    cur = organisation()
    dlg = OrganisationDialog(parent, cur["organisation"], cur["organisation_url"])
    if dlg.exec() != QDialog.DialogCode.Accepted or not dlg.name.text().strip():
        return None
    return dlg.name.text().strip(), dlg.url.text().strip()


def ensure_organisation(parent) -> dict | None:
    """The organisation settings, asked once when missing; None when the user gave none."""
    org = organisation()
    if not org["organisation"]:
        asked = ask_organisation(parent)
        if asked is None:
            return None
        apply_organisation(*asked)
        org = organisation()
    return org


# --------------------------------------------------------------------------- export


def _safe_stem(text: str) -> str:
    stem = re.sub(r"[^\w\- .()]+", "-", text or "").strip(" .-")
    return stem[:80] or "annotations"


def suggested_name(window, fmt_name: str, all_documents: bool = False) -> str:
    fmt = FORMATS[fmt_name]
    st = window.state
    if all_documents or st is None:
        stem = window.store.path.stem if window.store is not None else "annotations"
    else:
        info = st.info
        stem = Path(info.source_name).stem if info.source_name else info.title
    suffix = {"pdf": " (annotated)", "csv": " figures", "html": " report", "claimreview": " claimreview",
              "w3c": " annotations"}.get(fmt_name, "")
    return _safe_stem(stem) + suffix + fmt.extension


def ask_export_path(parent, fmt_name: str, suggested: str) -> str | None:
    """Where to write the export; None when cancelled. The format's extension is added when missing."""
    fmt = FORMATS[fmt_name]
    start = settings.value("last_export_dir", "") or settings.value("last_dir", "") or str(Path.home())
    path, _ = QFileDialog.getSaveFileName(parent, f"Export: {fmt.label}", str(Path(str(start)) / suggested),
                                          f"{fmt.file_filter};;All files (*)")
    if not path:
        return None
    if not Path(path).suffix:
        path += fmt.extension
    settings.set_value("last_export_dir", str(Path(path).parent))
    return path


def _export_settings(window, fmt_name: str, password: str | None) -> dict | None:
    out: dict = {}
    if fmt_name == "claimreview":
        org = ensure_organisation(window)
        if org is None:
            window.status("ClaimReview export cancelled: it needs the name of your organisation.")
            return None
        out.update(org)
    if password:
        out["pdf_password"] = password
    return out


def _known_password(window) -> str | None:
    st = window.state
    if st is None:
        return None
    return getattr(window, "_passwords", {}).get(st.info.sha256)


def apply_export(window, fmt_name: str, path, all_documents: bool = False, password: str | None = None):
    """Export to ``path``: the current document, or every document when ``all_documents``.

    Returns the :class:`~annotator.core.exports.common.ExportResult` (or, for slow formats,
    the running :class:`Job` whose ``finished`` signal tells the end); None when it failed
    or was cancelled (the user has been told why).
    """
    if not need_store(window):
        return None
    window.editor.commit_note()
    fmt = FORMATS[fmt_name]
    if fmt.pdf_only and window.state.info.kind != "pdf":
        dialogs.show_error(window, "Cannot export", f"{fmt.label} needs a PDF document; “{window.state.info.title}” "
                                                    "is not one. Try the HTML report.")
        return None
    doc_id = None if all_documents and not fmt.pdf_only else window.doc_id
    password = password or _known_password(window)
    options = _export_settings(window, fmt_name, password)
    if options is None:
        return None
    store = window.store

    def run(progress=None, cancel=None):
        from annotator.core.exports import run_export

        return run_export(store, fmt_name, path, document_id=doc_id, settings=options)

    def run_in_worker(progress=None, cancel=None):
        from annotator.core.exports import run_export

        with worker_store(store, readonly=True) as own:  # its own read-only connection
            return run_export(own or store, fmt_name, path, document_id=doc_id, settings=options)

    if fmt_name in SLOW_FORMATS:
        job = Job(window, run_in_worker, "Exporting", f"Writing {Path(path).name}…", cancellable=False,
                  object_name="exportProgress")
        job.finished.connect(lambda j: _export_done(window, fmt_name, path, all_documents, j.result, j.error))
        return job.start()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result, error = run(), None
    except UserError as exc:
        result, error = None, exc
    finally:
        QGuiApplication.restoreOverrideCursor()
    return _export_done(window, fmt_name, path, all_documents, result, error)


def _export_done(window, fmt_name: str, path, all_documents: bool, result, error):
    fmt = FORMATS[fmt_name]
    if isinstance(error, PasswordRequired):
        st = window.state
        pw = dialogs.ask_password(window, st.info.source_name if st else Path(path).name, error.wrong)
        if pw is None:
            window.status("Export cancelled (no password).")
            return None
        return apply_export(window, fmt_name, path, all_documents, password=pw)
    if isinstance(error, UserError):
        dialogs.show_error(window, "Export failed", str(error))
        return None
    if error is not None:
        dialogs.show_error(window, "Export failed", f"An unexpected error stopped the export "
                                                    f"({type(error).__name__}: {error}).")
        raise error
    n = result.count
    window.status(f"{fmt.label}: {n} item{'s' if n != 1 else ''} written to {result.path}.", 10000)
    if result.warnings:
        dialogs.show_info(window, "Export finished with warnings",
                          f"{fmt.label} written to {result.path}, with {len(result.warnings)} warning"
                          f"{'s' if len(result.warnings) != 1 else ''}:\n\n" + "\n".join(f"• {w}" for w in result.warnings))
    return result


# --------------------------------------------------------------------------- import


def _all_ids(store) -> dict[str, set[str]]:
    return {t: {r.id for r in store.records(cls, include_deleted=True)} for t, cls in RECORD_TYPES.items()}


class ImportRecords(commands.StoreCommand):
    """An import as one undo step: undo tombstones the records it added, redo brings them back."""

    ORDER = ("comments", "relations", "attributions", "figures", "speakers")

    def __init__(self, store, fn, text: str):
        super().__init__(store, text)
        self.fn = fn
        self.result = None
        self.added: list[tuple[type, str]] | None = None

    def _do(self) -> None:
        if self.added is None:
            before = _all_ids(self.store)
            self.result = self.fn(self.store)
            after = _all_ids(self.store)
            self.added = [(RECORD_TYPES[t], rid) for t in self.ORDER for rid in sorted(after[t] - before[t])]
            return
        with self.store.transaction():
            for cls, rid in reversed(self.added):
                self.store.undelete(cls, rid)

    def _undo(self) -> None:
        with self.store.transaction():
            for cls, rid in self.added or []:
                self.store.delete(cls, rid)


def _report_import(window, title: str, result) -> None:
    text = result.summary()
    if result.warnings:
        text += "\n\n" + "\n".join(f"• {w}" for w in result.warnings[:20])
        if len(result.warnings) > 20:
            text += f"\n… and {len(result.warnings) - 20} more."
    window.status(result.summary(), 10000)
    dialogs.show_info(window, title, text)


def apply_import_pdf(window, password: str | None = None):
    """Offer the highlights already in the current PDF as suggested figures (one undo step).
    Returns the ImportResult, or None when nothing was imported (the user was told why)."""
    if not need_store(window):
        return None
    st = window.state
    if st.info.kind != "pdf":
        dialogs.show_error(window, "Cannot import highlights",
                           f"“{st.info.source_name or st.info.title}” is not a PDF: only PDF highlights can be imported.")
        return None
    password = password or _known_password(window)
    doc_id = st.doc_id

    def run(store):
        from annotator.core.importers import import_pdf_highlights

        return import_pdf_highlights(store, doc_id, status="suggested", password=password)

    cmd = ImportRecords(window.store, run, "import PDF highlights")
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        commands.run(window.undo_stack, cmd)
    except PasswordRequired as exc:
        QGuiApplication.restoreOverrideCursor()
        pw = dialogs.ask_password(window, st.info.source_name, exc.wrong or password is not None)
        return apply_import_pdf(window, pw) if pw is not None else None
    except UserError as exc:
        QGuiApplication.restoreOverrideCursor()
        dialogs.show_error(window, "Cannot import highlights", str(exc))
        return None
    QGuiApplication.restoreOverrideCursor()
    _report_import(window, "Highlights imported", cmd.result)
    return cmd.result


def ask_w3c_path(parent) -> str | None:
    start = settings.value("last_dir", "") or str(Path.home())
    path, _ = QFileDialog.getOpenFileName(parent, "Import W3C Web Annotations", str(start), W3C_FILTER)
    return path or None


def _held_documents(store) -> list:
    """The documents of the file as the W3C importer needs them (it matches them by SHA-256 and URL)."""
    return [SimpleNamespace(sha256=d.sha256, metadata=dict(d.metadata), source_name=d.source_name, title=d.title,
                            kind=d.kind) for d in store.documents()]


def apply_import_w3c(window, path):
    """Import a W3C Web Annotation file into the open annotation file (one undo step)."""
    if window.store is None:
        window.status("Open the document the annotations were made on first.")
        return None
    window.editor.commit_note()
    name = Path(path).name

    def run(store):
        from annotator.core.importers import import_w3c

        return import_w3c(Path(path), store, _held_documents(store), name=name)

    cmd = ImportRecords(window.store, run, f"import {name}")
    if not run_command_quiet(window, cmd, "Cannot import annotations",
                             hint="Add that document to this file first (File ▸ Add document to this file…), "
                                  "then import again."):
        return None
    _report_import(window, "Annotations imported", cmd.result)
    return cmd.result


def run_command_quiet(window, cmd, title: str, hint: str = "") -> bool:
    """Run an undoable import; a failure is shown under ``title`` (with ``hint`` when the
    annotations need a document the file does not hold)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        commands.run(window.undo_stack, cmd)
    except UserError as exc:
        QGuiApplication.restoreOverrideCursor()
        msg = str(exc)
        if hint and "document that was not given" in msg:
            msg += "\n\n" + hint
        dialogs.show_error(window, title, msg)
        return False
    QGuiApplication.restoreOverrideCursor()
    return True


# --------------------------------------------------------------------------- install


def install(window) -> dict[str, QAction]:
    """Add File ▸ Export and File ▸ Import to ``window``; returns their actions by name."""
    acts = ensure_actions(window, SPECS)
    if window.findChild(QObject, "exportUi") is not None:
        return acts
    QObject(window).setObjectName("exportUi")  # installed once
    link = WindowLink.of(window)
    file_menu = window.menus.get("File")
    prefs = getattr(window.actions, "preferences", None)
    subs = [window.menus.get(IMPORT_MENU), window.menus.get(EXPORT_MENU)]
    if file_menu is not None and prefs is not None:
        move_before(file_menu, [m for m in subs if m is not None], prefs)

    def export_dialog(fmt_name: str) -> None:
        if not need_store(window):
            return
        every = acts["export_all_documents"].isChecked() and acts["export_all_documents"].isEnabled()
        path = ask_export_path(window, fmt_name, suggested_name(window, fmt_name, every))
        if path:
            apply_export(window, fmt_name, path, all_documents=every)

    for name in _export_keys():
        acts[f"export_{name}"].triggered.connect(lambda _c=False, n=name: export_dialog(n))
    acts["import_pdf_highlights"].triggered.connect(lambda: apply_import_pdf(window))

    def w3c_dialog() -> None:
        if window.store is None:
            window.status("Open the document the annotations were made on first.")
            return
        path = ask_w3c_path(window)
        if path:
            apply_import_w3c(window, path)

    acts["import_w3c"].triggered.connect(w3c_dialog)

    def enable() -> None:
        st = window.state
        has_doc = window.store is not None and st is not None
        is_pdf = has_doc and st.info.kind == "pdf"
        for name in _export_keys():
            acts[f"export_{name}"].setEnabled(has_doc and (is_pdf or not FORMATS[name].pdf_only))
        acts["export_all_documents"].setEnabled(has_doc and window.doc_combo.count() > 1)
        acts["import_pdf_highlights"].setEnabled(is_pdf)
        acts["import_w3c"].setEnabled(window.store is not None)

    link.documentReset.connect(enable)
    link.storeEvent.connect(lambda table, _op, _rec: enable() if table == "documents" else None)
    enable()
    return acts


__all__ = ["ImportRecords", "OrganisationDialog", "apply_export", "apply_import_pdf", "apply_import_w3c",
           "apply_organisation", "ask_export_path", "ask_organisation", "ask_w3c_path", "ensure_organisation",
           "install", "organisation", "suggested_name"]
