"""The layout is the architecture: the import contract (pyproject's [tool.importlinter], also run
by `make lint`), no import cycles between modules, and a command line that imports nothing heavy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]


def test_the_layer_contract_holds() -> None:
    result = subprocess.run([str(BIN / "lint-imports")], capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def cycle_from(graph: grimp.ImportGraph, start: str) -> list[str] | None:
    """A shortest import cycle through `start`, if there is one."""
    for imported in graph.find_modules_directly_imported_by(start):
        chain = graph.find_shortest_chain(importer=imported, imported=start)
        if chain is not None:
            return [start, *chain]
    return None


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("slant")
    cycles = [cycle for module in sorted(graph.modules) if (cycle := cycle_from(graph, module))]
    assert cycles == []


def test_a_cycle_would_be_found() -> None:
    """The check above can fail: the same search finds a cycle once one is added."""
    graph = grimp.build_graph("slant")
    graph.add_import(importer="slant.text.sentences", imported="slant.tasks.ask")
    assert cycle_from(graph, "slant.text.sentences") is not None


def test_help_imports_no_heavy_or_optional_module() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from slant.cli.app import app\n"
        "assert 'Commands' in CliRunner().invoke(app, ['--help']).stdout\n"
        "heavy = ('chromadb', 'llama_cpp', 'langchain', 'langchain_core', 'onnxruntime', 'numpy', 'tokenizers',\n"
        "         'pydantic_settings', 'jinja2', 'yaml', 'httpx', 'vaderSentiment', 'selectolax', 'slant.tasks',\n"
        "         'slant.index', 'slant.llm', 'slant.framing', 'slant.evals')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
