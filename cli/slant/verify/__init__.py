"""Evidence checks for generated text: every sentence tied to a source span; numbers with their
units, names, quotations and their speakers found in the cited source; no negation flipped.
"""
