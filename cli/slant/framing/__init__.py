"""Framing analysis: actors, voices and who they are, loaded language and neutrality, frames, genre,
claims across articles, stance, sentence salience and the narrative of the differences.
Deterministic signals; the model only proposes, through verify.
"""
