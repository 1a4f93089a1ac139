"""Models: the language-model protocol and its backends (llama.cpp, OpenAI-compatible servers),
the embedder, model files, prompts and provenance.
"""
