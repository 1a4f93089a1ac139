"""The writer's text depends on the prompt alone, not on what the process ran before.

On CPUs with AMX, an int8 reader run by onnxruntime on the thread that runs llama.cpp changed the
writer's greedy yes or no to the same meaning-check prompt afterwards (a made-up finding passed the
check in the full suite and failed it alone). slant runs onnxruntime on a thread of its own
(slant.llm.onnx_runs). Checked in a fresh process, so nothing the test session ran before counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import json
from slant.config.settings import Settings
from slant.llm.loaded import embedder_for, model_for
from slant.llm.model import generate
from slant.llm.prompts import render
from slant.readers.loaded import sentence_bias
from slant.readers.stance import read_stances

settings = Settings.load(llm="writer")
model = model_for(settings)
evidence = (
    "Harbour Gazette reports a statement that the Valen Courier leaves out: the ferry timetable, though not "
    "yet confirmed by the port, was shared with a handful of skippers at a closed briefing."
)
claims = [
    "Harbour Gazette reports a statement that the Valen Courier leaves out: a port official gave the "
    "timetable to skippers.",
    "The ferry timetable was shared with skippers at a closed briefing.",
]
prompts = [render("judge", claim=claim, evidence=evidence) for claim in claims]
before = [generate(model, prompt, settings).text for prompt in prompts]
read_stances([("the port", ["The port's reckless plan failed the skippers."])])
sentence_bias(["The port's reckless plan failed the skippers."])
embedder_for(settings).embed(["The ferry timetable was shared."])
after = [generate(model, prompt, settings).text for prompt in prompts]
print(json.dumps({"before": before, "after": after}))
"""


@pytest.mark.slow
def test_the_writer_says_the_same_after_the_readers_have_run(writer: None, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    texts = json.loads(done.stdout.strip().splitlines()[-1])
    assert texts["after"] == texts["before"]
