"""The eval harness: suites, metrics, runs, diffs (reached through `slant eval ...`)."""
