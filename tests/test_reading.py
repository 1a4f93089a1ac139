"""The reading: each article parsed once by the real spaCy pipeline with slant's components, stored
with the index at ingest and read back by every analysis. Articles written by the team on
unrelated subjects (a ferry service, a school board, a football club, a bakery chain).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from slant.cli.app import app
from slant.framing.voices import find_voices
from slant.reading.pipeline import read
from slant.text.sentences import sentence_spans

runner = CliRunner()

FERRY = (
    "The Kestrel Bay ferry will stop running on Sundays from March, the harbour board said on Tuesday.\n\n"
    'Board chair Margaret Ellis said the cut would save 40,000 pounds a year. "We have no other way to '
    'balance the books," she told reporters. "Nobody on this board wanted this."\n\n'
    "According to the ferry workers' union, 12 jobs are at risk. A union spokeswoman said the members "
    "would meet on Friday."
)
SCHOOL = (
    "Western Heights school board voted 5-2 to close Alder Street primary school.\n\n"
    "Superintendent Marcus Bell, who proposed the closure, defended the plan. The superintendent said "
    "enrolment had fallen by a third since 2019. Parents want the school kept open, a survey shows."
)


def attributions_of(text: str) -> list[tuple[str, str, str]]:
    (reading,) = read([text])
    return [
        (a.speaker, text[a.cue.start : a.cue.end], text[a.content.start : a.content.end]) for a in reading.attributions
    ]


def test_the_reading_holds_the_parse_entities_and_sentences() -> None:
    (reading,) = read([FERRY])
    assert FERRY[reading.sentences[0].start : reading.sentences[0].end].startswith("The Kestrel Bay ferry")
    tokens = reading.tokens
    said = tokens.lemmas.index("say")  # "… the harbour board said": a verb whose subject is "board"
    assert tokens.pos[said] == "VERB"
    subject = next(
        i
        for i, (dep, head) in enumerate(zip(tokens.deps, tokens.heads, strict=True))
        if dep == "nsubj" and head == said
    )
    assert FERRY[tokens.starts[subject] : tokens.ends[subject]] == "board"
    labels = {FERRY[e.start : e.end]: e.label for e in reading.entities}
    assert labels.get("Margaret Ellis") == "PERSON"
    assert any(label in {"DATE"} for text, label in labels.items() if "Tuesday" in text)
    assert any(
        FERRY[q.start : q.end].startswith("“We have") or FERRY[q.start : q.end].startswith('"We have')
        for q in reading.quotes
    )


def test_attributions_credit_source_cue_and_content_with_pronouns_resolved() -> None:
    found = attributions_of(FERRY)
    speakers = {speaker for speaker, _, _ in found}
    assert ("the harbour board", "said") in {(s, c) for s, c, _ in found}
    okafor = [content for speaker, _, content in found if speaker == "Margaret Ellis"]
    assert any("save 40,000 pounds" in content for content in okafor)  # "said the cut would …"
    assert any("no other way" in content for content in okafor)  # "she told reporters": she is Margaret Ellis
    assert any("Nobody on this board" in content for content in okafor)  # the quotation goes on in her voice
    assert any(content.startswith("12 jobs") for speaker, _, content in found if "union" in speaker)
    assert "she" not in speakers
    clinic = (
        "Dr. Amara Obi called for a second night clinic. Tom Hale, a nurse, spoke about the waiting lists. "
        "The health board spoke on Monday."
    )
    assert ("Amara Obi", "called", "a second night clinic") in attributions_of(clinic)  # "call for" …
    assert ("Tom Hale", "spoke", "the waiting lists") in attributions_of(clinic)
    assert not any(speaker == "The health board" for speaker, _, _ in attributions_of(clinic))  # "on Monday": no topic
    appeal = "Mayor Ines Vidal is calling for the province to fund the clinic. Most nurses backed Vidal."
    assert ("Ines Vidal", "calling", "the province to fund the clinic") in attributions_of(appeal)  # "for X to …"
    assert ("Most nurses", "backed", "Vidal") in [(a, c, w.rstrip(".")) for a, c, w in attributions_of(appeal)]
    (reading,) = read([appeal])
    assert not any(a.speech for a in reading.attributions if appeal[a.cue.start : a.cue.end] == "backed")
    lake = (
        "In an interview with the Courier, her campaign manager, Leo Park, said: “We will win the county.” "
        "Mayor Jon Falk said on Friday during a call with reporters that the dam would hold."
    )
    assert credited(lake, "win the county") == "Leo Park"  # the name right before the verb is its subject
    assert ("Jon Falk", "said", "the dam would hold") in [(a, c, w.rstrip(".")) for a, c, w in attributions_of(lake)]
    hopes = "Mayor Jon Falk hoped the dam would hold. Councillor Ada Lund reminded residents that the dam was old."
    assert ("Jon Falk", "hoped", "the dam would hold") in [(a, c, w.rstrip(".")) for a, c, w in attributions_of(hopes)]
    assert credited(hopes, "the dam was old") == "Ada Lund"  # "hoped" read as "hope", not "hop"; "reminded" reports


def test_places_and_adjectives_speak_only_as_subjects_of_a_reporting_verb() -> None:
    school = {speaker: content for speaker, _, content in attributions_of(SCHOOL)}
    assert "Western Heights" not in school
    assert "Western" not in school
    assert "Marcus Bell" in school  # "The superintendent said" is the superintendent named before
    voices = {v.speaker for v in find_voices("-", SCHOOL, sentence_spans(SCHOOL))}
    assert voices == {"Marcus Bell"}  # a survey "shows" a finding; parents "want": views, not voices
    moscow = (
        "Moscow said on Monday that the talks would go ahead. Russian officials agreed. The border saw "
        "attacks by Russian-backed units, a claim Moscow calls ‘propaganda designed to justify sanctions.’"
    )
    assert {v.speaker for v in find_voices("-", moscow, sentence_spans(moscow))} == {"Moscow"}
    # A participle closing the sentence goes with the one who dismissed the claim, not the claim's subject.
    club = "Coach Amy Laird dismissed reports that Northfield United wants to sell its captain, calling them fantasy."
    bakery = (
        "The chief executive, Rosa Lind, denied allegations that Crumb & Co hides its losses from investors, "
        "calling the claims malicious."
    )
    for text, speaker in [(club, "Amy Laird"), (bakery, "Rosa Lind")]:
        assert {s for s, cue, _ in attributions_of(text) if cue == "calling"} == {speaker}


FLOOD = (
    "The river reached its highest level in forty years on Sunday.\n\n"
    'Mayor Lena Ortiz waded into the square, looked at the pumps and said, "Nobody checked these '
    'machines. Somebody will answer for it."\n\n'
    "“The water is still rising,” Ortiz said on Monday. “Stay home.”\n\n"
    "Calling the council's response a “slow shambles,” Ortiz told residents to keep off the roads.\n\n"
    "Fire chief Ian Moss warned drivers again on Monday evening, as the water kept rising:\n\n"
    "“Do not drive through floodwater under any circumstances, however shallow it looks.”\n\n"
    "Councillor Tom Reyes stood by his comment that the plan was “a disgrace,” saying nothing had been fixed."
)


def credited(text: str, words: str) -> str | None:
    """Who the reading credits with the words (a speech attribution whose content holds them)."""
    (reading,) = read([text])
    at = text.index(words)
    return next((a.speaker for a in reading.attributions if a.speech and a.content.start <= at < a.content.end), None)


def test_quotations_are_credited_as_news_style_gives_them() -> None:
    assert credited(FLOOD, "Nobody checked") == "Lena Ortiz"  # the subject of "waded …, looked … and said"
    assert credited(FLOOD, "Somebody will answer") == "Lena Ortiz"  # the quotation runs on
    assert credited(FLOOD, "Stay home") == "Lena Ortiz"  # a short quotation that is a sentence of its own
    assert credited(FLOOD, "slow shambles") == "Lena Ortiz"  # "Calling … a “…,” Ortiz told …"
    assert credited(FLOOD, "Do not drive") == "Ian Moss"  # announced by a paragraph ending in ":"
    assert credited(FLOOD, "a disgrace") == "Tom Reyes"  # "his comment that …" is his speech
    assert credited(FLOOD, "highest level") is None
    orchard = (
        "The frost came two weeks early this year.\n\n"
        '"We lost half the apple blossom in one night. Nobody here has seen that before.\n\n'
        '"We will replant, but it will take five years," said Nadia Holm, who runs the cooperative.'
    )
    assert credited(orchard, "We lost half") == "Nadia Holm"  # left open, taken up in the next paragraph
    assert credited(orchard, "frost came") is None
    shed = '‘Frost follows a fair spring.’ The almanac line is painted on the shed.\n\n"We will replant," Holm said.'
    assert credited(shed, "Frost follows") is None  # closed by ’: not taken up by the next quotation
    levee = "Rep. Ana Diaz toured the levee on Friday. “We need the federal money this week,” the congresswoman said."
    assert credited(levee, "We need") == "Ana Diaz"  # the office a short title stands for
    record = (
        "Councillor Grace Okafor did not hold back.\n\n“Throughout her tenure, the mayor has left behind a record "
        "of delays, hundreds of complaints and residents who feel ignored,” Okafor said."
    )
    assert credited(record, "Throughout") == "Grace Okafor"  # the parse makes "hundreds" a subject of "said" too
    mill = (
        "The mill owner, Pavel Novak, responded to the inspectors in a statement on Monday:\n\n"
        "“The mill met every rule in force when it was built. We will appeal.\n\n"
        "Nobody was harmed, and nobody will be.”\n\nThe inspectors declined to comment."
    )
    assert credited(mill, "We will appeal") == "Pavel Novak"  # announced by a sentence ending in ":"
    assert credited(mill, "Nobody was harmed") == "Pavel Novak"  # the quotation runs over a paragraph break


def test_he_and_she_point_back_to_the_person_the_sentences_are_about() -> None:
    chess = (
        "Olga Brandt, a grandmaster from Riga, won the Lisbon open on Sunday. The organisers had hoped to "
        "bring in Brandt for the final rounds only.\n\n"
        '"I played the best chess of my life," said Brandt, according to the Chess Weekly. "The last game '
        'was the hardest."\n\n'
        'She said Marta Oliveira, the runner-up, had "pushed her to the limit." Of Oliveira, she said, '
        '"She will win this next year."\n\n'
        "The match between champion Tomas Reis and Brandt drew 3,000 visitors. Her win was no surprise, "
        "her coach Ivan Petrov said.\n\n"
        '"She studied every opening for a year."'
    )
    (reading,) = read([chess])
    actors = reading.actor_index.actors
    assert actors["Olga Brandt"].kind == "person"
    assert "Brandt" not in actors  # "bring in Brandt" is her, not a place
    assert "Tomas Reis" in actors
    assert not any(" and " in name for name in actors)  # "Tomas Reis and Brandt" are two people
    assert credited(chess, "The last game") == "Olga Brandt"  # her words go on, not the magazine's
    assert credited(chess, "win this next year") == "Olga Brandt"  # "Of Oliveira, she said": she is Brandt
    assert credited(chess, "every opening") == "Ivan Petrov"  # a quotation after "…, her coach said."


def test_it_points_back_to_the_organisation_or_country_its_sentence_is_about() -> None:
    mining = (
        "The Pacific Mining Group expects the copper price to rise. Its annual review paints a picture of a "
        "Chile that is rebuilding after what it calls a lost decade for the mines."
    )
    assert credited(mining, "a lost decade") == "Chile"  # a country speaks as "it"; the group is further back
    museum = (
        "OSLO -- Mayor Ingrid Dahl, opening the Harbour Museum on Saturday, said it would tell the story of the "
        "city's fishing families."
    )
    (reading,) = read([museum])
    speakers = {a.speaker for a in reading.attributions}
    assert "Ingrid Dahl" in speakers
    assert "OSLO" not in speakers  # the dateline, which the parse makes the subject of "said"


def test_a_show_a_hearer_or_a_home_state_is_not_what_someone_said() -> None:
    def contents(text: str) -> list[str]:
        (reading,) = read([text])
        return [text[a.content.start : a.content.end] for a in reading.attributions]

    assert contents("Senator Ruth Calloway won her home state of Ohio on Tuesday.") == []
    assert contents("Speaking to “Morning Desk” on Monday, Calloway said the farm bill was dead.") == [
        "the farm bill was dead"
    ]  # a title-case quotation names a show
    assert contents("Kirk later told CNN’s “State of the Union” that the repairs would cost more.") == [
        "that the repairs would cost more"
    ]
    assert contents("Mayor Dana Kirk told reporters during a visit to the pier on Saturday.") == []  # a hearer
    assert contents("At the opening, Kirk told the story of the pier's first ferry.") == [
        "the story of the pier's first ferry."
    ]
    assert contents("Kirk spoke on Radio Harbour about the pier repairs.") == ["the pier repairs"]  # not the medium
    assert credited(FLOOD, "Stay home") == "Lena Ortiz"  # a short quotation that is a sentence is still speech
    label = "Senator Ruth Calloway has branded it the “Harbour Grab Act” in speeches, and pledged to fight it."
    assert credited(label, "Harbour Grab") == "Ruth Calloway"  # a label someone gives is their words


def test_words_set_off_by_typography_are_credited_without_a_verb() -> None:
    radio = (
        "Harbour Chief: Ferry Cuts Will Stand\n"
        "The harbour chief, Mara Vos, spoke to the station on Sunday. A partial transcript follows.\n\n"
        '"HOST: Will the Sunday ferry come back?\n\n"VOS: Not this year. We have no money for it.\n\n'
        '"HOST: And next year?\n\n"VOS: That is for the board to decide.\n\n'
        "UPDATE: The board meets on Friday.\n\n"
        "“The ferry was my only way to work.” ― Lila Chen\n“Nobody asked the islanders.” ― Omar Haddad\n"
    )
    assert credited(radio, "Not this year") == "Mara Vos"  # a transcript's label is the surname of someone named
    assert credited(radio, "for the board to decide") == "Mara Vos"
    assert credited(radio, "Will the Sunday ferry") == "Host"  # two labels taking turns: a transcript
    assert credited(radio, "The board meets") is None  # "UPDATE:" names no one
    assert credited(radio, "my only way to work") == "Lila Chen"  # a signature after the quotation
    assert credited(radio, "Nobody asked") == "Omar Haddad"
    (reading,) = read([radio])
    contents = {radio[a.content.start : a.content.end]: a.speaker for a in reading.attributions}
    assert contents["Ferry Cuts Will Stand"] == "Harbour Chief"  # a headline's source, before its colon
    lone = "UPDATE: The ferry runs again.\n\nVOS: It was a hard year.\n\nThe board thanked her."
    assert credited(lone, "hard year") is None  # one label, naming no one the text names: not a transcript


def test_a_description_set_beside_a_name_is_that_persons_role() -> None:
    museum = (
        "The east wing will close in May. The museum's longtime collections director, Ingrid Salo, said the "
        "roof leaked. After meeting the Finnish minister, Carl Dahl said little. “The roof will be fixed by "
        "summer,” the trust's finance chief, Omar Haddad, told reporters. Lena Voss, chairman and chief "
        "executive of Crumb & Co, which runs the museum café, wrote to the trust."
    )
    (reading,) = read([museum])
    actors = reading.actor_index.actors
    assert "museum's longtime collections director" in actors["Ingrid Salo"].roles
    assert "trust's finance chief" in actors["Omar Haddad"].roles
    assert actors["Carl Dahl"].roles == []  # an opening phrase about someone else is not his role
    assert actors["Lena Voss"].roles == ["chairman and chief executive of Crumb & Co"]  # after the name
    assert actors["Lena Voss"].affiliation == "Crumb & Co"
    assert credited(museum, "fixed by summer") == "Omar Haddad"


def test_the_parse_entities_correct_the_kind_of_a_named_place() -> None:
    text = (
        "Relief flights landed in Puerto Rico on Monday. Governor Ana Ruiz toured the harbour.\n\n"
        '"The water is safe to drink," she said. Puerto Rico expects more aid this week.'
    )
    (reading,) = read([text])
    kinds = {name: actor.kind for name, actor in reading.actor_index.actors.items()}
    assert kinds["Puerto Rico"] == "place"
    assert kinds["Ana Ruiz"] == "person"
    assert credited(text, "safe to drink") == "Ana Ruiz"


def test_readings_are_stored_at_ingest_kept_by_reindex_and_an_old_index_still_reads(articles: Path) -> None:
    import slant
    from slant.index.store import Store
    from slant.llm.files import resolve_embedder

    assert runner.invoke(app, ["ingest", str(articles)]).exit_code == 0
    index = slant.Index()
    store = Store.open(index.settings, resolve_embedder(index.settings).embedder_id)
    ids = store.ids()
    stored = store.stored_readings(ids)
    assert set(stored) == set(ids)
    assert all(r.sentences for r in stored.values())

    assert runner.invoke(app, ["reindex"]).exit_code == 0
    store = Store.open(index.settings, resolve_embedder(index.settings).embedder_id)
    assert set(store.stored_readings(ids)) == set(ids)

    # An index made before readings were stored: its documents are read on first use, nothing is lost.
    store.client.delete_collection(store.readings.name)
    shown = runner.invoke(
        app, ["compare", "--source", "Ellery Gazette", "--source", "Valley Courier", "--no-llm", "--format", "json"]
    )
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["profiles"]
    assert len(Store.open(index.settings, resolve_embedder(index.settings).embedder_id).ids()) == len(ids)


def test_compare_on_stored_articles_never_loads_the_parser(articles: Path) -> None:
    """Every reading compare needs was stored at ingest, so it parses nothing: spaCy is never
    imported (it was, seconds a run, by asking for no reading at all)."""
    import os
    import subprocess
    import sys

    assert runner.invoke(app, ["ingest", str(articles)]).exit_code == 0
    script = (
        "import sys, slant\n"
        "slant.Index().compare(sources=['Ellery Gazette', 'Valley Courier'], use_model=False)\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
