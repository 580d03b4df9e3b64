"""W3C Web Annotation export: every annotation validates against the W3C Web Annotation
test-suite schemas (the MUST assertions, and the optional features the export claims)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from annotator.core.exports import export
from annotator.core.exports import w3c
from annotator.core.store import AnnotationStore
from export_support import attribute, make_pdf, mark, pdf_document, sample_store, speaker

BUNDLED = Path(__file__).parent / "data" / "w3c-schemas"

# optional features this export implements: each must be detected by the test suite
CLAIMED = [
    "annotations/3.3.1-annotationCreatedImplemented.json",
    "annotations/3.3.1-annotationModifiedImplemented.json",
    "annotations/3.3.1-annotationCreatorImplemented.json",
    "annotations/3.3.1-annotationSingleCreatorImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentTypeImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentNameImplemented.json",
    "annotations/3.3.1-annotationGeneratorImplemented.json",
    "annotations/3.3.1-annotationGeneratedImplemented.json",
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    "annotations/3.1-bodyKeyFound.json",
    "annotations/bodiesTargets/3.2.4-bodyETB.json",
    "annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/bodiesTargets/3.2.2-targType.json",
    "annotations/bodiesTargets/4-targSpecificResource.json",
    "annotations/specificResource/4.2-selectorFound.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
]
CLAIMED_PDF = [
    "annotations/specificResource/4.2.1-fragmentSelector.json",
    "annotations/specificResource/4.2.1-conformsTo.json",
    "annotations/specificResource/4.3.3-refinedBy.json",
]

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


class Suite:
    """The test suite's assertion schemas, with $refs resolved between its files."""

    def __init__(self, root: Path):
        self.root = root
        resources = []
        paths = [p for d in ("definitions", "annotations", "collections") for p in sorted((root / d).rglob("*.json"))]
        for path in paths:
            schema = json.loads(path.read_text(encoding="utf-8"))
            # each file names itself by a relative "id" that the others $ref
            resources.append((schema.get("id", path.name), Resource.from_contents(schema, default_specification=DRAFT4)))
        self.registry = Registry().with_resources(resources)
        self.checker = FormatChecker()
        # jsonschema checks "uri" only with an optional package: check it here
        self.checker.checks("uri")(lambda value: not isinstance(value, str) or bool(_URI.match(value)))

    def assertions(self, test_file: str) -> list[str]:
        return json.loads((self.root / test_file).read_text(encoding="utf-8"))["assertions"]

    def errors(self, assertion: str, instance) -> list[str]:
        schema = json.loads((self.root / assertion).read_text(encoding="utf-8"))
        assert schema["expectedResult"] == "valid"
        v = Draft4Validator(schema, registry=self.registry, format_checker=self.checker)
        return [f"{assertion}: {e.message[:200]}" for e in v.iter_errors(instance)]


def _suites(corpus_root: Path | None) -> list[Suite]:
    return [Suite(BUNDLED)] + ([Suite(corpus_root)] if corpus_root else [])


@pytest.fixture(scope="module")
def bundled() -> Suite:
    return Suite(BUNDLED)


def _check(suite: Suite, data: dict, claimed: list[str]) -> None:
    items = data["first"]["items"]
    assert items, "nothing exported"
    problems = []
    for assertion in suite.assertions("annotations/annotationMusts.test"):
        for anno in items:
            problems += suite.errors(assertion, anno)
    for assertion in claimed:
        for anno in items:
            problems += suite.errors(assertion, anno)
    for assertion in suite.assertions("collections/collectionMusts.test"):
        problems += suite.errors(assertion, data)
    for assertion in suite.assertions("collections/pages/pageMusts.test"):
        problems += suite.errors(assertion, data["first"])
    assert problems == []


def test_the_validator_rejects_a_broken_annotation(bundled):
    """The harness really validates: an annotation without a target fails a MUST."""
    store, _ = sample_store()
    anno = w3c.build(store)["first"]["items"][0]
    del anno["target"]
    problems = []
    for assertion in bundled.assertions("annotations/annotationMusts.test"):
        problems += bundled.errors(assertion, anno)
    assert any("targetKeyFound" in p for p in problems)


def test_text_export_validates_against_bundled_schemas(bundled, tmp_path):
    store, _ = sample_store()
    out = export(store, "w3c", tmp_path / "figures.jsonld")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 5
    _check(bundled, data, CLAIMED)


def test_pdf_export_validates_with_page_selector(bundled, tmp_path):
    store = AnnotationStore.create_memory(author="Checker")
    doc = pdf_document(make_pdf([["Intro page."], ["The MEK said that at least 30,000 protesters were arrested.",
                                                   "It costs around 100 million rials, said Mehdi Hajian."]]))
    doc_id = store.add_document(doc)
    fig = mark(store, doc_id, doc.text, "30,000", value=30000.0)
    attribute(store, fig, speaker(store, "MEK", "organisation"))
    data = json.loads(export(store, "w3c", tmp_path / "p.jsonld").read_text(encoding="utf-8"))
    _check(bundled, data, CLAIMED + CLAIMED_PDF)
    target = data["first"]["items"][0]["target"]
    frag = [s for s in target["selector"] if s["type"] == "FragmentSelector"]
    assert frag[0]["value"] == "page=2"  # RFC 3778 counts pages from 1
    assert frag[0]["refinedBy"]["exact"] == "30,000"
    assert target["source"]["format"] == "application/pdf"
    assert target["source"]["id"].startswith("ni:///sha-256;")


def test_validates_against_the_corpus_copy_too(corpus_dir, tmp_path):
    suite = Suite(corpus_dir / "w3c-annotation-schemas")
    store, _ = sample_store()
    data = json.loads(export(store, "w3c", tmp_path / "figures.jsonld").read_text(encoding="utf-8"))
    _check(suite, data, CLAIMED)


def test_bundled_schemas_match_the_corpus(corpus_dir):
    src = corpus_dir / "w3c-annotation-schemas"
    for path in BUNDLED.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (src / path.relative_to(BUNDLED)).read_bytes(), path
    assert (BUNDLED / "license.md").is_file()


def test_annotation_carries_selectors_value_speakers_and_times():
    store, doc_id = sample_store()
    text = store.document_text(doc_id)
    data = w3c.build(store)
    items = data["first"]["items"]
    by_exact = {}
    for a in items:
        quote = next(s for s in a["target"]["selector"] if s["type"] == "TextQuoteSelector")
        by_exact.setdefault(quote["exact"], []).append(a)
    a = by_exact["100 million rials"][0]
    pos = next(s for s in a["target"]["selector"] if s["type"] == "TextPositionSelector")
    # positions count code points: the emoji earlier in the text counts as one
    assert text[pos["start"] : pos["end"]] == "100 million rials"
    tags = [b for b in a["body"] if b["purpose"] == "tagging"]
    assert sorted(t["value"] for t in tags) == ["Mehdi Hajian", "Roydad 24"]
    roles = {t["value"]: t["annotator:attribution"]["role"] for t in tags}
    assert roles == {"Mehdi Hajian": "states", "Roydad 24": "relays"}
    describing = next(b for b in a["body"] if b["purpose"] == "describing")
    assert describing["annotator:figure"]["value"] == 1e8
    assert describing["annotator:figure"]["unit"] == "IRR"
    assert "Relays by Roydad 24" in describing["value"] or "Roydad 24" in describing["value"]
    assert next(b for b in a["body"] if b["purpose"] == "assessing")["value"] == "accurate"
    assert a["creator"] == {"type": "Person", "name": "Checker Chloé"}
    assert a["created"] and a["modified"]
    # the repeated paragraph: the two "30,000" annotations point at different places
    starts = sorted(
        next(s for s in x["target"]["selector"] if s["type"] == "TextPositionSelector")["start"]
        for x in by_exact["30,000"]
    )
    assert len(starts) == 2 and starts[0] != starts[1]
    # the document's URL is the target's source
    assert a["target"]["source"]["id"] == "https://example.org/iran-prisons"
    assert data["annotator:documents"][0]["sha256"] == store.document(doc_id).sha256


def test_relations_export_as_linking_annotations_that_validate(bundled, tmp_path):
    from annotator.core.checks import new_relation
    from export_support import populate, text_document

    store = AnnotationStore.create_memory(author="Checker Chloé")
    doc_id = store.add_document(text_document())
    figs = populate(store, doc_id)["figures"]
    new_relation(store, "same", figs[0].id, [figs[4].id])
    data = json.loads(export(store, "w3c", tmp_path / "r.jsonld").read_text(encoding="utf-8"))
    assert data["total"] == 6
    assert [a["motivation"] for a in data["first"]["items"]].count("linking") == 1
    _check(bundled, data, CLAIMED)
