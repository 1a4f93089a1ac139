"""The writer's-stance cues that keep a sentence out of a neutral summary (slant.framing.neutrality).

The sentences are written for these tests (a made-up port strike), not taken from the seeds or
the eval annotations, so the detector is not tuned to the data it is scored on.
"""

import pytest

from slant.framing.neutrality import is_biased, neutrality, stance_cues
from slant.readers.loaded import LOADED_THRESHOLD, WORD_EVIDENCE, sentence_bias
from slant.text.attribution import attributed


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("The strike may spread to other ports before the weekend.", "speculation: may"),
        ("The dispute will likely drag on into next year.", "speculation: likely"),
        ("The walkout reflects years of neglect by the port authority.", "interpretation: reflects"),
        ("The vote underscores how isolated the union leadership has become.", "interpretation: underscores"),
        ("Relations between the union and the owners are once again strained.", "intensifier: once again"),
        ("The deepening dispute has closed three terminals.", "intensifier: deepening"),
        ("The owners slammed the union's demands on Monday.", "loaded: slammed"),
        ("The port authority's figures on the strike were false.", "verdict: false"),
        ("The owners' account of the talks was misleading.", "verdict: misleading"),
    ],
)
def test_a_writers_stance_is_found(sentence: str, cue: str) -> None:
    assert cue in stance_cues(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Dock workers in Valen stopped work on Monday, the union said.",
        "The port authority said the strike may spread to other ports.",  # the guess is the authority's
        "According to the owners, the dispute will likely drag on into next year.",
        "The talks resume in May at the labour ministry.",  # the month, not the modal
        "Demonstrators gathered outside the ministry on Tuesday.",
        'The union called the offer "a deepening insult that may end the talks."',  # quoted words
        "The union said the owners' account of the talks was misleading.",  # the union's verdict
    ],
)
def test_reports_and_attributed_stances_pass(sentence: str) -> None:
    assert stance_cues(sentence) == []


def test_attribution_needs_a_speaker_not_a_passive_source() -> None:
    assert attributed("The union said the strike would continue.")
    assert not attributed("The figures, reported by the ministry, reflect a deepening crisis.")
    assert stance_cues("The figures, reported by the ministry, reflect a deepening crisis.") == [
        "interpretation: reflect",
        "intensifier: deepening",
    ]


def test_neutrality_is_the_share_of_sentences_without_a_cue() -> None:
    sentences = [
        "Dock workers stopped work on Monday, the union said.",
        "The strike may spread to other ports.",
        "Three terminals were closed.",
        "The walkout reflects years of neglect.",
    ]
    assert neutrality(sentences) == 0.5
    assert neutrality([]) == 1.0


def test_a_sentence_the_reader_reads_as_loaded_is_a_cue_though_no_one_word_makes_it_so() -> None:
    # Loaded as a whole (a town council, another subject): the reader reads it above its threshold
    # but below the probability where it cites words, so the sentence itself is the span.
    sentence = "The council is quietly steering the town toward yet another costly mistake."
    probability = sentence_bias([sentence])[0]
    assert LOADED_THRESHOLD <= probability < WORD_EVIDENCE
    assert stance_cues(sentence) == [f"loaded (P {probability:.2f})"]
    assert neutrality([sentence, "The council met on Tuesday."]) == 0.5


def test_the_verdict_on_bias_is_the_readers_and_the_summary_gate_is_stricter() -> None:
    # A hedge, a judging verb or words to the reader keep a sentence out of a neutral summary, but
    # annotated news does not call them bias (docs/analyses.md), so slant's verdict is the reader's.
    for sentence in [
        "The strike may spread to other ports before the weekend.",
        "The owners claimed the union had broken the agreement.",
        "If you travel through Valen this week, expect delays at the ferry terminal.",
    ]:
        assert stance_cues(sentence), sentence
        assert not is_biased(sentence), sentence
    loaded = "The union's absurd walkout is holding an entire city hostage to its greed."
    assert is_biased(loaded)
    assert stance_cues(loaded)[0].startswith("loaded (P ")
