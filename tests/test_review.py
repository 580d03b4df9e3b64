"""Review mode: review status apart from the verdict, comment threads, filters, summaries."""

import pytest

from annotator.core.errors import UserError
from annotator.core.merge import merge_files
from annotator.core.model import Comment, Figure, Speaker
from annotator.core.review import (
    add_comment,
    clear_flag,
    comment_threads,
    delete_comment,
    describe_file,
    filter_figures,
    place_figure,
    set_review_status,
    summary,
)
from annotator.core.store import AnnotationStore
from merge_support import attribute, copy_file, mark, new_file


@pytest.fixture
def reviewed(tmp_path, sample_text):
    """Alice and Bob marked figures on the sample; the file is open for Rita, the reviewer."""
    store, doc = new_file(tmp_path / "work.annot", "alice", sample_text, "iran.txt")
    mek = store.add(Speaker(name="MEK", kind="organisation"))
    roydad = store.add(Speaker(name="Roydad 24", kind="outlet"))
    f30 = mark(store, doc, "30,000", verdict="accurate")
    attribute(store, f30, mek)
    f1500 = mark(store, doc, "1500")
    attribute(store, f1500, mek)
    f15 = mark(store, doc, "15%", author="bob", verdict="misleading")
    attribute(store, f15, roydad)
    f79 = mark(store, doc, "$79 million", author="bob")
    store.author = "rita"
    yield store, doc, {"f30": f30, "f1500": f1500, "f15": f15, "f79": f79, "mek": mek, "roydad": roydad}
    store.close()


def test_review_status_is_kept_apart_from_the_verdict(reviewed):
    store, _, f = reviewed
    previous = set_review_status(store, f["f30"].id, "disputed", "rita")
    fig = store.get(Figure, f["f30"].id)
    assert (fig.review_status, fig.reviewer, fig.verdict) == ("disputed", "rita", "accurate")
    assert fig.reviewed_at and fig.author == "alice"
    # undo with the returned values
    store.update(Figure, fig.id, **previous)
    assert store.get(Figure, fig.id).review_status == ""
    set_review_status(store, fig.id, "needs_source", "rita")
    set_review_status(store, fig.id, "", "")
    cleared = store.get(Figure, fig.id)
    assert (cleared.review_status, cleared.reviewer, cleared.reviewed_at) == ("", "", "")


def test_review_status_needs_a_known_status_and_a_reviewer(reviewed):
    store, _, f = reviewed
    with pytest.raises(ValueError):
        set_review_status(store, f["f30"].id, "approved", "rita")
    store.author = ""
    with pytest.raises(UserError, match="name"):
        set_review_status(store, f["f30"].id, "accepted", "")


def test_comment_threads_with_replies(reviewed):
    store, _, f = reviewed
    q = add_comment(store, f["f30"].id, "Which report gives 30,000?", author="rita")
    a1 = add_comment(store, f["f30"].id, "The MEK statement of 8 February.", author="alice", parent_id=q.id)
    add_comment(store, f["f30"].id, "Link please.", author="rita", parent_id=a1.id)
    other = add_comment(store, f["f30"].id, "Amnesty does not confirm it.", author="bob")
    threads = comment_threads(store, f["f30"].id)
    assert [t.comment.id for t in threads] == [q.id, other.id]
    assert [(d, c.author) for d, c in threads[0].walk()] == [(0, "rita"), (1, "alice"), (2, "rita")]
    # a deleted comment with replies stays as a placeholder so the replies keep their context
    delete_comment(store, q.id)
    threads = comment_threads(store, f["f30"].id)
    assert threads[0].deleted and threads[0].replies[0].comment.id == a1.id
    delete_comment(store, other.id)
    assert [t.comment.id for t in comment_threads(store, f["f30"].id)] == [q.id]


def test_replies_stay_on_their_figure_and_comments_are_not_empty(reviewed):
    store, _, f = reviewed
    q = add_comment(store, f["f30"].id, "Which report?")
    with pytest.raises(ValueError):
        add_comment(store, f["f15"].id, "Wrong thread", parent_id=q.id)
    with pytest.raises(UserError):
        add_comment(store, f["f30"].id, "   ")


def test_filters_by_author_status_verdict_and_speaker(reviewed):
    store, doc, f = reviewed
    set_review_status(store, f["f15"].id, "accepted", "rita")
    ids = lambda figs: {x.id for x in figs}  # noqa: E731
    assert ids(filter_figures(store, authors=["bob"])) == {f["f15"].id, f["f79"].id}
    assert ids(filter_figures(store, review_statuses=[""])) == {f["f30"].id, f["f1500"].id, f["f79"].id}
    assert ids(filter_figures(store, verdicts=["misleading"])) == {f["f15"].id}
    assert ids(filter_figures(store, speaker_ids=[f["mek"].id])) == {f["f30"].id, f["f1500"].id}
    assert ids(filter_figures(store, document_id=doc, authors=["alice"], speaker_ids=[f["roydad"].id])) == set()
    # a speaker merged into another is found under the one it now is
    other = store.add(Speaker(name="PMOI"))
    attribute(store, f["f79"], other)
    store.merge_speakers(f["mek"].id, other.id)
    assert f["f79"].id in ids(filter_figures(store, speaker_ids=[f["mek"].id]))


def test_summary_counts_by_status_author_and_speaker(reviewed):
    store, doc, f = reviewed
    set_review_status(store, f["f30"].id, "accepted", "rita")
    set_review_status(store, f["f15"].id, "disputed", "rita")
    store.delete(Figure, f["f1500"].id)
    s = summary(store, doc)
    assert s["figures"] == 3
    assert s["by_review_status"] == {"unreviewed": 1, "accepted": 1, "disputed": 1, "needs_source": 0}
    assert s["by_author"]["alice"]["figures"] == 1 and s["by_author"]["bob"]["figures"] == 2
    assert s["by_author"]["bob"]["by_review_status"]["disputed"] == 1
    by_speaker = {e["name"]: e for e in s["by_speaker"]}
    assert by_speaker["MEK"]["figures"] == 1 and by_speaker["MEK"]["by_review_status"]["accepted"] == 1
    assert by_speaker["Roydad 24"]["figures"] == 1
    assert by_speaker["(no speaker)"]["figures"] == 1
    assert s["by_verdict"]["misleading"] == 1


def test_review_and_comments_travel_through_a_merge(tmp_path, sample_text):
    alice, doc = new_file(tmp_path / "alice.annot", "alice", sample_text)
    fig = mark(alice, doc, "30,000")
    alice.close()
    copy_file(tmp_path / "alice.annot", tmp_path / "rita.annot")
    rita = AnnotationStore.open(tmp_path / "rita.annot", author="rita")
    set_review_status(rita, fig.id, "needs_source", "rita")
    add_comment(rita, fig.id, "Please add the MEK statement.")
    rita.close()
    alice = AnnotationStore.open(tmp_path / "alice.annot", author="alice")
    merge_files(alice, [tmp_path / "rita.annot"])
    got = alice.get(Figure, fig.id)
    assert (got.review_status, got.reviewer) == ("needs_source", "rita")
    assert [c.body for c in alice.records(Comment)] == ["Please add the MEK statement."]
    alice.close()


def test_describe_file(reviewed):
    store, doc, f = reviewed
    set_review_status(store, f["f30"].id, "accepted", "rita")
    store.delete(Figure, f["f79"].id)
    info = describe_file(store)
    [d] = info["documents"]
    assert d["sha256"] == store.document(doc).sha256 and d["figures"] == 3 and d["kind"] == "text"
    assert info["counts"]["figures"] == 3 and info["deleted"]["figures"] == 1
    assert info["counts"]["speakers"] == 2 and info["counts"]["attributions"] == 3
    assert info["authors"] == ["alice", "bob"]
    assert info["review"]["accepted"] == 1
    assert info["schema_version"] == store.schema_version


def test_reviewer_clears_a_flag_and_places_an_orphan(reviewed):
    store, doc, f = reviewed
    text = store.document_text(doc)
    store.update(Figure, f["f1500"].id, flags=["orphan"], start=0, end=0)
    start = text.index("1500")
    previous = place_figure(store, f["f1500"].id, start, start + 4)
    fig = store.get(Figure, f["f1500"].id)
    assert (fig.start, fig.end, fig.exact, fig.flags) == (start, start + 4, "1500", [])
    assert fig.prefix == text[start - 32:start]
    assert previous["flags"] == ["orphan"]
    with pytest.raises(UserError):
        place_figure(store, fig.id, 5, 5)
    store.update(Figure, f["f30"].id, flags=["figure_changed"])
    clear_flag(store, f["f30"].id, "figure_changed")
    assert store.get(Figure, f["f30"].id).flags == []
