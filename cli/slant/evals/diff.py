"""Compare two runs of the same suite: per-metric deltas, and per case the checks that got
worse (regressions) or better (fixes). A gated check that falls by more than its tolerance, or
stops being measured, fails the diff.
"""

from __future__ import annotations

from pydantic import BaseModel

from slant.config.errors import InputError
from slant.evals.metrics import METRICS
from slant.evals.runs import StoredRun
from slant.evals.summary import summarise


class MetricDelta(BaseModel):
    """A metric's mean in both runs."""

    metric: str
    before: float | None
    after: float | None
    delta: float | None


class CheckChange(BaseModel):
    """One check of one case that changed."""

    case: str
    metric: str
    before: float | None
    after: float | None
    gate: bool
    tolerance: float
    kind: str  # "regression" | "fix"
    beyond_tolerance: bool


class RunDiff(BaseModel):
    """The whole comparison."""

    before: str
    after: str
    metrics: list[MetricDelta]
    changes: list[CheckChange]
    missing_cases: list[str]

    @property
    def gated_regressions(self) -> list[CheckChange]:
        """Regressions that fail the diff."""
        return [c for c in self.changes if c.kind == "regression" and c.gate and c.beyond_tolerance]


class IncomparableRunsError(InputError):
    """The two runs are of different suites (or versions): exit 2."""


def diff_runs(before: StoredRun, after: StoredRun) -> RunDiff:
    """Per-metric deltas and per-case regressions and fixes, from `before` to `after`."""
    a, b = before.manifest["suite"], after.manifest["suite"]
    if (a["id"], a["version"]) != (b["id"], b["version"]):
        raise IncomparableRunsError(
            f"Runs of different suites: {a['id']} v{a['version']} vs {b['id']} v{b['version']}",
            "compare runs of the same suite and version",
        )
    after_cases = {r.id: r for r in after.results}
    common = [r for r in before.results if r.id in after_cases]
    if not common:
        raise IncomparableRunsError("The runs have no case in common", "compare runs of the same suite")
    changes = []
    for old in common:
        new_checks = {c.metric: c for c in after_cases[old.id].checks}
        for check in old.checks:
            new = new_checks.get(check.metric)
            after_value = new.value if new else None
            change = _change(old.id, check.metric, check.value, after_value, check.gate, check.tolerance)
            if change is not None:
                changes.append(change)
    before_summary = {m.metric: m.mean for m in summarise(common).metrics}
    after_summary = {m.metric: m.mean for m in summarise([after_cases[r.id] for r in common]).metrics}
    metrics = [
        MetricDelta(
            metric=name,
            before=before_summary.get(name),
            after=after_summary.get(name),
            delta=_delta(before_summary.get(name), after_summary.get(name)),
        )
        for name in METRICS
        if name in before_summary or name in after_summary
    ]
    missing = [r.id for r in before.results if r.id not in after_cases]
    return RunDiff(
        before=str(before.folder),
        after=str(after.folder),
        metrics=metrics,
        changes=changes,
        missing_cases=missing,
    )


def _delta(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 4)


def _change(
    case: str, metric: str, before: float | None, after: float | None, gate: bool, tolerance: float
) -> CheckChange | None:
    if before == after:
        return None
    if after is None:  # measured before, unmeasured now: always a regression
        kind, beyond = "regression", True
    elif before is None:
        kind, beyond = "fix", False
    else:
        gain = (after - before) if METRICS[metric].higher_is_better else (before - after)
        kind = "fix" if gain > 0 else "regression"
        beyond = -gain > tolerance + 1e-9
    return CheckChange(
        case=case,
        metric=metric,
        before=before,
        after=after,
        gate=gate,
        tolerance=tolerance,
        kind=kind,
        beyond_tolerance=beyond,
    )
