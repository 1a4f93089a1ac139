"""The one definition of a name's word for the checks that compare texts word by word (the verifier,
questions and answers): a capital letter and at least one more letter, digit, apostrophe or hyphen
("Obama’s", "Al-Jazeera", "G20"). The actors of an article are found by the reading
(slant.reading.actors), which knows particles and joiners ("Bank of America").
"""

from __future__ import annotations

NAME_WORD = r"[A-Z][\w’'-]+"
