"""Actors, voices, camps and stance on news the team wrote about unrelated subjects (US politics,
a company, sport, climate), so that nothing here passes because it was written on the seeds.
"""

from slant.framing.signals import profile
from slant.framing.stance import main_actors, stance_toward
from slant.reading.actors import Actor, affiliation, find_actors, merge_actors
from slant.sources.documents import Article, make_article
from slant.text.sentences import sentence_spans

POLITICS = (
    "Senate Majority Leader Chuck Schumer said on Tuesday that the spending bill would pass by Friday. "
    "Schumer, a Democrat from New York, added that talks were going well.\n"
    '"We have the votes, and we will use them," Schumer told reporters.\n'
    'Sen. Ted Cruz (R-Texas) disagreed. "This bill spends money we do not have," Cruz said. '
    '"It will not pass the House."\n'
    "Vermont Sen. Bernie Sanders called the bill a start.\n"
    "The White House declined to comment, according to a spokeswoman for the Treasury Department.\n"
    "Enrique Peña Nieto, the former president of Mexico, was in Washington on Monday. "
    'Mr. Peña Nieto said the visit was "a private one."'
)
COMPANY = (
    "Northwind Inc. said on Thursday that quarterly profit rose 12 percent.\n"
    'Chief executive Priya Raman said demand was strong. "Our customers keep coming back," she said.\n'
    'Tom Becker, an analyst at Halvorsen Securities, was less sure. "The margins will not last," he wrote in a note.\n'
    "Apple said it would not comment on the report."
)
SPORT = (
    "Riverside won the cup final 2-1 after extra time on Saturday.\n"
    "Castleford's manager, Helen Marsh, said her side had been unlucky. "
    '"We hit the post twice. On another day we win this game," Marsh told reporters.\n'
    '"I am proud of every one of them," said Jonas Eriksen, Riverside\'s captain.'
)
CLIMATE = (
    "Temperatures in the valley reached 43 degrees on Sunday, the weather service said.\n"
    '"Older people living alone are most at risk," said Dr. Amara Osei, the region\'s public health director.\n'
    "Greenpeace said the heatwave showed that the government had failed. "
    "The arrogant and reckless governor Paul Reyes excoriated the scientists again. "
    "Reyes made a disgraceful, humiliating speech to the farmers. "
    "Reyes later met the farmers."
)


def voices(text: str, camps: dict[str, list[str]] | None = None) -> dict[str, object]:
    return {v.speaker: v for v in profile(make_article(text, "x.txt", {}), camps=camps).voices}


def test_actors_come_with_the_roles_and_affiliations_the_text_states() -> None:
    index = find_actors(POLITICS)
    schumer = index.actors["Chuck Schumer"]
    assert schumer.kind == "person"
    assert "Senate Majority Leader" in schumer.roles
    assert affiliation(schumer) == "Democrat"  # "a Democrat from New York"
    assert affiliation(index.actors["Ted Cruz"]) == "Republican"  # "(R-Texas)"
    assert affiliation(index.actors["Bernie Sanders"]) == "Vermont"
    farm = "Sen. Ruth Alder, R-Neb., said the farm bill would pass. Rep. Omar Field, D-Ore., was less sure."  # AP
    farmers = find_actors(farm).actors
    assert (affiliation(farmers["Ruth Alder"]), affiliation(farmers["Omar Field"])) == ("Republican", "Democratic")
    water = (
        "Senator Ada Moss of Idaho, who chairs the water panel, said the dam would stay. Representative "
        "Luis Kane, Democrat of Arizona, disagreed. Ada Moss's brother, Pete Moss, runs a farm. Moss said the "
        "river was low. The Bank of Idaho lent the money."
    )
    dam = find_actors(water).actors
    assert affiliation(dam["Ada Moss"]) == "Idaho"  # not a person called "Ada Moss of Idaho"
    assert affiliation(dam["Luis Kane"]) == "Democrat"
    assert "Democrat of Arizona" not in dam
    assert "Bank of Idaho" in dam
    assert "Moss" in dam["Ada Moss"].aliases  # the surname is the one named most, not the last named
    assert index.actors["White House"].kind == "organisation"
    assert "Enrique Peña Nieto" in index.actors  # not cut at the ñ
    assert "Peña Nieto" in index.actors["Enrique Peña Nieto"].aliases  # "Mr. Peña Nieto" is the same man
    assert not any(name in index.actors for name in ("Tuesday", "Monday", "R-Texas", "Sen"))
    assert find_actors(COMPANY).actors["Apple"].kind == "organisation"
    particles = find_actors(
        "Sen. Al Franken (D-Minn.) asked first. Mayor Bill de Blasio and Marine Le Pen were named. De Blasio "
        "said nothing. Of Ray Kim, little is known."
    ).actors
    assert affiliation(particles["Al Franken"]) == "Democratic"  # a capitalised particle begins a name
    assert "Marine Le Pen" in particles
    assert "Ray Kim" in particles  # "Of" does not begin a name
    assert "De Blasio" in particles["Bill de Blasio"].aliases
    pair = find_actors(
        "Later, Ms. Okafor and Mr. Lindqvist spoke. Parks and Recreation Director Ana Holm agreed."
    ).actors
    assert pair["Lindqvist"].roles == ["Mr."]  # two people, not one titled "Ms. Okafor and Mr."
    assert "Okafor" in pair
    assert pair["Ana Holm"].roles == ["Parks and Recreation Director"]  # one office with "and" in it


def test_every_quotation_is_credited_to_its_speaker_on_any_subject() -> None:
    politics = voices(POLITICS)
    assert politics["Chuck Schumer"].direct == 1
    assert politics["Ted Cruz"].direct == 2  # the second quotation goes on from the first
    assert politics["Bernie Sanders"].indirect == 1
    assert politics["Enrique Peña Nieto"].indirect == 1  # a short quotation is a paraphrase
    company = voices(COMPANY)
    assert company["Priya Raman"].direct == 1  # "she said"
    assert company["Priya Raman"].role == "Chief executive"
    assert company["Tom Becker"].direct == 1  # "he wrote"
    assert company["Tom Becker"].affiliation == "Halvorsen Securities"
    assert company["Apple"].kind == "organisation"
    sport = voices(SPORT)
    assert set(sport) == {"Helen Marsh", "Jonas Eriksen"}
    assert sport["Helen Marsh"].role == "Castleford's manager"
    assert sport["Jonas Eriksen"].direct == 1  # speaker after the quotation
    climate = voices(CLIMATE)
    assert climate["Amara Osei"].role == "the region's public health director"
    assert "Greenpeace" in climate


def test_camps_are_the_analysts_and_otherwise_the_stated_affiliation() -> None:
    grouped = voices(POLITICS, camps={"Democrats": ["Democrat", "Schumer"], "Republicans": ["Republican"]})
    assert grouped["Chuck Schumer"].camp == "Democrats"
    assert grouped["Ted Cruz"].camp == "Republicans"
    assert grouped["Bernie Sanders"].camp == "Vermont"  # in no camp: the affiliation the text states
    plain = voices(POLITICS)
    assert plain["Ted Cruz"].camp == "Republican"
    assert all(v.camp != "Russia" for v in plain.values())


def test_stance_toward_the_main_actors_comes_from_the_writers_words() -> None:
    article = Article(id="0123456789abcdef", text=CLIMATE, origin="-")
    index = find_actors(CLIMATE)
    main = main_actors([index])
    assert "Paul Reyes" in [a.name for a in main]
    reyes = stance_toward(article, "x", index, next(a for a in main if a.name == "Paul Reyes"))
    assert reyes.stance == "critical"
    assert reyes.evidence
    assert all("Reyes" in e.text and CLIMATE[e.start : e.end] == e.text for e in reyes.evidence)
    neutral = Article(id="0123456789abcdef", text=SPORT, origin="-")
    sport = find_actors(SPORT)
    marsh = stance_toward(neutral, "x", sport, sport.actors["Helen Marsh"])
    assert marsh.stance == "neutral"
    absent = main_actors([sport], named=["Paul Reyes"])[0]
    assert stance_toward(neutral, "x", sport, absent).stance == "unclear"


def test_an_actor_the_analyst_names_in_other_words_is_still_found() -> None:
    text = (
        "The Kwik-Mart chain opened two stores in Dunmore on Monday.\n\n"
        "Greens on the council voted against the permits, saying the stores would empty the high street.\n\n"
        "Kwik-Mart said it would hire 40 people."
    )
    article = Article(id="0123456789abcdef", text=text, origin="-")
    index = find_actors(text)
    chain = stance_toward(article, "x", index, Actor(name="KwikMart", kind="organisation"))
    assert chain.stance != "unclear"
    assert {e.text for e in chain.evidence} <= {text[s.start : s.end] for s in sentence_spans(text)}
    greens = stance_toward(article, "x", index, Actor(name="Green councillors", kind="organisation"))
    assert greens.stance != "unclear"
    assert all("Greens" in e.text for e in greens.evidence)
    assert stance_toward(article, "x", index, Actor(name="Labour councillors", kind="organisation")).stance == "unclear"


def test_actors_merge_across_articles() -> None:
    first = find_actors("Senate Majority Leader Chuck Schumer spoke on Monday. Schumer left early.")
    second = find_actors("Schumer said the vote would come soon. Mr. Schumer then left.")
    merged = merge_actors([first, second])
    assert merged["Chuck Schumer"].mentions == 4
    assert "Schumer" not in merged


def test_a_name_with_or_without_its_middle_initial_is_one_person() -> None:
    text = (
        "The board chose Judge Maria T. Okafor to lead the inquiry into the harbour contracts.\n\n"
        "“Maria Okafor has the record for it,” the chair said.\n\n"
        "Maria Okafor will report by June. Okafor has led two earlier inquiries."
    )
    index = find_actors(text)
    people = [a for a in index.actors.values() if a.kind == "person" and "Okafor" in a.name]
    assert [a.name for a in people] == ["Maria T. Okafor"]
    assert people[0].mentions == 4
    article = Article(id="0123456789abcdef", text=text, origin="-")
    asked = main_actors([index], named=["Maria Okafor"])[0]
    assert len(stance_toward(article, "x", index, asked).evidence) >= 1
    assert "Maria Okafor" not in merge_actors([index, find_actors("Maria Okafor spoke on Friday.")])


def test_compare_two_outlets_on_a_us_politics_story_with_the_real_model(tmp_path: object) -> None:
    """End to end: the real embedder, model and Chroma index, on two reports the team wrote."""
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from slant.cli.app import app

    folder = Path(str(tmp_path)) / "budget"
    folder.mkdir()
    (folder / "metadata.yaml").write_text(
        "ledger.txt:\n  source: The Ledger\ncourier.txt:\n  source: The Courier\n", encoding="utf-8"
    )
    (folder / "ledger.txt").write_text("Senate passes spending bill\n\n" + POLITICS, encoding="utf-8")
    (folder / "courier.txt").write_text(
        "Spending bill clears Senate\n\n"
        "The Senate approved the spending bill on Friday after a week of talks.\n"
        "Senate Majority Leader Chuck Schumer, a Democrat from New York, praised the vote. "
        '"This is a good day for working families," Schumer said.\n'
        "The arrogant and reckless Sen. Ted Cruz (R-Texas) ranted against it in a disgraceful, "
        "humiliating speech. Cruz excoriated the bill again.\n"
        '"It spends money we do not have," Cruz said.\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    camps = ["--camp", "Democrats=Democrat,Democratic", "--camp", "Republicans=Republican"]
    result = runner.invoke(app, ["compare", "--source", "The Ledger", "--source", "The Courier", "--json", *camps])
    assert result.exit_code == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert comparison["used_model"]
    courier = dict(zip(comparison["sources"], comparison["profiles"], strict=True))["The Courier"]
    speakers = {v["speaker"]: v for v in courier["voices"]}
    assert speakers["Chuck Schumer"]["camp"] == "Democrats"
    assert speakers["Ted Cruz"]["camp"] == "Republicans"
    assert {"Democrats", "Republicans"} <= set(courier["camp_shares"])
    assert {"Chuck Schumer", "Ted Cruz"} <= {a["name"] for a in comparison["actors"]}
    stance = {(s["source"], s["actor"]): s for s in comparison["stances"]}
    assert stance[("The Courier", "Ted Cruz")]["stance"] == "critical"  # the writer's words judge him
    assert stance[("The Ledger", "Ted Cruz")]["stance"] == "neutral"
    assert all(s["stance"] != "unclear" or not s["evidence"] for s in comparison["stances"])
    assert not any(a["name"] in ("Russia", "NATO") for a in comparison["actors"])
