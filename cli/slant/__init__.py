"""slant: compare how news sources cover the same events, with evidence for every finding."""

__version__ = "0.1.0"
