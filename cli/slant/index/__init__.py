"""The index: Chroma store, chunks, ingest, the keyword index, retrieval and maintenance."""
