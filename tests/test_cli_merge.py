"""``annotator merge`` and ``annotator info`` on the command line."""

import hashlib
import json
import sqlite3

import pytest

from annotator.cli import main
from annotator.core.model import Figure, Speaker
from annotator.core.store import SCHEMA_VERSION, AnnotationStore
from merge_support import copy_file, dump, mark, new_file


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def files(tmp_path, sample_text):
    alice, doc = new_file(tmp_path / "alice.annot", "alice", sample_text, "iran.txt")
    mek = alice.add(Speaker(name="MEK"))
    f30 = mark(alice, doc, "30,000")
    alice.close()
    copy_file(tmp_path / "alice.annot", tmp_path / "bob.annot")
    alice = AnnotationStore.open(tmp_path / "alice.annot", author="alice")
    alice.update(Figure, f30.id, verdict="accurate")
    alice.close()
    bob = AnnotationStore.open(tmp_path / "bob.annot", author="bob")
    bob.update(Figure, f30.id, verdict="inaccurate")
    mark(bob, doc, "1500")
    bob.add(Speaker(name="mek"))
    bob.close()
    return tmp_path, {"f30": f30, "mek": mek}


def test_merge_into_a_new_file_prints_what_happened(files, capsys):
    d, ids = files
    assert main(["merge", str(d / "out.annot"), str(d / "alice.annot"), str(d / "bob.annot")]) == 0
    out = capsys.readouterr().out
    assert "Merged 2 files into out.annot (new file)." in out
    assert "alice.annot: new document" in out and "added 1 document, 1 speaker, 1 figure" in out
    assert "bob.annot: document" in out and "1 conflict" in out
    assert "figure “30,000”: verdict differs (from bob.annot)" in out
    assert "“MEK” (alice) = “mek” (bob)" in out
    with AnnotationStore.open(d / "out.annot") as out_store:
        assert len(out_store.figures()) == 2


def test_merge_json_summary(files, capsys):
    d, ids = files
    assert main(["merge", str(d / "out.annot"), str(d / "alice.annot"), str(d / "bob.annot"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["created"] is True and data["changed"] is True and data["dry_run"] is False
    assert data["added"] == {"documents": 1, "speakers": 2, "figures": 2, "attributions": 0, "comments": 0,
                             "relations": 0}
    assert [i["file"].rsplit("/", 1)[-1] for i in data["inputs"]] == ["alice.annot", "bob.annot"]
    assert data["inputs"][1]["documents"][0]["how"] == "sha256"
    [conflict] = data["conflicts"]
    assert conflict["record_id"] == ids["f30"].id and conflict["fields"] == ["verdict"]
    assert conflict["table"] == "figures" and conflict["source"] == "bob.annot"
    assert data["orphans"] == [] and data["figure_changed"] == []
    [proposal] = data["speaker_proposals"]
    assert {s["name"] for s in proposal["speakers"]} == {"MEK", "mek"}
    # merging again: nothing changes, and the summary says so
    assert main(["merge", str(d / "out.annot"), str(d / "alice.annot"), str(d / "bob.annot"), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["changed"] is False and again["created"] is False and again["conflicts"] == []


def test_inputs_are_never_modified(files, capsys):
    d, _ = files
    before = {n: digest(d / n) for n in ("alice.annot", "bob.annot")}
    listing = sorted(p.name for p in d.iterdir())
    assert main(["merge", str(d / "out.annot"), str(d / "alice.annot"), str(d / "bob.annot")]) == 0
    assert {n: digest(d / n) for n in before} == before
    assert sorted(p.name for p in d.iterdir()) == sorted([*listing, "out.annot"])


def test_dry_run_leaves_out_unchanged(files, capsys):
    d, _ = files
    copy_file(d / "alice.annot", d / "out.annot")
    before = digest(d / "out.annot")
    assert main(["merge", "--dry-run", str(d / "out.annot"), str(d / "bob.annot")]) == 0
    assert "Dry run: out.annot was not changed." in capsys.readouterr().out
    assert digest(d / "out.annot") == before
    assert main(["merge", "--dry-run", str(d / "new.annot"), str(d / "bob.annot")]) == 0
    assert not (d / "new.annot").exists()


def _bad(d, kind):
    bad = d / f"{kind}.annot"
    if kind == "newer":
        copy_file(d / "bob.annot", bad)
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
        return bad, "newer version"
    if kind == "damaged":
        data = bytearray((d / "bob.annot").read_bytes())
        data[4096:12288] = b"\x00\xff" * 4096
        bad.write_bytes(bytes(data))
        return bad, "damaged"
    if kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
        conn.close()
        return bad, "not an annotation file"
    if kind == "text":
        bad.write_text("30,000 protesters")
        return bad, "not an annotation file"
    return d / "missing.annot", "does not exist"


@pytest.mark.parametrize("kind", ["newer", "damaged", "foreign", "text", "missing"])
def test_bad_input_is_refused_with_a_clear_message_and_out_untouched(files, capsys, kind):
    d, _ = files
    bad, message = _bad(d, kind)
    copy_file(d / "alice.annot", d / "out.annot")
    before = digest(d / "out.annot")
    code = main(["merge", str(d / "out.annot"), str(d / "bob.annot"), str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("annotator merge: ") and bad.name in err and message in err
    assert "Traceback" not in err
    assert digest(d / "out.annot") == before
    # a new OUT is not even created
    assert main(["merge", str(d / "fresh.annot"), str(d / "bob.annot"), str(bad)]) == 2
    assert not (d / "fresh.annot").exists()


def test_out_that_is_not_an_annotation_file_is_refused(files, capsys):
    d, _ = files
    notes = d / "notes.txt"
    notes.write_text("my notes")
    assert main(["merge", str(notes), str(d / "bob.annot")]) == 2
    assert "not an annotation file" in capsys.readouterr().err
    assert notes.read_text() == "my notes"


def test_merging_a_file_into_itself_is_refused(files, capsys):
    d, _ = files
    before = dump(d / "alice.annot")
    assert main(["merge", str(d / "alice.annot"), str(d / "alice.annot")]) == 2
    assert "into itself" in capsys.readouterr().err
    assert dump(d / "alice.annot") == before


def test_info_json(files, capsys):
    d, ids = files
    before = digest(d / "bob.annot")
    assert main(["info", str(d / "bob.annot"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    [doc] = info["documents"]
    assert doc["title"] == "iran" and len(doc["sha256"]) == 64 and doc["kind"] == "text" and doc["figures"] == 2
    assert info["counts"] == {"documents": 1, "figures": 2, "speakers": 2, "attributions": 0, "comments": 0,
                              "relations": 0, "conflicts": 0}
    assert info["authors"] == ["alice", "bob"]
    assert info["schema_version"] == SCHEMA_VERSION
    assert digest(d / "bob.annot") == before  # looking never changes the file


def test_info_counts_conflicts_and_reads_as_text(files, capsys):
    d, _ = files
    main(["merge", str(d / "out.annot"), str(d / "alice.annot"), str(d / "bob.annot")])
    capsys.readouterr()
    assert main(["info", str(d / "out.annot")]) == 0
    out = capsys.readouterr().out
    assert "out.annot: annotation file, format version" in out
    assert "“iran” (text), 2 figures" in out and "Open conflicts: 1" in out and "Authors: alice, bob" in out


@pytest.mark.parametrize("kind", ["newer", "damaged", "foreign", "text", "missing"])
def test_info_on_a_bad_file(files, capsys, kind):
    d, _ = files
    bad, message = _bad(d, kind)
    assert main(["info", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err and captured.out == ""


def test_merge_lists_orphans_and_changed_figures(tmp_path, sample_text, capsys):
    alice, doc = new_file(tmp_path / "alice.annot", "alice", sample_text, "iran.txt")
    mark(alice, doc, "30,000")
    mark(alice, doc, "1500")
    alice.close()
    resave = sample_text.replace("at least 30,000 protesters", "at least 80,000 protesters").replace(
        "The MEK was the first to announce that authorities killed 1500 protesters during the November 2019 "
        "uprising. ", "")
    ours, _ = new_file(tmp_path / "ours.annot", "rita", resave, "iran-resave.txt")
    ours.close()
    assert main(["merge", str(tmp_path / "ours.annot"), str(tmp_path / "alice.annot")]) == 0
    out = capsys.readouterr().out
    assert "is another version of" in out and "annotations re-anchored, that version not added" in out
    assert "Orphans (1)" in out and "figure “1500”" in out
    assert "“30,000” now reads “80,000”" in out
    assert main(["merge", str(tmp_path / "ours.annot"), str(tmp_path / "alice.annot"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed"] is False  # already merged: the orphan stays an orphan, nothing new
