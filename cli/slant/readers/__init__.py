"""Readers trained on annotated news: small models shipped with slant (models/, one card each) that
read sentences and give probabilities: how loaded a sentence's own wording is (`loaded`), and the
writer's stance toward an actor (`stance`). Runtime needs only onnxruntime, numpy and tokenizers;
the models are rebuilt by evals/tools/train_*.py (see each card).
"""
