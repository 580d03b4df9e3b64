"""Review mode: the Review panel (review status, comment threads, summary) and its actions.

A reviewer gives each figure a review status (accepted, disputed, needs source) with their
name and the time, kept apart from the checker's verdict; discusses a figure in comment
threads with replies; and sees counts by status, by author and by speaker. The author
filter is the figures list's own (the panel drives it through ``window.figures.filter_by``).

Every edit is an undoable command calling :mod:`annotator.core.review`; the panel redraws
from the store's change events.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel, \
    QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QTableWidget, QTableWidgetItem, QTabWidget, \
    QTextBrowser, QVBoxLayout, QWidget

from annotator.core.model import Comment, Figure
from annotator.qt import commands
from annotator.qt.actions import ActionSpec
from annotator.qt.feature_base import WindowLink, add_dock, ensure_actions, local_time, move_menu_before, \
    need_store, register_specs, run_command, short, show_dock

#: review statuses offered to the reviewer, with their labels (the core's "" = not reviewed)
STATUSES = (("accepted", "Accepted"), ("disputed", "Disputed"), ("needs_source", "Needs source"))
STATUS_LABELS = {"": "Not reviewed", **dict(STATUSES)}
STATUS_INK = {"accepted": "#1e7b34", "disputed": "#b3261e", "needs_source": "#b35c00", "": "#5f6b7a"}

SPECS = [
    ActionSpec("review_accepted", "&Accepted", ("Alt+1",),
               "Review: the figure and its verdict hold (your name and the time are recorded).", "Review", 0),
    ActionSpec("review_disputed", "&Disputed", ("Alt+2",),
               "Review: you dispute the figure or its verdict (say why in a comment).", "Review", 0),
    ActionSpec("review_needs_source", "&Needs source", ("Alt+3",),
               "Review: the verdict needs a source before it can be accepted.", "Review", 0),
    ActionSpec("review_clear", "C&lear review status", ("Alt+0",),
               "Remove the review status of the current figure.", "Review", 0),
    ActionSpec("review_comment", "&Comment on figure…", ("Ctrl+Shift+C",),
               "Write a comment on the current figure, or reply to one (Review panel).", "Review", 1),
    ActionSpec("review_next_unreviewed", "Next &unreviewed figure", ("Alt+N",),
               "Go to the next figure without a review status (among the figures the list shows).", "Review", 1),
    ActionSpec("show_review", "&Review panel", ("Ctrl+4",),
               "Show or hide the review panel (review status, comments, summary).", "View", 0, checkable=True),
]
register_specs(SPECS)


# --------------------------------------------------------------------------- commands


class SetReviewStatus(commands.StoreCommand):
    """Give a figure a review status with the reviewer's name and the time (undo restores the previous one)."""

    def __init__(self, store, figure_id: str, status: str, reviewer: str, text: str):
        super().__init__(store, text)
        self.figure_id = figure_id
        self.status = status
        self.reviewer = reviewer
        self.when: str | None = None
        self.previous: dict | None = None

    def _do(self) -> None:
        from annotator.core import review as core_review
        from annotator.core.model import now

        if self.when is None:
            self.when = now()
        prev = core_review.set_review_status(self.store, self.figure_id, self.status, self.reviewer, self.when)
        if self.previous is None:
            self.previous = prev

    def _undo(self) -> None:
        if self.previous is not None:
            self.store.update(Figure, self.figure_id, **self.previous)


class AddComment(commands.StoreCommand):
    """A comment on a figure, or a reply to a comment (undo tombstones it, redo brings it back)."""

    def __init__(self, store, figure_id: str, body: str, author: str, parent_id: str | None, text: str):
        super().__init__(store, text)
        self.figure_id = figure_id
        self.body = body
        self.author = author
        self.parent_id = parent_id
        self.comment: Comment | None = None

    def _do(self) -> None:
        from annotator.core import review as core_review

        if self.comment is None:
            self.comment = core_review.add_comment(self.store, self.figure_id, self.body, self.author or None,
                                                   self.parent_id)
        else:
            self.store.undelete(Comment, self.comment.id)

    def _undo(self) -> None:
        if self.comment is not None:
            self.store.delete(Comment, self.comment.id)


# --------------------------------------------------------------------------- apply functions (tests call these)


def set_review_status(window, status: str, figure_id: str | None = None) -> bool:
    """Set (``""``: clear) the review status of ``figure_id`` (default: the current figure)."""
    if not need_store(window):
        return False
    st = window.state
    fid = figure_id or window.current_figure_id
    f = st.figures.get(fid) if fid else None
    if f is None:
        window.status("No figure selected: pick a figure in the text or the list, then review it.")
        return False
    if f.review_status == status and (not status or f.reviewer == window.me):
        return True
    label = STATUS_LABELS[status].lower() if status else "no review status"
    ok = run_command(window, SetReviewStatus(window.store, f.id, status, window.me,
                                             f"review “{short(f.exact)}”: {label}"))
    if ok:
        window.status(f"“{f.exact}”: {label}" + (f" (by {window.me})" if status else ""))
    return ok


def add_comment(window, body: str, parent_id: str | None = None, figure_id: str | None = None) -> str | None:
    """Add a comment (or a reply to ``parent_id``) on a figure; returns the comment's id."""
    if not need_store(window):
        return None
    fid = figure_id or window.current_figure_id
    st = window.state
    f = st.figures.get(fid) if fid else None
    if f is None:
        window.status("No figure selected: pick the figure to comment on first.")
        return None
    if not (body or "").strip():
        window.status("Write the comment first.")
        return None
    what = "reply on" if parent_id else "comment on"
    cmd = AddComment(window.store, f.id, body, window.me, parent_id, f"{what} “{short(f.exact)}”")
    if not run_command(window, cmd):
        return None
    return cmd.comment.id if cmd.comment else None


def delete_comment(window, comment_id: str) -> bool:
    c = window.store.get(Comment, comment_id) if window.store is not None else None
    if c is None or c.deleted:
        return False
    return run_command(window, commands.DeleteRecords(window.store, [(Comment, comment_id)],
                                                      f"delete comment “{short(c.body, 30)}”"))


def next_unreviewed(window) -> str | None:
    """Go to the next figure (in text order, among those the figures list shows) without a review status."""
    st = window.state
    if st is None:
        return None
    shown = set(window.figures.visible_ids())
    todo = sorted((f.start, f.end, f.id) for f in st.figures.values()
                  if f.id in shown and not f.review_status and f.status == "confirmed")
    if not todo:
        window.status("Every figure shown has been reviewed.")
        return None
    cur = st.figures.get(window.current_figure_id or "")
    key = (cur.start, cur.end, cur.id) if cur is not None else None
    nxt = next((t for t in todo if key is None or t > key), todo[0])
    window.go_to_figure(nxt[2])
    return nxt[2]


# --------------------------------------------------------------------------- the panel


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return it


def _table(name: str, headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    t.setAlternatingRowColors(True)
    t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    hh = t.horizontalHeader()
    hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 6)
    t.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return t


def _fit_height(t: QTableWidget) -> None:
    h = t.horizontalHeader().height() + 2 * t.frameWidth()
    for r in range(t.rowCount()):
        h += t.rowHeight(r)
    t.setFixedHeight(h + 2)


class _SendOnCtrlEnter(QObject):
    def __init__(self, panel: "ReviewPanel"):
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.panel.send(reply=self.panel.selected_comment() is not None)
            return True
        return False


class ReviewPanel(QWidget):
    """The Review dock: the current figure's review status and comments; a summary of the file."""

    def __init__(self, window, link: WindowLink, acts: dict[str, QAction], parent=None):
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.window = window
        self.link = link
        self.acts = acts
        self._summary_dirty = True

        # author filter (the figures list's own) and the next figure to review
        self.author = QComboBox(self)
        self.author.setObjectName("reviewAuthorFilter")
        self.author.setToolTip("Review the figures of one person: filters the figures list too.")
        self.author.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.author.activated.connect(self._author_chosen)
        self.next_btn = QPushButton("Next unreviewed", self)
        self.next_btn.setObjectName("reviewNextUnreviewed")
        self.next_btn.setToolTip(acts["review_next_unreviewed"].toolTip())
        self.next_btn.clicked.connect(lambda: next_unreviewed(self.window))
        top = QHBoxLayout()
        top.addWidget(QLabel("Figures by:", self))
        top.addWidget(self.author, 1)
        top.addWidget(self.next_btn)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reviewTabs")
        self.tabs.addTab(self._figure_page(), "This figure")
        self.tabs.addTab(self._summary_page(), "Summary")
        self.tabs.currentChanged.connect(lambda _i: self._refresh_summary_if_shown())

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)

        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(250)
        self._summary_timer.timeout.connect(self._refresh_summary_if_shown)

        link.currentFigureChanged.connect(lambda _fid: self.refresh_figure())
        link.documentReset.connect(self._document_reset)
        link.storeEvent.connect(self._store_event)
        window.figures.author_filter.currentIndexChanged.connect(lambda _i: self._fill_authors())
        self._document_reset()

    # -- pages ------------------------------------------------------------------------------

    def _figure_page(self) -> QWidget:
        page = QWidget(self)
        self.placeholder = QLabel("Pick a figure in the text or the list to review it.", page)
        self.placeholder.setObjectName("reviewPlaceholder")
        self.placeholder.setWordWrap(True)
        self.figure_label = QLabel(page)
        self.figure_label.setObjectName("reviewFigure")
        self.figure_label.setWordWrap(True)
        self.meta_label = QLabel(page)
        self.meta_label.setObjectName("reviewMeta")
        self.meta_label.setWordWrap(True)

        self.status_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(4)
        for status, label in STATUSES:
            act = self.acts[f"review_{status}"]
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            b = QPushButton(label, page)
            b.setObjectName(f"review_{status}_button")
            b.setCheckable(True)
            b.setToolTip(act.toolTip())
            b.setText(f"{label}  ({keys})" if keys else label)
            b.clicked.connect(lambda _c=False, s=status: self._status_clicked(s))
            self.status_buttons[status] = b
            row.addWidget(b)
        self.clear_btn = QPushButton("Clear", page)
        self.clear_btn.setObjectName("reviewClearButton")
        self.clear_btn.setToolTip(self.acts["review_clear"].toolTip())
        self.clear_btn.clicked.connect(lambda: set_review_status(self.window, ""))
        row.addWidget(self.clear_btn)
        row.addStretch(1)
        self.status_label = QLabel(page)
        self.status_label.setObjectName("reviewStatusLabel")
        self.status_label.setWordWrap(True)

        self.thread = QTextBrowser(page)
        self.thread.setObjectName("commentThread")
        self.thread.setOpenLinks(False)
        self.thread.setOpenExternalLinks(False)
        self.thread.anchorClicked.connect(self._link_clicked)
        self.thread.setMinimumHeight(90)
        self.no_comments = QLabel("No comments yet.", page)
        self.no_comments.setObjectName("noComments")
        self.no_comments.setStyleSheet("color: #5f6b7a;")
        self._threads: list = []
        self._reply_to: str | None = None
        self.reply_note = QLabel(page)
        self.reply_note.setObjectName("replyNote")
        self.reply_note.setWordWrap(True)
        self.reply_note.setTextFormat(Qt.TextFormat.RichText)
        self.reply_note.linkActivated.connect(lambda _l: self.set_reply_target(None))
        self.reply_note.hide()

        self.comment_edit = QPlainTextEdit(page)
        self.comment_edit.setObjectName("commentEdit")
        self.comment_edit.setPlaceholderText("Write a comment… (Ctrl+Enter sends)")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setFixedHeight(self.comment_edit.fontMetrics().lineSpacing() * 3 + 14)
        self.comment_edit.installEventFilter(_SendOnCtrlEnter(self))
        self.comment_edit.textChanged.connect(self._update_buttons)
        self.comment_btn = QPushButton("Add comment", page)
        self.comment_btn.setObjectName("addCommentButton")
        self.comment_btn.setToolTip("Start a new thread on this figure.")
        self.comment_btn.clicked.connect(lambda: self.send(reply=False))
        self.reply_btn = QPushButton("Reply", page)
        self.reply_btn.setObjectName("replyButton")
        self.reply_btn.setToolTip("Answer the comment chosen with its “Reply” link.")
        self.reply_btn.clicked.connect(lambda: self.send(reply=True))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reply_btn)
        buttons.addWidget(self.comment_btn)

        self.form = QWidget(page)
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(self.figure_label)
        form.addWidget(self.meta_label)
        form.addSpacing(4)
        form.addWidget(QLabel("<b>Review</b>", page))
        form.addLayout(row)
        form.addWidget(self.status_label)
        form.addSpacing(4)
        form.addWidget(QLabel("<b>Comments</b>", page))
        form.addWidget(self.no_comments)
        form.addWidget(self.thread, 1)
        form.addWidget(self.reply_note)
        form.addWidget(self.comment_edit)
        form.addLayout(buttons)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 6, 4, 4)
        lay.addWidget(self.placeholder)
        lay.addWidget(self.form, 1)
        return page

    def _summary_page(self) -> QWidget:
        inner = QWidget(self)
        self.scope = QCheckBox("Every document in the file", inner)
        self.scope.setObjectName("summaryAllDocuments")
        self.scope.setToolTip("Count the figures of every document held in this annotation file, "
                              "not only the one shown.")
        self.scope.toggled.connect(lambda _on: self.refresh_summary())
        self.summary_label = QLabel(inner)
        self.summary_label.setObjectName("summaryTotals")
        self.summary_label.setWordWrap(True)
        cols = ["Total", "Accepted", "Disputed", "Needs src.", "To do"]
        self.by_status = _table("summaryByStatus", ["Review status", "Figures"])
        self.by_author = _table("summaryByAuthor", ["Author", *cols])
        self.by_speaker = _table("summaryBySpeaker", ["Speaker", *cols])
        tips = ["Figures", "Accepted", "Disputed", "Needs a source", "Not reviewed yet"]
        for t in (self.by_author, self.by_speaker):
            for i, tip in enumerate(tips, 1):
                t.horizontalHeaderItem(i).setToolTip(tip)
        self.flags_label = QLabel(inner)
        self.flags_label.setObjectName("summaryFlags")
        self.flags_label.setWordWrap(True)
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(4, 6, 4, 4)
        lay.addWidget(self.scope)
        lay.addWidget(self.summary_label)
        lay.addWidget(QLabel("<b>By review status</b>", inner))
        lay.addWidget(self.by_status)
        lay.addWidget(QLabel("<b>By author</b>", inner))
        lay.addWidget(self.by_author)
        lay.addWidget(QLabel("<b>By speaker</b>", inner))
        lay.addWidget(self.by_speaker)
        lay.addWidget(self.flags_label)
        lay.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("summaryScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        return scroll

    # -- events -----------------------------------------------------------------------------------

    def _document_reset(self) -> None:
        self._fill_authors()
        self.refresh_figure()
        self.mark_summary_dirty()

    def _store_event(self, table: str, op: str, rec) -> None:
        fid = self.window.current_figure_id
        if table == "figures":
            if op == "reload" or getattr(rec, "id", None) == fid:
                self.refresh_figure()
            if op in ("add", "reload") or getattr(rec, "author", None) not in self._author_values():
                self._fill_authors()
        elif table == "comments" and (op == "reload" or getattr(rec, "figure_id", None) == fid):
            self.refresh_figure()
        if table in ("figures", "attributions", "speakers", "conflicts", "documents"):
            self.mark_summary_dirty()

    def mark_summary_dirty(self) -> None:
        self._summary_dirty = True
        self._summary_timer.start()

    def _refresh_summary_if_shown(self) -> None:
        if self._summary_dirty and self.tabs.currentIndex() == 1 and self.isVisible():
            self.refresh_summary()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._refresh_summary_if_shown()

    # -- author filter -----------------------------------------------------------------------------

    def _author_values(self) -> list:
        src = self.window.figures.author_filter
        return [src.itemData(i) for i in range(src.count())]

    def _fill_authors(self) -> None:
        """Mirror the figures list's author filter (same items, same choice)."""
        src = self.window.figures.author_filter
        self.author.blockSignals(True)
        self.author.clear()
        for i in range(src.count()):
            self.author.addItem(src.itemText(i), src.itemData(i))
        self.author.setCurrentIndex(max(0, src.currentIndex()))
        self.author.blockSignals(False)

    def _author_chosen(self, index: int) -> None:
        self.window.figures.filter_by(author=self.author.itemData(index))
        self.window.figures_dock.show()
        n = len(self.window.figures.visible_ids())
        who = self.author.itemText(index)
        self.window.status(f"{n} figure{'s' if n != 1 else ''} shown: {who}.")

    # -- the current figure ------------------------------------------------------------------------

    def figure(self) -> Figure | None:
        return self.window.current_figure()

    def refresh_figure(self) -> None:
        f = self.figure()
        self.placeholder.setVisible(f is None)
        self.form.setVisible(f is not None)
        for name in ("review_accepted", "review_disputed", "review_needs_source", "review_clear",
                     "review_comment"):
            self.acts[name].setEnabled(f is not None)
        if f is None:
            self._threads = []
            self.set_reply_target(None)
            return
        st = self.window.state
        who = f.author or "unknown"
        mine = " (you)" if who == self.window.me else ""
        self.figure_label.setText(f"<span style='font-size:13pt'>“{_esc(f.exact)}”</span>")
        self.meta_label.setText(f"Marked by <b>{_esc(who)}</b>{mine} · checker's verdict: <b>{_esc(f.verdict)}</b>"
                                f" · {_esc(st.location(f))}")
        for status, b in self.status_buttons.items():
            b.setChecked(f.review_status == status)
        self.clear_btn.setEnabled(bool(f.review_status))
        self.status_label.setText(review_line(f))
        self._fill_thread(f.id)
        self._update_buttons()

    def _fill_thread(self, figure_id: str) -> None:
        from annotator.core.review import comment_threads

        self._threads = comment_threads(self.window.store, figure_id)
        ids = {c.id for t in self._threads for _d, c in t.walk()}
        if self._reply_to not in ids:
            self.set_reply_target(None)
        me = self.window.me
        parts = []
        for t in self._threads:
            for depth, c in t.walk():
                when = local_time(c.created, "d MMM, HH:mm")
                who = _esc(c.author or "unknown") + (" (you)" if c.author and c.author == me else "")
                if c.deleted:
                    body = "<i style='color:#8a8f98'>(deleted)</i>"
                    links = ""
                else:
                    body = _esc(c.body).replace("\n", "<br>")
                    links = f" · <a href='reply:{c.id}'>Reply</a>"
                    if c.author == me:
                        links += f" · <a href='delete:{c.id}'>Delete</a>"
                shade = " background:#eef4ff;" if c.id == self._reply_to else ""
                parts.append(
                    f"<div style='margin-left:{18 * depth}px; margin-bottom:8px;{shade}'>"
                    f"<span style='color:#5f6b7a'>{'↳ ' if depth else ''}<b>{who}</b> · {_esc(when)}{links}</span>"
                    f"<br>{body}</div>")
        self.thread.setHtml("".join(parts))
        self.no_comments.setVisible(not self._threads)
        self.thread.setVisible(bool(self._threads))

    def _link_clicked(self, url) -> None:
        kind, _sep, cid = url.toString().partition(":")
        if kind == "reply":
            self.set_reply_target(cid)
            self.comment_edit.setFocus()
        elif kind == "delete":
            delete_comment(self.window, cid)

    def set_reply_target(self, comment_id: str | None) -> None:
        """Answer ``comment_id`` with the next comment sent (None: start a new thread)."""
        self._reply_to = comment_id
        c = next((c for t in self._threads for _d, c in t.walk() if c.id == comment_id), None)
        if c is None:
            self._reply_to = None
            self.reply_note.hide()
        else:
            self.reply_note.setText(f"Replying to <b>{_esc(c.author or 'unknown')}</b>: "
                                    f"“{_esc(short(c.body, 60))}” · <a href='cancel'>cancel</a>")
            self.reply_note.show()
        self._update_buttons()

    def selected_comment(self) -> str | None:
        """The comment the next reply answers (chosen with its Reply link)."""
        return self._reply_to

    def comment_ids(self) -> list[tuple[int, str, str]]:
        """(depth, author, body) of every comment shown, in reading order (tests and scripts)."""
        return [(d, c.author, "(deleted)" if c.deleted else c.body) for t in self._threads for d, c in t.walk()]

    def _update_buttons(self) -> None:
        has_text = bool(self.comment_edit.toPlainText().strip())
        replying = self._reply_to is not None
        self.comment_btn.setVisible(not replying)  # while replying, the one button is Reply
        self.reply_btn.setVisible(replying)
        self.comment_btn.setEnabled(has_text)
        self.reply_btn.setEnabled(has_text and replying)

    def _status_clicked(self, status: str) -> None:
        f = self.figure()
        if f is not None and f.review_status == status:
            set_review_status(self.window, "")  # clicking the status again removes it
        else:
            set_review_status(self.window, status)
        self.refresh_figure()

    def send(self, reply: bool) -> str | None:
        body = self.comment_edit.toPlainText().strip()
        parent = self.selected_comment() if reply else None
        cid = add_comment(self.window, body, parent_id=parent)
        if cid is not None:
            self.comment_edit.clear()
            self.set_reply_target(None)
        return cid

    def focus_comment(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.comment_edit.setFocus()

    # -- summary ----------------------------------------------------------------------------------------

    def summary(self) -> dict | None:
        from annotator.core.review import summary

        w = self.window
        if w.store is None:
            return None
        return summary(w.store, None if self.scope.isChecked() else w.doc_id)

    def refresh_summary(self) -> None:
        self._summary_dirty = False
        data = self.summary()
        for t in (self.by_status, self.by_author, self.by_speaker):
            t.setRowCount(0)
        if data is None:
            self.summary_label.setText("No annotation file open.")
            self.flags_label.setText("")
            return
        keys = [s for s, _l in STATUSES] + ["unreviewed"]
        st = data["by_review_status"]
        n = data["figures"]
        self.summary_label.setText(
            f"<b>{n}</b> figure{'s' if n != 1 else ''}: " +
            " · ".join(f"{st.get(k, 0)} {label.lower()}" for k, label in zip(keys, [*dict(STATUSES).values(),
                                                                                     "Not reviewed"])))
        for k, label in zip(keys, [*dict(STATUSES).values(), "Not reviewed"]):
            r = self.by_status.rowCount()
            self.by_status.insertRow(r)
            self.by_status.setItem(r, 0, _item(label))
            self.by_status.setItem(r, 1, _item(str(st.get(k, 0)), True))
        me = self.window.me
        for author, entry in data["by_author"].items():
            name = (author or "unknown") + (" (you)" if author and author == me else "")
            self._row(self.by_author, name, entry["figures"], entry["by_review_status"], keys)
        for entry in data["by_speaker"]:
            self._row(self.by_speaker, entry["name"], entry["figures"], entry["by_review_status"], keys)
        for t in (self.by_status, self.by_author, self.by_speaker):
            _fit_height(t)
        flags = data.get("flags", {})
        parts = []
        if flags.get("orphan"):
            parts.append(f"{flags['orphan']} orphan{'s' if flags['orphan'] != 1 else ''} to place")
        if flags.get("figure_changed"):
            parts.append(f"{flags['figure_changed']} changed figure{'s' if flags['figure_changed'] != 1 else ''}")
        if data.get("open_conflicts"):
            parts.append(f"{data['open_conflicts']} open conflict{'s' if data['open_conflicts'] != 1 else ''}")
        self.flags_label.setText(("After merging: " + ", ".join(parts) + ".") if parts else "")

    @staticmethod
    def _row(t: QTableWidget, name: str, total: int, by_status: dict, keys: list[str]) -> None:
        r = t.rowCount()
        t.insertRow(r)
        t.setItem(r, 0, _item(name))
        t.setItem(r, 1, _item(str(total), True))
        for i, k in enumerate(keys):
            t.setItem(r, 2 + i, _item(str(by_status.get(k, 0)), True))

    def table_rows(self, which: str) -> list[list[str]]:
        """The cells of a summary table ("status", "author", "speaker")."""
        t = {"status": self.by_status, "author": self.by_author, "speaker": self.by_speaker}[which]
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def review_line(f: Figure) -> str:
    """How a figure's review reads: "Accepted by Tester · 12 Mar 2024, 14:03"."""
    if not f.review_status:
        return "<span style='color:#5f6b7a'>Not reviewed yet.</span>"
    ink = STATUS_INK.get(f.review_status, "#000")
    label = STATUS_LABELS.get(f.review_status, f.review_status)
    when = local_time(f.reviewed_at)
    return (f"<b style='color:{ink}'>{_esc(label)}</b> by <b>{_esc(f.reviewer or 'unknown')}</b>"
            + (f" · {_esc(when)}" if when else ""))


def _esc(s: str) -> str:
    import html

    return html.escape(s or "")


# --------------------------------------------------------------------------- install


def install(window) -> ReviewPanel:
    """Add the Review menu, the Review dock and their shortcuts to ``window``; returns the panel."""
    existing = window.findChild(ReviewPanel, "reviewPanel")
    if existing is not None:
        return existing
    acts = ensure_actions(window, SPECS)
    link = WindowLink.of(window)
    panel = ReviewPanel(window, link, acts)
    dock = add_dock(window, "Review", panel, "reviewDock", toggle=acts["show_review"],
                    tabify_with=window.speakers_dock)
    window.review_dock = dock
    window.review_panel = panel
    review_menu = window.menus.get("Review")
    if review_menu is not None:
        move_menu_before(window, review_menu, "Help")

    def reviewing(status: str):
        def run(_checked=False):
            if set_review_status(window, status):
                panel.refresh_figure()
        return run

    for status, _label in STATUSES:
        acts[f"review_{status}"].triggered.connect(reviewing(status))
    acts["review_clear"].triggered.connect(reviewing(""))

    def comment():
        if window.current_figure() is None:
            window.status("Pick the figure to comment on first.")
            return
        show_dock(dock)
        panel.focus_comment()

    acts["review_comment"].triggered.connect(comment)
    acts["review_next_unreviewed"].triggered.connect(lambda: next_unreviewed(window))
    panel.refresh_figure()
    return panel


__all__ = ["AddComment", "ReviewPanel", "SetReviewStatus", "add_comment", "delete_comment", "install",
           "next_unreviewed", "review_line", "set_review_status"]
