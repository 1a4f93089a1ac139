"""The readers shipped with slant (slant.readers), run on their real model files, on sentences the
team wrote for these tests on several subjects (sport, weather, business, local politics, courts,
science): none is from the data the readers were trained or chosen on.
"""

import hashlib
import re
from pathlib import Path

import pytest

from slant.readers.loaded import LOADED_THRESHOLD, is_loaded, loaded_words, sentence_bias
from slant.readers.sessions import MODELS
from slant.readers.stance import LABELS, read_stance, stance_passages

LOADED = [
    "The referee's pathetic, cowardly decisions handed the visitors a shameful victory.",  # sport
    "Forecasters botched yet another storm warning, leaving residents to fend for themselves.",  # weather
    "The greedy executives shamelessly pocketed bonuses while gutting the workforce.",  # business
    "The council's reckless spending spree is a disgrace to every hard-working taxpayer.",  # local politics
]
NEUTRAL = [
    "The home side won 2-1 after a penalty in the 88th minute.",  # sport
    "Rain is expected to reach the coast on Thursday afternoon, the weather service said.",  # weather
    "The company reported quarterly revenue of 4.2 million dollars, up 3 percent.",  # business
    "The council will vote on the library budget at its meeting next Tuesday.",  # local politics
]


def test_every_card_names_the_sha256_of_its_model_file() -> None:
    cards = sorted(MODELS.glob("*.card.md"))
    assert {c.name.removesuffix(".card.md") for c in cards} >= {"sentence_reader", "stance_reader"}
    for card in cards:
        text = card.read_text(encoding="utf-8")
        model = next(
            p
            for p in MODELS.iterdir()
            if p.name.startswith(card.name.removesuffix(".card.md") + ".") and p.suffix == ".onnx"
        )
        digest = re.search(r"sha256 `([0-9a-f]{64})`", text)
        assert digest, card.name
        assert digest.group(1) == hashlib.sha256(model.read_bytes()).hexdigest(), card.name
        assert f"{model.stat().st_size:,} bytes" in text
        assert "Rebuild" in text
        assert "--seed" in text


def test_the_shipped_models_stay_small() -> None:
    # Two int8 MiniLM encoders (3 and 6 layers, each with MiniLM's 12 MB word table) and a tokenizer.
    assert sum(p.stat().st_size for p in MODELS.iterdir()) < 45_000_000


def test_loaded_sentences_score_above_neutral_reports() -> None:
    loaded, neutral = sentence_bias(LOADED), sentence_bias(NEUTRAL)
    assert all(0.0 <= p <= 1.0 for p in loaded + neutral)
    assert min(loaded) > max(neutral)
    assert all(is_loaded(p) for p in loaded)
    assert not any(is_loaded(p) for p in neutral)
    assert 0.0 < LOADED_THRESHOLD < 1.0


def test_the_words_that_make_a_sentence_loaded_are_cited_by_offset() -> None:
    sentence = LOADED[2]
    flags = loaded_words(sentence)
    assert flags
    for flag in flags:
        assert sentence[flag.start : flag.end] == flag.word
        assert flag.drop > 0
    assert {f.word for f in flags} & {"greedy", "shamelessly", "gutting", "pocketed"}
    assert loaded_words(NEUTRAL[2]) == []


def test_a_loaded_word_inside_a_quotation_stays_the_speakers() -> None:
    quoted = 'The mayor called the stadium plan "a reckless, shameful waste of money," the clerk said.'
    unquoted = "The mayor's stadium plan is a reckless, shameful waste of money, the clerk said."
    assert sentence_bias([quoted])[0] < sentence_bias([unquoted])[0]
    quote = quoted.index('"'), quoted.rindex('"')
    assert all(not (quote[0] <= f.start < quote[1]) for f in loaded_words(quoted))


def test_reading_is_the_same_in_any_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    # read by the model itself, not through sentence_bias's memory or the output memo
    import numpy as np

    from slant.llm import output_memo
    from slant.readers.sessions import encoder_reader

    monkeypatch.setattr(output_memo, "_folder", None)

    for name in ("sentence_reader", "stance_reader"):
        reader = encoder_reader(name)
        together = reader.logits(NEUTRAL + LOADED)
        alone = np.array([reader.logits([text])[0] for text in NEUTRAL + LOADED])
        assert np.array_equal(together, alone), name


def test_stance_follows_what_the_writer_says_about_the_actor() -> None:
    critical = read_stance(
        "the mayor",
        [
            "The mayor's disastrous plan has left the harbour district in ruins.",
            "Critics say the mayor lied repeatedly about the cost, a shameful betrayal of voters.",
        ],
    )
    favourable = read_stance(
        "the coach",
        [
            "The coach, widely admired, led the team to a brilliant and historic title.",
            "Fans celebrated the coach's generous gift to the youth academy.",
        ],
    )
    neutral = read_stance("the committee", ["The committee will meet on Tuesday to review the schedule."])
    assert (critical.stance, favourable.stance, neutral.stance) == ("critical", "favourable", "neutral")
    for reading in (critical, favourable, neutral):
        assert set(reading.probabilities) == set(LABELS)
        assert sum(reading.probabilities.values()) == pytest.approx(1.0, abs=0.01)
        assert reading.probability == reading.probabilities[reading.stance]


def test_a_passage_runs_from_the_sentence_naming_the_actor_to_its_paragraph_end() -> None:
    text = "Rain fell all day.\nThe clinic opened late. Dr. Amal Rahim apologised. Patients waited.\nA new paragraph."
    start = text.index("Dr. Amal")
    naming = [(start, text.index("Patients"))]
    assert stance_passages(text, naming) == ["Dr. Amal Rahim apologised. Patients waited."]
    assert stance_passages(text, []) == []


def test_eval_stance_scores_a_persent_format_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from slant.cli.app import app

    data = Path(__file__).parent / "data" / "stance_sample.jsonl"
    result = CliRunner().invoke(app, ["eval", "stance", str(data)])
    assert result.exit_code == 0, result.output
    assert "stance_macro_f1" in result.stdout
    assert "stance_accuracy" in result.stdout
    assert "confusion" in result.stdout
