"""``annotator check FILE [--suggest] [--json]`` (issue 6, point 5)."""

from __future__ import annotations

import hashlib
import json

import pytest
from _checks_support import load, mark, relate

from annotator.cli import main
from annotator.core.model import Relation
from annotator.core.store import AnnotationStore


@pytest.fixture
def annot(tmp_path, sample_path):
    """An annotation file holding the sample article, its figures and one confirmed relation."""
    path = tmp_path / "sample.annot"
    s = AnnotationStore.open(path, author="checker")
    d = s.add_document(load(sample_path))
    f = {
        "total": mark(s, d, "at least 200,000", 200000, qualifier="at least", counted="prisoners"),
        "thirty": mark(s, d, "Thirty thousand", 30000, counted="prisoners"),
        "pct": mark(s, d, "15%", 15, unit="percent"),
        "nowrozi": mark(s, d, "near “240,000", 240000, qualifier="near", counted="prisoners"),
        "cost": mark(s, d, "around 100 million rials", 1e8, qualifier="around", unit="IRR"),
        "detainees": mark(s, d, "30,000", 30000, after="Suppose the figure", counted="detainees"),
        "month": mark(s, d, "more than 3 trillion rials", 3e12, qualifier="more than", unit="IRR", rate="month"),
        "year": mark(s, d, "3,6 quadrillion rials", 3.6e15, unit="IRR", rate="year"),
        "usd": mark(s, d, "around $79 million", 79e6, qualifier="around", unit="USD", rate="year"),
    }
    rel = relate(s, "share", f["pct"], [f["thirty"], f["nowrozi"]])  # 12.5%, not 15%
    s.close()
    return path, f, rel


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_lists_relations_computed_values_and_mismatches(annot, capsys):
    path, f, rel = annot
    before = _digest(path)
    assert main(["check", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"file", "suggested", "relations", "mismatches", "counts"}
    assert out["suggested"] == 0
    (r,) = out["relations"]
    assert r["id"] == rel.id and r["kind"] == "share" and r["relation_status"] == "confirmed"
    assert r["status"] == "mismatch"
    assert r["target"]["text"] == "15%" and r["target"]["value"] == 15 and r["target"]["unit"] == "percent"
    assert [i["text"] for i in r["inputs"]] == ["Thirty thousand", "near “240,000"]
    assert r["expected"] == pytest.approx(12.5)
    assert r["actual"] == 15
    assert r["allowed"] == [14.5, 15.5] and r["tolerance"] == 0.5
    assert r["computation"].startswith("30,000 ÷ near 240,000 × 100 = 12.5%")
    assert out["mismatches"] == [rel.id]
    assert out["counts"] == {"ok": 0, "mismatch": 1, "unit_mismatch": 0, "incomplete": 0}
    assert _digest(path) == before  # without --suggest the file is not touched


def test_suggest_writes_the_proposals_into_the_file(annot, capsys):
    path, f, _rel = annot
    assert main(["check", str(path), "--suggest", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["suggested"] == 4
    kinds = sorted((r["kind"], r["relation_status"], r["status"]) for r in out["relations"])
    assert kinds == [
        ("currency", "suggested", "incomplete"),
        ("period", "suggested", "mismatch"),
        ("product", "suggested", "ok"),
        ("share", "confirmed", "mismatch"),
        ("share", "suggested", "ok"),
    ]
    period = next(r for r in out["relations"] if r["kind"] == "period")
    assert period["expected"] == 36e12 and period["actual"] == 3.6e15
    assert period["id"] in out["mismatches"]
    with AnnotationStore.open(path, create=False) as s:
        stored = s.relations(statuses=("suggested",))
        assert len(stored) == 4 and {r.author for r in stored} == {"annotator"}
        s.update(Relation, period["id"], status="rejected")
    # a second run proposes nothing new; the rejected one stays rejected and is not listed
    assert main(["check", str(path), "--suggest", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["suggested"] == 0
    assert period["id"] not in {r["id"] for r in again["relations"]}
    assert main(["check", str(path), "--json", "--all"]) == 0
    assert period["id"] in {r["id"] for r in json.loads(capsys.readouterr().out)["relations"]}


def test_readable_listing(annot, capsys):
    path, _f, _rel = annot
    assert main(["check", str(path), "--suggest"]) == 0
    text = capsys.readouterr().out
    assert "5 relations (4 suggested just now)" in text
    assert "✗ MISMATCH  period [suggested]: “3,6 quadrillion rials”" in text
    assert "off by a factor of about 100" in text
    assert "2 ok, 2 mismatches, 0 unit mismatches, 1 incomplete" in text


def test_strict_exit_status(annot, capsys):
    path, _f, _rel = annot
    assert main(["check", str(path), "--strict"]) == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_text("not a database"), "is not an annotation file"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(tmp_path, capsys, make, message):
    path = tmp_path / "bad.annot"
    make(path)
    assert main(["check", str(path), "--suggest", "--json"]) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert err.err.startswith("annotator check: ") and message in err.err
    assert "Traceback" not in err.err
