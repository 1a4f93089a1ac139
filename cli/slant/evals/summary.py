"""The numbers of an eval run: per-metric means over measured values, and the gated checks."""

from __future__ import annotations

from pydantic import BaseModel

from slant.evals.metrics import METRICS
from slant.evals.runner import CaseResult


class MetricSummary(BaseModel):
    """One metric over the cases that use it: mean of measured values, and how many were not."""

    metric: str
    mean: float | None
    measured: int
    unmeasured: int


class Summary(BaseModel):
    """The numbers of a run."""

    cases: int
    errored: int
    gated_passed: int
    gated_failed: int
    gated_unmeasured: int
    metrics: list[MetricSummary]

    @property
    def ok(self) -> bool:
        """Every gated check measured and passed."""
        return self.gated_failed == 0 and self.gated_unmeasured == 0


def summarise(results: list[CaseResult]) -> Summary:
    """Means per metric over measured values only; unmeasured ones are counted, not scored."""
    values: dict[str, list[float]] = {}
    missing: dict[str, int] = {}
    gated = [c for r in results for c in r.checks if c.gate]
    for check in (c for r in results for c in r.checks):
        values.setdefault(check.metric, [])
        missing.setdefault(check.metric, 0)
        if check.value is None:
            missing[check.metric] += 1
        else:
            values[check.metric].append(check.value)
    metrics = [
        MetricSummary(
            metric=name,
            mean=round(sum(values[name]) / len(values[name]), 4) if values[name] else None,
            measured=len(values[name]),
            unmeasured=missing[name],
        )
        for name in METRICS
        if name in values
    ]
    return Summary(
        cases=len(results),
        errored=sum(1 for r in results if r.error),
        gated_passed=sum(1 for c in gated if c.passed),
        gated_failed=sum(1 for c in gated if c.passed is False),
        gated_unmeasured=sum(1 for c in gated if c.value is None),
        metrics=metrics,
    )
