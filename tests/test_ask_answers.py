"""`slant ask` on articles the team wrote (council, sport, a union vote), with the real model,
embedder and index: the answer must hold what was asked (a name for "who", an amount for "how
much", a place for "where", across a sentence boundary where the article puts it there), and a
question the articles do not answer gets the abstention.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slant.cli.app import app
from slant.config.settings import Settings
from slant.llm.loaded import embedder_for
from slant.tasks.ask import ABSTENTION, _source_answer, ask
from slant.text.sentences import Evidence, sentence_spans

runner = CliRunner()
ARTICLE_FILES = [
    "harbour-bridge-council.txt",
    "northwind-earnings.txt",
    "riverside-cup-final.txt",
    "valley-heatwave.txt",
]
UNION = (
    "Tenants Union Condemns Rent Rise\n\n"
    "The Riverside Tenants Union adopted a resolution on Tuesday condemning the rent increase that the city's "
    "housing chief, Aaron Pike, proposed. "
    "The vote took place at the union's annual convention in Kestrel Bay. "
    "Members voted 212 to 40 in favour, the union's secretary said. "
    "The secretary, Lena Brandt, was elected in 2023.\n"
)


@pytest.fixture
def indexed(articles: Path) -> Path:
    (articles / "tenants-union.txt").write_text(UNION, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(articles)])
    assert result.exit_code == 0, result.stderr
    return articles


def answer(question: str) -> dict:
    result = runner.invoke(app, ["ask", question, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def said(found: dict) -> str:
    return " ".join(s["text"] for s in found["sentences"])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who voted against the bridge closure?", "Okafor"),
        ("How much will the bridge repairs cost?", "$48 million"),
        ("How many fans watched the cup final?", "61,000"),
        ("In which city did the tenants union adopt its resolution?", "Kestrel Bay"),  # the next sentence
        # The answer slot ("secretary") decides between names: not the housing chief of the lead.
        ("Who is the secretary of the Riverside Tenants Union?", "Lena Brandt"),
    ],
)
def test_the_answer_holds_what_was_asked(indexed: Path, question: str, expected: str) -> None:
    found = answer(question)
    assert found["answered"], found["rejected"]
    assert expected in said(found)
    for sentence in found["sentences"]:
        assert sentence["citations"], sentence  # every answer sentence cites its document and span
        for citation in sentence["citations"]:
            assert citation["quote"] in sentence["text"] or sentence["origin"] == "generated"


def test_a_small_model_drafts_only_on_a_close_call_and_a_large_ones_draft_is_verified(
    indexed: Path, scripted_model: Any
) -> None:
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    small = scripted_model("The repairs will cost $48 million.", 300_000_000)
    decided = ask("In which city did the tenants union adopt its resolution?", settings, small, embedder)
    assert small.calls == 0  # one clear candidate: no draft could change the answer
    assert decided.provenance is None
    assert "Kestrel Bay" in " ".join(s.text for s in decided.sentences)
    close = ask("How much will the bridge repairs cost?", settings, small, embedder)  # two candidates, near
    assert small.calls == 1
    assert close.provenance is not None
    assert "$48 million" in " ".join(s.text for s in close.sentences)
    right = "Councillor Ray Okafor, who voted against the plan, said the closure would hurt shops."
    large = scripted_model(json.dumps({"answer": "Councillor Ray Okafor", "sentence": right, "passage": 1}), 4 << 30)
    answer = ask("Who voted against the bridge closure?", settings, large, embedder)
    assert large.calls == 1  # a writer always writes
    assert [(s.origin, s.text) for s in answer.sentences] == [("generated", right)]
    assert answer.short == "Councillor Ray Okafor"
    wrong = right.replace("Councillor Ray Okafor", "Mayor Dana Whitfield")
    reply = json.dumps({"answer": "Mayor Dana Whitfield", "sentence": wrong, "passage": 1})
    large = scripted_model(reply, 4 << 30, judge=lambda prompt: "The answer to the question" not in prompt)
    answer = ask("Who voted against the bridge closure?", settings, large, embedder)  # the judge passes the sentence
    (rejected,) = answer.rejected
    assert "has 'Whitfield' where its evidence has 'Okafor'" in rejected["reasons"]  # the exact checks decide
    assert all(s.origin == "source" for s in answer.sentences)  # the evidence answers instead
    assert answer.short is None  # and the writer's name is not shown: no checked sentence holds it


def _sentences(doc_id: str, text: str) -> list[Evidence]:
    return [Evidence(doc_id=doc_id, start=s.start, end=s.end, text=text[s.start : s.end]) for s in sentence_spans(text)]


def test_the_sentence_that_continues_the_answer_is_read_and_shown_with_it() -> None:
    text = (
        "The Kestrel Bay council voted on Thursday on the ferry operator's winter timetable. "
        "It was approved by nine votes to four after a three-hour debate. "
        "Islanders had asked for a later last crossing."
    )
    found = _source_answer(
        "What was the result of the Kestrel Bay council's vote on the ferry timetable?",
        _sentences("ferry", text),
        {"ferry": text},
        embedder_for(Settings.load()),
    )
    assert [e.text for e, _ in found][1:] == ["It was approved by nine votes to four after a three-hour debate."]


def test_a_year_the_question_names_may_be_the_articles_date(articles: Path) -> None:
    text = (articles / "riverside-cup-final.txt").read_text(encoding="utf-8")  # no year in the text
    question = "How many fans watched Riverside win the national cup in 2025?"
    sources, texts, embedder = _sentences("cup", text), {"cup": text}, embedder_for(Settings.load())
    found = _source_answer(question, sources, texts, embedder, dates={"cup": "2025-05-17"})
    assert "61,000" in " ".join(e.text for e, _ in found)
    assert _source_answer(question, sources, texts, embedder, dates={"cup": "2024-05-18"}) == []


@pytest.mark.parametrize(
    "question",
    ["How many people watched the council vote on television?", "When did Northwind appoint its auditor?"],
)
def test_questions_the_articles_do_not_answer_are_declined(indexed: Path, question: str) -> None:
    found = answer(question)
    assert not found["answered"], said(found)
    assert found["closest"]  # the closest passages are shown instead
    result = runner.invoke(app, ["ask", question])
    assert ABSTENTION in result.stdout


def test_a_question_comparing_sources_is_answered_from_each_and_points_to_compare(seeds: Path) -> None:
    assert runner.invoke(app, ["ingest", str(seeds)]).exit_code == 0
    question = "How did seed-002 and CNewsLive describe Dragone's remarks?"
    found = answer(question)
    assert found["answered"]
    cited = {c["source"] for s in found["sentences"] for c in s["citations"]}
    assert cited == {"seed-002", "CNewsLive"}  # one sentence from each source named
    assert all(s["origin"] == "source" for s in found["sentences"])
    assert found["see_also"] == "slant compare --source seed-002 --source CNewsLive"
    shown = runner.invoke(app, ["ask", question])
    assert "slant compare --source seed-002 --source CNewsLive" in shown.stdout
    # The sources' names are in no sentence: each is read for what the question asks about.
    strike = answer("How did seed-002 and CNewsLive describe the strike comments?")
    assert {c["source"] for s in strike["sentences"] for c in s["citations"]} == {"seed-002", "CNewsLive"}


def test_eval_questions_scores_answers_on_a_basil_format_file(tmp_path: Path) -> None:
    data = tmp_path / "news.jsonl"
    rows = [
        {"key": "k1", "event": "e1", "source": "ledger", "title": "Tenants Union Condemns Rent Rise", "text": UNION},
        {
            "key": "k2",
            "event": "e2",
            "source": "courier",
            "title": "Ferry service expands",
            "text": "The harbour ferry will run every 15 minutes from May, the transport department said.\n",
        },
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        "questions:\n"
        '  - {id: q1, kind: how-many, question: "How many members voted for the tenants union resolution?", '
        'key: k1, answers: ["212"]}\n'
        '  - {id: u1, kind: who, question: "Who captains the harbour ferry?", key: k2, answers: [], '
        "unanswerable: true}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["eval", "questions", str(questions), "--data", str(data), "--index", str(tmp_path / "ix"), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["summary"] == {
        "answerable": 1,
        "answerable_right_and_cited": 1,
        "unanswerable": 1,
        "unanswerable_declined": 1,
        "answers_stating_what_sources_do_not": 0,
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text('questions:\n  - {id: q1, question: "Who?", key: k1}\n', encoding="utf-8")
    failed = runner.invoke(app, ["eval", "questions", str(bad), "--data", str(data), "--index", str(tmp_path / "ix")])
    assert failed.exit_code == 2
    assert "q1 has no answers" in failed.stderr


def test_an_answer_holds_half_of_what_is_asked_and_its_next_sentence_is_about_the_question() -> None:
    embedder = embedder_for(Settings.load())
    ferries = (
        "Kestrel Bay Ferries will add two vessels to its island crossing next spring, its chief executive, "
        "Mara Voss, said at a briefing in Port Ellery on Monday. "
        "The company has not said where the boats are being built. Fares will stay the same."
    )
    # A place, but only "crossing" of "new boats … crossing … built": where the briefing was, not the yard.
    built = "Where are the new boats for the Kestrel Bay crossing being built?"
    assert _source_answer(built, _sentences("ferries", ferries), {"ferries": ferries}, embedder) == []
    tolls = (
        "The Harbour Bridge toll board met on Friday to set next year's fares for cars and lorries. "
        "Separately, a new public library opened in Port Ellery."
    )
    # The next sentence holds a place, about something else.
    where = "In which town did the Harbour Bridge toll board set next year's fares?"
    assert _source_answer(where, _sentences("tolls", tolls), {"tolls": tolls}, embedder) == []


def test_which_executive_asks_for_a_person_and_which_union_for_an_organisation() -> None:
    embedder = embedder_for(Settings.load())
    text = (
        "An executive from Kestrel Bay Ferries called Mayor Ana Ruiz on Monday to urge her to veto the harbour levy. "
        "The dockworkers who crew the ferries belong to the Harbour Workers Union, its treasurer said."
    )
    sources, texts = _sentences("levy", text), {"levy": text}
    # The only person the first sentence names is the mayor, whom the question already names.
    executive = "Which Kestrel Bay Ferries executive called Mayor Ana Ruiz to urge a veto of the harbour levy?"
    assert _source_answer(executive, sources, texts, embedder) == []
    union = "Which union do the dockworkers who crew the Kestrel Bay ferries belong to?"
    assert "Harbour Workers Union" in " ".join(e.text for e, _ in _source_answer(union, sources, texts, embedder))


def test_a_word_of_like_meaning_holds_its_place_in_the_answer_slot() -> None:
    text = (
        "The Kestrel Bay lighthouse has stood abandoned since 1998. Thieves have stripped its copper roof twice. "
        "Volunteers led by Ruth Amadi are now protecting the lighthouse at night, the heritage trust said. "
        "The trust hopes to reopen it as a museum."
    )
    # "protecting" stands for "guarding": two of "guarding", "abandoned", "lighthouse".
    question = "Who has been guarding the abandoned Kestrel Bay lighthouse?"
    found = _source_answer(
        question, _sentences("lighthouse", text), {"lighthouse": text}, embedder_for(Settings.load())
    )
    assert "Ruth Amadi" in " ".join(e.text for e, _ in found)


def test_the_evidences_answer_is_shown_before_the_writer_is_asked(indexed: Path, scripted_model: Any) -> None:
    """On a terminal the live line gets the evidence's candidate first, while the writer reads."""
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    writer = scripted_model(json.dumps({"answer": "", "sentence": "", "passage": 0}), 4 << 30)
    shown: list[tuple[str, int]] = []
    found = ask(
        "In which city did the tenants union adopt its resolution?",
        settings,
        writer,
        embedder,
        on_text=lambda text: shown.append((text, writer.calls)),
    )
    assert shown
    assert "Kestrel Bay" in shown[0][0]
    assert shown[0][1] == 0  # before the writer was called
    assert writer.calls == 1
    assert not found.answered  # the writer found no answer: slant declines, the evidence line was a preview


def test_the_evidence_answers_for_the_writer_only_with_the_writers_answer(indexed: Path, scripted_model: Any) -> None:
    """When the writer's sentence fails its checks, a source sentence answers only when it names
    what the writer's short answer names: when none does, the writer and the evidence disagree,
    and slant declines rather than show the evidence's own candidate."""
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    question = "Who proposed the rent increase that the tenants union condemned?"

    def writer(short: str) -> Any:
        reply = {"answer": short, "sentence": f"{short} proposed the rent rise at a meeting in May.", "passage": 1}
        return scripted_model(json.dumps(reply), 4 << 30)

    assert not ask(question, settings, writer("Maria Lopez"), embedder).answered  # no article names her
    found = ask(question, settings, writer("the housing chief, Aaron Pike"), embedder)
    assert found.answered
    assert found.sentences[0].origin == "source"  # "at a meeting in May" is in no article
    assert "Aaron Pike, proposed" in found.sentences[0].text
    assert ask(question, settings, writer("Mr. Aaron Pike"), embedder).answered  # a title the article omits
    assert ask(question, settings, writer("Aaron J. Pike"), embedder).answered  # an initial it omits: the same name
    copied = "the housing chief, Aaron Pike, " + "who spoke for the owners at the long meeting " * 3
    assert not ask(question, settings, writer(copied), embedder).answered  # a passage copied is no short answer


def test_the_writers_sentence_is_read_with_the_sentences_before_its_evidence(
    indexed: Path, scripted_model: Any
) -> None:
    """Like a candidate from the articles, the writer's sentence need not repeat the names the
    story opened with: it is about the question when read with the sentences before its evidence."""
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    question = "In which town did the Riverside Tenants Union condemn the rent increase?"
    sentence = "The union's vote was held at its annual convention in Kestrel Bay."
    writer = scripted_model(json.dumps({"answer": "Kestrel Bay", "sentence": sentence, "passage": 1}), 4 << 30)
    found = ask(question, settings, writer, embedder)
    assert found.answered
    assert found.sentences[0].origin == "generated"
    assert found.sentences[0].text == sentence
    assert found.short == "Kestrel Bay"


def test_the_writers_sentence_answers_only_when_it_names_the_writers_short_answer(
    indexed: Path, scripted_model: Any
) -> None:
    """A true sentence about the question that names someone else than the writer's short answer
    does not answer: the evidence that names the short answer does."""
    (indexed / "harbour-levy.txt").write_text(
        "Harbour Levy Rises\n\nThe Kestrel Bay council voted on Monday to raise the harbour levy. "
        "Councillor Ruth Amadi proposed the rise. "
        "Councillor Tom Reyes, who opposed it, chairs the finance committee.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(indexed)]).exit_code == 0
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    other = "Councillor Tom Reyes, who opposed it, chairs the finance committee."
    writer = scripted_model(json.dumps({"answer": "Ruth Amadi", "sentence": other, "passage": 1}), 4 << 30)
    found = ask("Who proposed raising the Kestrel Bay harbour levy?", settings, writer, embedder)
    assert found.answered
    assert {s.origin for s in found.sentences} == {"source"}
    assert "Councillor Ruth Amadi proposed the rise." in [s.text for s in found.sentences]


def test_the_sentence_before_the_writers_may_name_its_answer(indexed: Path, scripted_model: Any) -> None:
    """The writer's sentence passes every check but naming its short answer, and no sentence of
    the articles answers alone: the sentence before its evidence names the answer, and the two are
    shown together, the one that names it first."""
    (indexed / "quay-levy.txt").write_text(
        "Quay Levy Rises\n\nThe Kestrel Bay council voted on Monday to raise the quay levy by a tenth. "
        "The rise drew sharp criticism from the Harbour Traders Guild, which speaks for 40 shops. "
        "In a letter, its chair, Nadia Holm, called the rise a tax on the island's only income.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(indexed)]).exit_code == 0
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    sentence = "Its chair, Nadia Holm, called the rise a tax on the island's only income."
    reply = {"answer": "the Harbour Traders Guild", "sentence": sentence, "passage": 1}
    question = "Which shopkeepers' body, chaired by Nadia Holm, condemned the quay levy increase?"
    found = ask(question, settings, scripted_model(json.dumps(reply), 4 << 30), embedder)
    assert found.answered
    assert [s.origin for s in found.sentences] == ["source", "generated"]
    assert "Harbour Traders Guild" in found.sentences[0].text
    assert found.sentences[1].text == sentence
    unnamed = {"answer": "Tom Reyes", "sentence": sentence, "passage": 1}  # no sentence beside it names him
    assert not ask(question, settings, scripted_model(json.dumps(unnamed), 4 << 30), embedder).answered
    where = "Where did the shopkeepers' body chaired by Nadia Holm condemn the quay levy increase?"
    assert not ask(where, settings, scripted_model(json.dumps(reply), 4 << 30), embedder).answered  # a guild: no place


def test_the_writer_reads_the_sentences_nearest_the_question_and_the_one_after_each() -> None:
    """What the writer reads of its passages (for speed: docs/performance.md): the sentences
    nearest the question, each with the sentence after it, gaps marked, every passage kept in its
    place so the writer's passage numbers stay right."""
    from slant.index.retrieval import Passage
    from slant.tasks.ask import _excerpts

    texts = [(Path(__file__).parent / "articles" / name).read_text(encoding="utf-8")[:1000] for name in ARTICLE_FILES]
    texts.insert(1, "The city's parks department repainted 40 benches this spring. " + UNION.split("\n\n")[1])
    passages = [
        Passage(chunk_id=f"c{i}", doc_id=f"d{i}", start=0, end=len(text), text=text, score=1.0)
        for i, text in enumerate(texts)
    ]
    read = _excerpts(
        "In which city did the tenants union adopt its resolution?", passages, embedder_for(Settings.load())
    )
    assert len(read) == len(passages)
    assert all(read)
    assert "adopted a resolution on Tuesday" in read[1]
    assert "The vote took place at the union's annual convention in Kestrel Bay." in read[1]  # the sentence after
    assert "benches" not in read[1]
    assert read[1].startswith("…")  # a gap is marked
    assert sum(map(len, read)) < 0.75 * sum(map(len, texts))


def test_which_company_executive_is_not_answered_by_another_companys(indexed: Path, scripted_model: Any) -> None:
    """ "Which Tarn Foods executive …?" is not answered by a person the article makes the chief
    executive of another company, however true the sentence: slant declines."""
    (indexed / "mill-closure.txt").write_text(
        "Mill Closure Opposed\n\nThe Kestrel Bay council will vote on Friday on closing the old flour mill. "
        "An executive from Tarn Foods, which buys the mill's flour, wrote to the council to oppose the closure, "
        "and Ada Berg, chief executive of Crumb & Co, phoned the mayor to back it.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(indexed)]).exit_code == 0
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    sentence = "Ada Berg, chief executive of Crumb & Co, phoned the mayor to back it."
    question = "Which Tarn Foods executive wrote to the council about the mill closure?"
    reply = {"answer": "Ada Berg", "sentence": sentence, "passage": 1}
    found = ask(question, settings, scripted_model(json.dumps(reply), 4 << 30), embedder)
    assert not found.answered
    assert found.rejected[0]["reasons"] == ["the articles tie Ada Berg to Crumb & Co"]
    own = ask(
        question.replace("Tarn Foods", "Crumb & Co"), settings, scripted_model(json.dumps(reply), 4 << 30), embedder
    )
    assert not any("tie Ada Berg" in reason for r in own.rejected for reason in r["reasons"])


def test_a_short_answer_that_only_repeats_the_question_is_no_answer(indexed: Path, scripted_model: Any) -> None:
    """Asked a cyclist's name where the article names none, a writer answering "the cyclist" gives
    nothing the question does not: slant declines rather than show a sentence about the cyclist."""
    (indexed / "quay-street-crash.txt").write_text(
        "Cyclist Hurt on Quay Street\n\nA bus struck a cyclist on Quay Street in Kestrel Bay on Sunday morning. "
        "The cyclist, a man in his thirties whom police did not name, was taken to Ardley hospital with a broken leg. "
        "The bus driver stopped at once, the harbour police said.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(indexed)]).exit_code == 0
    settings, embedder = Settings.load(), embedder_for(Settings.load())
    question = "What is the name of the cyclist the bus struck on Quay Street?"
    sentence = "The cyclist, a man in his thirties whom police did not name, was taken to Ardley hospital."
    reply = {"answer": "the cyclist", "sentence": sentence, "passage": 1}
    found = ask(question, settings, scripted_model(json.dumps(reply), 4 << 30), embedder)
    assert not found.answered, found.sentences
    assert found.rejected[0]["reasons"] == ["gives nothing the question does not: no answer"]
