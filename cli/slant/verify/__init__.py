"""Evidence checks for generated text: every sentence tied to a source span, numbers, names and
quotations found in the cited source.
"""
