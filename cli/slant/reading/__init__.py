"""Reading an article once: the NLP pipeline (spaCy plus slant's quotation, actor and attribution
components) and the `Reading` every analysis asks instead of re-parsing the text.
"""
