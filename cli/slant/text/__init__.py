"""Plain text tools with no knowledge of slant's data: cleaning, sentences, tokens, quotes,
attribution verbs, questions, text addressed to a model, dates. One of each for the whole package;
word lists in text/wordlists/.
"""
