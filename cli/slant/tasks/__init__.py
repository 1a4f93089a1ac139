"""The public Python API and the operations the command line runs: ask, summarize, compare, batch
runs, doctor. Built on framing, verify, index and llm.
"""
