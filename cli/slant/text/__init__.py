"""Plain text tools with no knowledge of slant's data: cleaning, sentences, tokens, quotes,
attribution, dates. One of each for the whole package.
"""
