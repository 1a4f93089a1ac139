"""Word lists written by the slant team (redistributable), plus VADER's MIT-licensed lexicon.
Entries are lower-case; multi-word entries match as phrases.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LOADED_TERMS = frozenset(
    [
        "slam",
        "slams",
        "slammed",
        "blast",
        "blasted",
        "lash",
        "lashed",
        "shatter",
        "shatters",
        "shattered",
        "alarming",
        "reckless",
        "menacing",
        "sinister",
        "outrageous",
        "disgraceful",
        "hysteria",
        "hysterical",
        "propaganda",
        "warmonger",
        "warmongering",
        "aggressor",
        "regime",
        "puppet",
        "catastrophic",
        "uncompromising",
        "harsh",
        "justified",
        "rebrand",
        "legitimize",
        "normalizing",
        "normalize",
        "unthinkable",
        "so-called",
        "hollow",
        "sanitized",
        "polished",
        "altruistic",
        "volatile",
        "stark",
        "fever-pitch",
        "brink",
        "existential",
        "alarmist",
        "draconian",
        "thugs",
        "barbaric",
        "heroic",
        "glorious",
        "shameful",
        "scandalous",
        "absurd",
        "ridiculous",
        "fiasco",
        "onslaught",
        "crusade",
    ]
) | frozenset(
    [
        "sharp rebuke",
        "strongly worded",
        "fever pitch",
        "red line",
        "walking the world",
        "did not mince words",
        "the most alarming",
        "you read that correctly",
        "deliberate escalation",
    ]
)

NEUTRAL_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "stated",
        "added",
        "noted",
        "reported",
        "explained",
        "described",
        "asked",
        "replied",
        "announced",
        "wrote",
        "according",
    ]
)
LOADED_VERBS = frozenset(
    [
        "slammed",
        "slams",
        "blasted",
        "claimed",
        "claims",
        "admitted",
        "admits",
        "insisted",
        "insists",
        "conceded",
        "boasted",
        "alleged",
        "lashed",
        "dismissed",
        "dismisses",
        "declared",
        "accused",
        "warned",
        "warns",
        "vowed",
        "urged",
        "denied",
        "criticized",
        "criticised",
        "rejected",
    ]
)
HEDGES = frozenset(
    [
        "may",
        "might",
        "could",
        "reportedly",
        "allegedly",
        "apparently",
        "appears",
        "seems",
        "suggests",
        "suggested",
        "possibly",
        "potentially",
        "unconfirmed",
        "likely",
        "perhaps",
        "purportedly",
    ]
)
CERTAINTY = frozenset(
    [
        "clearly",
        "certainly",
        "undoubtedly",
        "definitely",
        "completely",
        "openly",
        "obviously",
        "truly",
        "directly",
        "fundamentally",
        "precisely",
        "absolutely",
    ]
)

FRAMES: dict[str, frozenset[str]] = {
    "Economic": frozenset(
        [
            "economic",
            "economy",
            "spending",
            "cost",
            "costs",
            "budget",
            "gdp",
            "sanctions",
            "trade",
            "money",
            "financial",
        ]
    ),
    "Capacity and resources": frozenset(
        [
            "capabilities",
            "capability",
            "resources",
            "capacity",
            "modernizing",
            "modernising",
            "weaponry",
            "stockpiles",
        ]
    ),
    "Morality": frozenset(
        [
            "moral",
            "morally",
            "morality",
            "ethical",
            "immoral",
            "righteous",
            "evil",
            "altruistic",
            "conscience",
        ]
    ),
    "Fairness and equality": frozenset(
        ["fair", "unfair", "fairness", "equal", "equality", "discrimination", "double-standard"]
    ),
    "Legality, constitutionality and jurisprudence": frozenset(
        [
            "legal",
            "legally",
            "law",
            "laws",
            "illegal",
            "constitutional",
            "court",
            "treaty",
            "jurisdiction",
            "legitimate",
        ]
    ),
    "Policy prescription and evaluation": frozenset(
        [
            "policy",
            "policies",
            "strategy",
            "strategic",
            "doctrine",
            "negotiations",
            "negotiation",
            "talks",
            "diplomacy",
            "diplomatic",
            "proposal",
            "measures",
        ]
    ),
    "Crime and punishment": frozenset(
        [
            "crime",
            "criminal",
            "sabotage",
            "punish",
            "punishment",
            "prosecution",
            "terrorism",
            "terrorist",
        ]
    ),
    "Security and defense": frozenset(
        [
            "military",
            "defense",
            "defence",
            "defensive",
            "strike",
            "strikes",
            "attack",
            "deterrence",
            "troops",
            "weapons",
            "threat",
            "threats",
            "security",
            "escalation",
            "war",
            "armed",
            "missiles",
        ]
    ),
    "Health and safety": frozenset(
        ["casualties", "civilians", "health", "safety", "injured", "killed", "deaths", "wounded"]
    ),
    "Quality of life": frozenset(["lives", "livelihoods", "families", "hardship", "suffering", "everyday"]),
    "Cultural identity": frozenset(
        [
            "identity",
            "culture",
            "cultural",
            "tradition",
            "traditions",
            "heritage",
            "soviet",
            "values",
        ]
    ),
    "Public opinion": frozenset(["public", "opinion", "publics", "polls", "population", "societies", "popular"]),
    "Political": frozenset(
        [
            "political",
            "politically",
            "lawmaker",
            "lawmakers",
            "kremlin",
            "president",
            "election",
            "parliament",
            "duma",
            "leaders",
            "leadership",
            "narrative",
        ]
    ),
    "External regulation and reputation": frozenset(
        [
            "international",
            "alliance",
            "allies",
            "reputation",
            "relations",
            "global",
            "foreign",
            "bilateral",
        ]
    ),
}
OTHER_FRAME = "Other"

# The sides of the seed stories, recognised in a speaker's name, role or affiliation as the
# article states it (institutions, adjectives, and office holders the team lists by name).
ACTOR_SIDES = {
    "Russia": r"\b(Russian?|Moscow|Kremlin|Duma|TASS|Gerasimov|Putin|Lavrov|Zakharova|Peskov|Slutsky)\b",
    "NATO/West": r"\b(NATO|Western|West|American|European|EU|Brussels|British|alliance|Rutte|Dragone)\b|\bU\.S\.",
}


@cache
def vader_emotive(threshold: float = 2.0) -> frozenset[str]:
    """Words VADER rates at least `threshold` in absolute valence (strongly emotive)."""
    import importlib.util

    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or spec.origin is None:
        return frozenset()
    path = Path(spec.origin).parent / "vader_lexicon.txt"
    words = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            try:
                if abs(float(parts[1])) >= threshold:
                    words.add(parts[0].lower())
            except ValueError:
                continue
    return frozenset(words)
