"""slant: compare how news sources cover the same events, with evidence for every finding.

`slant.Index` is the public Python API (see `slant.api`); it is imported when first used, so
`import slant` and `slant --help` stay light.
"""

import os
from typing import Any

__version__ = "0.1.0"

# slant sends nothing over the network on its own. Two libraries it loads would: onnxruntime
# (1.29 and later upload usage events from Linux too, resolving their collector's host name within
# seconds) and chromadb (anonymised usage telemetry). Both read these switches when they start, so
# they are set here, before either can be imported through slant.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"


def __getattr__(name: str) -> Any:
    if name == "Index":
        from slant.api import Index

        return Index
    raise AttributeError(f"module 'slant' has no attribute {name!r}")
