"""Human and CI views of a run: a Markdown report and a JUnit XML file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from slant.evals.metrics import METRICS
from slant.evals.runner import CaseResult
from slant.evals.summary import Summary


def _value(value: float | None) -> str:
    return "unmeasured" if value is None else f"{value:.3f}"


def markdown_report(manifest: dict[str, Any], summary: Summary, results: list[CaseResult]) -> str:
    """The report.md of a run."""
    suite = manifest["suite"]
    git = manifest["git"]
    lines = [
        f"# Eval run: suite {suite['id']} v{suite['version']}",
        "",
        f"- model: `{manifest['model']['file']}` sha256 `{manifest['model']['sha256'][:16]}…`",
        f"- embedder: `{manifest['embedder']}`",
        "- prompts: " + ", ".join(f"`{p['id']}@{p['version']}` ({p['sha256'][:12]})" for p in manifest["prompts"]),
        f"- seed {manifest['seed']}, temperature {manifest['settings']['temperature']}, k {manifest['settings']['k']}",
        f"- git {str(git['revision'])[:12]}{' (uncommitted changes)' if git['dirty'] else ''}, "
        f"created {manifest['created']}",
        f"- cases {summary.cases}, errored {summary.errored}; gated checks: {summary.gated_passed} passed, "
        f"{summary.gated_failed} failed, {summary.gated_unmeasured} unmeasured",
        "",
        "## Metrics (means over measured values; unmeasured are counted, never scored)",
        "",
        "| metric | mean | measured | unmeasured | better | meaning |",
        "|---|---:|---:|---:|---|---|",
    ]
    for metric in summary.metrics:
        info = METRICS[metric.metric]
        better = "higher" if info.higher_is_better else "lower"
        lines.append(
            f"| {metric.metric} | {_value(metric.mean)} | {metric.measured} | {metric.unmeasured} "
            f"| {better} | {info.description} |"
        )
    lines += ["", "## Cases", "", "| case | task | check | value | threshold | gate | result | note |"]
    lines.append("|---|---|---|---:|---:|---|---|---|")
    for result in results:
        for check in result.checks:
            outcome = {True: "pass", False: "FAIL", None: "—"}[check.passed]
            if check.value is None:
                outcome = "unmeasured"
            note = (result.error or check.note).replace("|", "/").replace("\n", " ")[:120]
            threshold = "" if check.threshold is None else f"{check.threshold:g}"
            lines.append(
                f"| {result.id} | {result.task} | {check.metric} | {_value(check.value)} | {threshold} "
                f"| {'yes' if check.gate else ''} | {outcome} | {note} |"
            )
    return "\n".join(lines) + "\n"


def write_junit(path: Path, suite: str, results: list[CaseResult]) -> None:
    """One testcase per case: a gated check below threshold is a failure, unmeasured an error."""
    failures = errors = 0
    root = ET.Element("testsuite", name=f"slant-eval-{suite}")
    for result in results:
        case = ET.SubElement(root, "testcase", classname=f"{suite}.{result.task}", name=result.id)
        gated = [c for c in result.checks if c.gate]
        unmeasured = [c for c in gated if c.value is None]
        failed = [c for c in gated if c.passed is False]
        if result.error or unmeasured:
            errors += 1
            message = result.error or ", ".join(f"{c.metric} unmeasured: {c.note}" for c in unmeasured)
            ET.SubElement(case, "error", message=message)
        elif failed:
            failures += 1
            message = ", ".join(f"{c.metric} {c.value} (threshold {c.threshold})" for c in failed)
            ET.SubElement(case, "failure", message=message)
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"{c.metric} = {_value(c.value)}" for c in result.checks)
    root.set("tests", str(len(results)))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
