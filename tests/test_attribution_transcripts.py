"""Speaker labels: in a transcript (debate, hearing, interview) the speaker of a turn is the label opening it
("TRUMP:", "Rep. Trey Gowdy (R-S.C.):"), not a verb cue. Inner cues still win inside a turn, a turn continues
over the next paragraphs only in a transcript and only up to the next label, and headings, notes, captions
and "Q:"/"A:" are not labels."""

from __future__ import annotations

from annotator.core.attribution import attribute, find_attributions


def first(text: str, figure: str, nth: int = 0):
    s = -1
    for _ in range(nth + 1):
        s = text.index(figure, s + 1)
    return attribute(text, [(s, s + len(figure))])[0][0]


def sources(text: str) -> list[str]:
    return [text[r.source_start : r.source_end] for r in find_attributions(text) if r.source_start is not None]


# The wash-post article of the PolNeAR sample (shared corpus, datasets/polnear-sample), its first lines
POLNEAR_EXCHANGE = (
    "Clinton's claim that 90 percent of her e-mails were 'in the system' is her camp's calculation.\n\n"
    'Rep. Trey Gowdy (R-S.C.):"I have not heard anyone other than you ever cite that figure. Who told you that 90 '
    'to 95 percent of your e-mails were in the State Department system? Who told you that?"\n\n'
    'Former secretary of state Hillary Rodham Clinton:"We learned that from the State Department and their '
    "analysis of the e-mails that were already on the system. We were trying to help them close some gaps that "
    'they had."\n\n'
    "- exchange during an Oct. 22 hearing before the House Select Committee on Benghazi.\n\n"
    "A number of readers have asked questions about Clinton's assertion that 90 to 95 percent of the e-mails were "
    "in the State Department system. On several occasions, especially in the evening session of the 11-hour "
    "hearing, Clinton suggested that the figure came from the State Department.\n"
)


def test_polnear_hearing_labels_give_the_quoted_turns_their_speakers():
    c = first(POLNEAR_EXCHANGE, "90 to 95 percent")
    assert (c.name, c.role, c.rule) == ("Trey Gowdy", "states", "speaker label")
    assert c.affiliation == "Rep., R-S.C."  # title and party tag go to the affiliation, as for "Rep. X, R-S.C., said"
    assert POLNEAR_EXCHANGE[c.evidence_start : c.evidence_end] == "Rep. Trey Gowdy (R-S.C.):"
    assert "Rep. Trey Gowdy (R-S.C.)" in sources(POLNEAR_EXCHANGE)
    assert "Former secretary of state Hillary Rodham Clinton" in sources(POLNEAR_EXCHANGE)


def test_a_quotation_opening_a_labelled_turn_is_the_labels():
    text = "Rep. Trey Gowdy (R-S.C.): “Who told you that 90 to 95 percent were in the system?”\n\nMore text.\n"
    c = first(text, "90 to 95 percent")
    assert (c.name, c.rule) == ("Trey Gowdy", "speaker label")
    assert text[c.evidence_start : c.evidence_end] == "Rep. Trey Gowdy (R-S.C.):"


def test_a_label_turn_does_not_run_into_the_article_after_the_exchange():
    # two labels, then the article: "11-hour" is the writer's (no next label, and a caption line between)
    c = first(POLNEAR_EXCHANGE, "11-hour")
    assert c.name is None


DEBATE = (
    "CHRIS WALLACE: Mr. President, let me ask you about the economy. You have 2 minutes.\n\n"
    "TRUMP: We built the greatest economy in history. We created 7 million jobs in three years.\n\n"
    "BIDEN: He lost 10 million jobs. Unemployment is at 8.4 percent.\n\n"
    "SEN. BERNIE SANDERS: We have 500,000 people sleeping out on the street.\n\n"
    "MR. BIDEN: Medicare for all would cost $30 trillion.\n"
)


def test_all_caps_labels_read_as_names():
    assert (first(DEBATE, "2 minutes").name, first(DEBATE, "2 minutes").rule) == ("Chris Wallace", "speaker label")
    assert first(DEBATE, "7 million").name == "Trump"
    assert first(DEBATE, "8.4 percent").name == "Biden"
    c = first(DEBATE, "500,000")
    assert (c.name, c.affiliation, c.kind) == ("Bernie Sanders", "Sen.", "person")
    c = first(DEBATE, "$30 trillion")
    assert (c.name, c.affiliation) == ("Biden", "Mr.")
    assert DEBATE[c.evidence_start : c.evidence_end] == "MR. BIDEN:"


def test_find_attributions_lists_the_labels_with_their_source_spans():
    assert sources(DEBATE) == ["CHRIS WALLACE", "TRUMP", "BIDEN", "SEN. BERNIE SANDERS", "MR. BIDEN"]


def test_an_inner_cue_wins_inside_a_turn_and_the_labelled_speaker_relays():
    text = ("WALLACE: Let me ask you about jobs.\n\n"
            "TRUMP: Economists said unemployment fell to 3.5 percent. We did that.\n\n"
            'BIDEN: The CBO wrote: "The deficit reached $3.1 trillion." That is on him.\n')
    c = attribute(text, [(text.index("3.5 percent"), text.index("3.5 percent") + 11)])[0]
    assert (c[0].name, c[0].rule) == ("Economists", "reported speech")
    assert ("Trump", "relays") in [(x.name, x.role) for x in c]
    assert first(text, "$3.1 trillion").name == "CBO"


def test_a_quotation_in_a_turn_without_its_own_cue_is_the_turn_speakers():
    text = ("WALLACE: Let me ask you about jobs.\n\n"
            'TRUMP: I said it then: "We will add 4 million jobs." And we did.\n')
    assert first(text, "4 million").name == "Trump"


def test_a_quotation_opening_a_continued_turn_is_the_turn_speakers():
    # not the last cue of the paragraph before ("Economists said"), as in an article
    text = ('WALLACE: Your answer.\n\nBIDEN: Economists said it would be bad.\n\n"We lost 10 million jobs."\n\n'
            "TRUMP: Wrong.\n")
    c = first(text, "10 million")
    assert (c.name, c.rule) == ("Biden", "speaker label (turn continues)")


TRANSCRIPT_LONG_TURN = (
    "WALLACE: Mr. Vice President, your answer.\n\n"
    "BIDEN: Look, here is the deal.\n\n"
    "We lost 10 million jobs this year alone.\n\n"
    "TRUMP: Wrong. We created 7 million jobs.\n"
)


def test_a_turn_continues_over_paragraphs_up_to_the_next_label():
    c = first(TRANSCRIPT_LONG_TURN, "10 million")
    assert (c.name, c.rule) == ("Biden", "speaker label (turn continues)")


def test_no_continuation_without_a_transcript_across_a_heading_or_after_the_last_label():
    one = "TRUMP: We built the greatest economy.\n\nThe economy added 7 million jobs in three years.\n\nMore text.\n"
    assert first(one, "7 million").name is None  # one label: not a transcript
    heading = TRANSCRIPT_LONG_TURN.replace("Look, here is the deal.\n\n", "Look, here is the deal.\n\nThe Facts\n\n")
    assert first(heading, "10 million").name is None
    after = TRANSCRIPT_LONG_TURN + "\nThe debate drew 73 million viewers.\n"
    assert first(after, "73 million").name is None


def test_mixed_case_names_need_a_quotation_or_a_transcript():
    assert first('Clinton: "We created 23 million jobs."\n\nMore.\n', "23 million").name == "Clinton"
    assert first("Clinton: We created 23 million jobs.\n\nMore text here.\n", "23 million").name is None
    text = ("Chris Wallace: Your answer, Mr. President?\n\nDonald Trump: We created 7 million jobs.\n\n"
            "SANDERS: Not true.\n\nTRUMP: True.\n")
    assert first(text, "7 million").name == "Donald Trump"


def test_not_labels():
    cases = {
        "Correction: An earlier version gave 12 percent.": "12 percent",
        "Update: The toll rose to 40 people.": "40 people",
        "Editor's note: This story was updated with 3 new figures.": "3 new",
        "Note: Totals may not add to 100 percent.": "100 percent",
        "Source: 25 percent of respondents.": "25 percent",
        "Photo: 300 protesters in the square.": "300",
        "Read more: Why 45 percent of voters are undecided.": "45 percent",
        "Related: 17 things to know.": "17",
        "Key points: Spending rose 9 percent.": "9 percent",
        "Q: Did spending rise 9 percent?": "9 percent",
        "A: It rose 9 percent.": "9 percent",
        "Table 2: Spending rose 9 percent.": "9 percent",
        "Figure 3: Spending rose 9 percent.": "9 percent",
        "The Facts: Spending rose 9 percent.": "9 percent",
        "The reason is simple: 30,000 jobs were lost.": "30,000",
        "SUMMARY: The FAA proposes 14 changes.": "14 changes",
        "LOOK-UP TOOL: Check the 20 cases in your area": "20",  # a link, not a sentence
    }
    for line, fig in cases.items():
        # twice each, so the document has more than one of them: they must still not count as labels
        text = f"{line}\n\n{line}\n\nTRUMP: We are at 8 percent.\n\nBIDEN: No, 9.\n"
        c = first(text, fig)
        assert c.name is None, (line, c)
    assert first("At 10:30 the count reached 4,000 ballots.\n\nMore.\n", "4,000").name is None
    # a dateline with a colon, alone in the article, is not a speaker
    assert first("NEW DELHI: Prices rose 40 percent.\n\nMore text here.\n", "40 percent").name is None


# Rev.com and many published transcripts: the label alone on its line, a timestamp after it, the speech below
REV = (
    "Donald Trump: (12:04)\n"
    "We have the lowest unemployment in 50 years. 7 million jobs.\n\n"
    "Joe Biden: (12:31)\n"
    "He lost 10 million jobs.\n\n"
    "Chris Wallace: [01:02:33]\n"
    "Gentlemen, you have 2 minutes each.\n"
)


def test_a_label_alone_on_its_line_speaks_the_lines_below_and_its_timestamp_is_no_figure():
    from annotator.core.suggest import suggest

    c = first(REV, "7 million")
    assert (c.name, c.rule) == ("Donald Trump", "speaker label")
    assert REV[c.evidence_start : c.evidence_end] == "Donald Trump:"
    assert first(REV, "10 million").name == "Joe Biden"
    assert first(REV, "2 minutes").name == "Chris Wallace"
    found = {s.text: s.speaker.name for s in suggest(REV)}
    assert not any(":" in f for f in found), found  # "12:04", "01:02:33" are not figures
    assert found["50 years"] == "Donald Trump"


CAPS_ALONE = (
    "CHRIS WALLACE:\n\nMr. President, you have 2 minutes.\n\n"
    "TRUMP:\n\nWe created 7 million jobs in three years.\n\nThe best numbers ever, 3.5 percent.\n\n"
    "BIDEN:\n\nHe lost 10 million jobs.\n"
)


def test_a_capitals_label_alone_in_its_paragraph_speaks_the_next_one_and_the_turn_continues():
    for text in (CAPS_ALONE, CAPS_ALONE.replace("\n\n", "\n")):  # blank lines, or one paragraph a line
        assert first(text, "2 minutes").name == "Chris Wallace"
        c = first(text, "7 million")
        assert (c.name, c.rule) == ("Trump", "speaker label")
        assert text[c.evidence_start : c.evidence_end] == "TRUMP:"
        assert (first(text, "3.5 percent").name, first(text, "3.5 percent").rule) == (
            "Trump", "speaker label (turn continues)")
        assert first(text, "10 million").name == "Biden"  # the last label: its next paragraph
    soft = CAPS_ALONE.replace(":\n\n", ":\n")  # "TRUMP:" on the first line of the turn's paragraph
    assert first(soft, "7 million").name == "Trump"
    # the last label's turn is its next paragraph only
    after = CAPS_ALONE + "\nThe debate drew 73 million viewers.\n"
    assert first(after, "73 million").name is None


def test_role_labels_name_the_speaker_by_the_role():
    text = ("MODERATOR: Welcome. We have 90 minutes tonight.\n\n"
            "THE PRESIDENT: We created 15 million jobs.\n\n"
            "THE VICE PRESIDENT: And cut the deficit by $1.7 trillion.\n\n"
            "PRESIDENT BIDEN: Inflation fell to 3 percent.\n\n"
            "AUDIENCE MEMBER: What about the 40,000 dead?\n\n"
            "Q: Is it 12 percent?\n\n"
            "A: It is 13 percent.\n")
    for fig, name in (("90 minutes", "Moderator"), ("15 million", "The President"),
                      ("$1.7 trillion", "The Vice President"), ("40,000", "Audience Member")):
        c = first(text, fig)
        assert (c.name, c.kind, c.rule) == (name, "person", "speaker label"), fig
    c = first(text, "3 percent")
    assert (c.name, c.affiliation) == ("Biden", "President")  # a title and a name: the name, titled
    assert first(text, "12 percent").name is None  # "Q:": an interviewer we cannot name
    assert first(text, "13 percent").name is None


def test_headings_alone_on_their_line_are_not_labels():
    text = ("SUMMARY:\nThe FAA proposes 14 changes.\n\nSUPPLEMENTARY INFORMATION:\nThe agency received 40 comments.\n\n"
            "FINDINGS:\nThe share rose to 25 percent.\n\nRECOMMENDATIONS:\nThe agency should cut 9 rules.\n")
    for fig in ("14 changes", "40 comments", "25 percent", "9 rules"):
        assert first(text, fig).name is None, fig
    # a plain name alone on its line, without a transcript or a timestamp, is no label either
    assert first("Joe Biden:\nHe lost 10 million jobs.\n\nMore text here.\n", "10 million").name is None


def test_a_straight_quotation_mark_right_after_a_colon_opens_a_quotation():
    from annotator.core.attribution_text import TextIndex

    text = 'The hearing lasted 11 hours, Gowdy said.\n\nClinton answered him:"We learned that 90 percent came from State."\n'
    ix = TextIndex(text)
    quotes = ix._quotes_of(ix.para_index(text.index("Clinton")))
    assert [text[q.start : q.end] for q in quotes] == ["We learned that 90 percent came from State."]
    assert quotes[0].open_mark == text.index(':"') + 1
    s = text.index("90 percent")
    got = [(c.name, c.role, c.rule) for c in attribute(text, [(s, s + 10)])[0]]
    spaced = text.replace(':"', ': "')
    assert got == [(c.name, c.role, c.rule) for c in attribute(spaced, [(s + 1, s + 11)])[0]]
    assert "Gowdy" not in [g[0] for g in got]  # not a quotation continued from the paragraph before


def test_reading_ahead_changes_no_result_in_a_transcript():
    import re

    from tests.test_attribution_ahead import _ahead, _plain

    text = "\n\n".join([DEBATE, TRANSCRIPT_LONG_TURN, POLNEAR_EXCHANGE, REV, CAPS_ALONE] * 4)
    step = len(text) // 6
    chunks = [(i, min(len(text), i + step)) for i in range(0, len(text), step)]
    figures = [m.span() for m in re.finditer(r"\d[\d,.]*", text)]
    spans = [[f for f in figures if s <= f[0] < e] for s, e in chunks]
    want = _plain(text, chunks, spans)
    assert any(c[0].rule.startswith("speaker label") for page in want for c in page)
    assert _ahead(text, chunks, spans, spans) == want
    assert _ahead(text, chunks, spans, [[] for _ in spans]) == want
    assert _ahead(text, chunks, spans, spans, late={0, 2}) == want
