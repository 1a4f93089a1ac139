"""The eval harness end to end with the real default model: run, diff against the committed
baseline, a deliberately degraded prompt, selfcheck, rescore, bless, JUnit, unmeasured counting
and one-line errors for bad suite files.
"""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slant.cli.app import app
from slant.evals.metrics import exact_match, rouge1, rouge_l, token_f1, token_recall

REPO = Path(__file__).resolve().parents[1]
SMOKE = REPO / "evals" / "suites" / "smoke.yaml"
BASELINE = REPO / "evals" / "baseline" / "smoke"
runner = CliRunner()


def slant(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_smoke(runs: Path, *extra: str) -> Path:
    code, out, err = slant("eval", "run", str(SMOKE), "--runs-dir", str(runs), *extra)
    assert code == 0, out + err
    (folder,) = [p for p in runs.iterdir() if p.is_dir()]
    return folder


def results(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "results.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of the smoke suite for the tests that only read it (same workspace as conftest)."""
    folder = tmp_path_factory.mktemp("shared")
    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in os.environ if n.startswith("SLANT_")]:
            env.delenv(name)
        env.setenv("SLANT_CACHE_DIR", os.environ.get("SLANT_TEST_CACHE", "/tmp/slant-test-cache"))  # as conftest
        env.setenv("SLANT_LLM", "fast")  # as conftest
        env.chdir(folder)
        return run_smoke(folder / "runs")


@pytest.fixture
def smoke_run(shared_run: Path, tmp_path: Path) -> Path:
    """A private copy of the shared run (tests may rewrite it)."""
    return Path(shutil.copytree(shared_run, tmp_path / "run"))


@pytest.mark.slow
def test_run_writes_a_complete_run_folder_that_matches_the_baseline(smoke_run: Path) -> None:
    from slant.config.settings import Settings
    from slant.llm.files import resolve_llm

    manifest = json.loads((smoke_run / "manifest.json").read_text())
    assert manifest["model"]["sha256"] == resolve_llm(Settings.load()).sha256
    assert manifest["suite"] == {**manifest["suite"], "id": "smoke", "version": 1}
    assert {p["id"] for p in manifest["prompts"]} >= {"ask", "summarize"}
    assert manifest["embedder"].startswith("minilm-onnx:")
    assert manifest["seed"] == 0
    assert manifest["git"]["revision"]
    cases = results(smoke_run)
    assert [c["task"] for c in cases] == ["ask", "ask", "ask", "summarize", "compare"]
    for case in cases:
        assert case["error"] is None
        assert case["output"] is not None
        assert "timings" not in json.dumps(case["output"])  # wall-clock kept apart from outputs
    report = (smoke_run / "report.md").read_text()
    assert "| ask/dragone-critic | ask | answer_recall |" in report
    code, out, _ = slant("eval", "diff", str(BASELINE), str(smoke_run))
    assert code == 0, out
    assert "no gated regression" in out


@pytest.mark.slow
def test_unchanged_rerun_is_served_from_the_cache(smoke_run: Path, tmp_path: Path) -> None:
    again = run_smoke(tmp_path / "again")
    cache = json.loads((again / "manifest.json").read_text())["cache"]
    assert cache["enabled"]
    assert cache["misses"] == 0
    assert cache["hits"] > 0
    assert [c["output"] for c in results(again)] == [c["output"] for c in results(smoke_run)]


@pytest.mark.slow
def test_a_degraded_ask_prompt_fails_the_diff(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(REPO / "prompts", prompts)
    ask = yaml.safe_load((prompts / "ask.yaml").read_text())
    ask["template"] = "Write a short poem about the sea.{# {{ passages }} {{ question }} #}\n"
    (prompts / "ask.yaml").write_text(yaml.safe_dump(ask, sort_keys=False))
    degraded = run_smoke(tmp_path / "runs", "--prompts-dir", str(prompts))
    manifest = json.loads((degraded / "manifest.json").read_text())
    assert manifest["prompts_dir"] == str(prompts)
    code, out, _ = slant("eval", "diff", str(BASELINE), str(degraded))
    assert code == 1, out
    assert "regression: ask/dragone-critic proposal_recall 1.0 → 0.0 GATED" in out


@pytest.mark.slow
def test_selfcheck_runs_twice_and_finds_identical_outputs(tmp_path: Path) -> None:
    suite = yaml.safe_load(SMOKE.read_text())
    suite["annotations"] = str(REPO / "evals" / "annotations" / "seeds.yaml")
    suite["cases"] = [suite["cases"][0], suite["cases"][3]]  # one answer, one summary
    (tmp_path / "two.yaml").write_text(yaml.safe_dump(suite))
    code, out, err = slant("eval", "selfcheck", str(tmp_path / "two.yaml"), "--runs-dir", str(tmp_path / "runs"))
    assert code == 0, out + err
    assert "Deterministic: 2 cases" in out
    first, second = sorted((tmp_path / "runs").iterdir())
    for folder in (first, second):
        assert json.loads((folder / "manifest.json").read_text())["cache"]["hits"] == 0


@pytest.mark.slow
def test_rescore_uses_the_current_suite_without_the_model(smoke_run: Path, tmp_path: Path) -> None:
    suite = yaml.safe_load(SMOKE.read_text())
    suite["annotations"] = str(REPO / "evals" / "annotations" / "seeds.yaml")
    suite["cases"][4]["checks"].append({"metric": "omission_recall", "threshold": 0.9})
    stricter = tmp_path / "stricter.yaml"
    stricter.write_text(yaml.safe_dump(suite))
    junit = tmp_path / "junit.xml"
    # No model can be loaded: rescoring must not need one.
    code, out, err = slant(
        "--model",
        str(tmp_path / "missing.gguf"),
        "eval",
        "rescore",
        str(smoke_run),
        "--suite",
        str(stricter),
        "--junit",
        str(junit),
    )
    assert code == 0, out + err
    compare = results(smoke_run)[4]
    added = compare["checks"][-1]
    assert added["metric"] == "omission_recall"
    assert added["passed"] is False
    tree = ET.parse(junit).getroot()
    assert tree.tag == "testsuite"
    assert tree.get("tests") == "5"
    assert [c.get("name") for c in tree.iter("testcase")][-1] == "compare/preemptive-strike"
    assert tree.get("failures") == "0"  # the added check does not gate


@pytest.mark.slow
def test_stance_accuracy_scores_the_predicted_stances_and_never_credits_unclear(smoke_run: Path) -> None:
    def rescored_stance(stances: dict[tuple[int, str], str]) -> dict:
        lines = results(smoke_run)
        comparison = lines[4]["output"]["comparison"]
        ids = [p["doc_id"] for p in comparison["profiles"]]  # seed-002, seed-004 (the contrast's order)
        comparison["stances"] = [
            {"doc_id": ids[article], "actor": actor, "stance": label} for (article, actor), label in stances.items()
        ]
        (smoke_run / "results.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
        assert slant("eval", "rescore", str(smoke_run))[0] == 0
        return next(c for c in results(smoke_run)[4]["checks"] if c["metric"] == "stance_accuracy")

    measured = next(c for c in results(smoke_run)[4]["checks"] if c["metric"] == "stance_accuracy")
    assert measured["value"] is not None  # the real run predicts stances: measured, not skipped
    assert measured["note"].endswith("of 8")  # every annotated target: sides and people alike
    # Annotated: seed-002 critical of NATO and Dragone, favourable to Russia and Zakharova; seed-004 neutral.
    dragone, zakharova = "Giuseppe Cavo Dragone", "Maria Zakharova"
    gold = {(0, "NATO"): "critical", (0, "Russia"): "favourable", (0, dragone): "critical"}
    gold |= {(0, zakharova): "favourable", (1, "NATO"): "neutral", (1, dragone): "neutral", (1, zakharova): "neutral"}
    perfect = rescored_stance({**gold, (1, "Russia"): "neutral"})
    assert (perfect["value"], perfect["note"]) == (1.0, "8 right, 0 wrong, 0 unclear or not a main actor, of 8")
    abstaining = rescored_stance({**gold, (1, "Russia"): "unclear"})
    assert (abstaining["value"], abstaining["note"][:33]) == (0.875, "7 right, 0 wrong, 1 unclear or no")
    missing = rescored_stance(gold)  # no stance at all for one annotated actor
    assert missing["value"] == 0.875
    wrong = rescored_stance({**gold, (1, "Russia"): "critical"})
    assert (wrong["value"], wrong["note"][:33]) == (0.875, "7 right, 1 wrong, 0 unclear or no")


@pytest.mark.slow
def test_errors_are_counted_as_unmeasured_and_fail_the_diff(smoke_run: Path, tmp_path: Path) -> None:
    lines = results(smoke_run)
    lines[0]["output"], lines[0]["error"] = None, "BackendError: the model server went away"
    (smoke_run / "results.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    code, out, err = slant("eval", "rescore", str(smoke_run), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["errored"] == 1
    assert summary["gated_unmeasured"] == 4
    by_metric = {m["metric"]: m for m in summary["metrics"]}
    assert by_metric["answer_recall"] == {"metric": "answer_recall", "mean": 1.0, "measured": 1, "unmeasured": 1}
    assert by_metric["token_f1"]["measured"] == 0
    assert by_metric["token_f1"]["mean"] is None
    code, out, _ = slant("eval", "rescore", str(smoke_run), "--strict")
    assert code == 1
    code, out, _ = slant("eval", "diff", str(BASELINE), str(smoke_run))
    assert code == 1
    assert "ask/dragone-critic answer_recall 1.0 → None GATED" in out


@pytest.mark.slow
def test_bless_copies_the_run_as_the_suite_baseline(smoke_run: Path, tmp_path: Path) -> None:
    code, _out, err = slant("eval", "bless", str(smoke_run), "--baseline-dir", str(tmp_path / "baseline"))
    assert code == 0, err
    blessed = tmp_path / "baseline" / "smoke"
    assert sorted(p.name for p in blessed.iterdir()) == ["manifest.json", "report.md", "results.jsonl", "summary.json"]
    assert slant("eval", "diff", str(blessed), str(smoke_run))[0] == 0


def test_runs_of_different_suites_cannot_be_compared() -> None:
    code, _, err = slant("eval", "diff", str(REPO / "evals" / "baseline" / "seed"), str(BASELINE))
    assert code == 2
    assert "Runs of different suites: seed v2 vs smoke v1" in err


def test_a_bad_suite_file_is_one_line_naming_file_and_field(tmp_path: Path) -> None:
    suite = yaml.safe_load(SMOKE.read_text())
    suite["annotations"] = str(REPO / "evals" / "annotations" / "seeds.yaml")
    suite["cases"][3]["checks"][1]["metric"] = "rouge2"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(suite))
    code, out, err = slant("eval", "run", str(bad))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f"{bad}: cases[3].checks[1].metric: 'rouge2' is not a summarize metric" in err
    del suite["cases"][0]["task"]
    bad.write_text(yaml.safe_dump(suite))
    err = slant("eval", "run", str(bad))[2]
    assert f"{bad}: cases[0].task: Field required" in err


def test_a_span_that_does_not_match_the_cleaned_text_is_refused(tmp_path: Path) -> None:
    annotations = yaml.safe_load((REPO / "evals" / "annotations" / "seeds.yaml").read_text())
    for article in annotations["articles"]:
        article["path"] = str(REPO / "evals" / "annotations" / article["path"])
    annotations["articles"][4]["loaded_terms"][1]["start"] += 1
    (tmp_path / "seeds.yaml").write_text(yaml.safe_dump(annotations, allow_unicode=True))
    suite = yaml.safe_load(SMOKE.read_text())
    suite["annotations"] = "seeds.yaml"
    (tmp_path / "suite.yaml").write_text(yaml.safe_dump(suite))
    code, _, err = slant("eval", "run", str(tmp_path / "suite.yaml"))
    assert code == 2
    assert "seeds.yaml: articles[4].loaded_terms[1]: span 100:111 does not hold 'sharp rebuke'" in err
    assert "the text occurs at 99:111" in err


@pytest.mark.slow
def test_the_judge_needs_a_second_model_file(tmp_path: Path) -> None:
    from slant.config.settings import Settings
    from slant.llm.files import resolve_llm

    missing = tmp_path / "judge.gguf"
    code, _, err = slant("eval", "run", str(SMOKE), "--judge-model", str(missing), "--judge-sha256", "0" * 64)
    assert code == 3
    assert f"The model {missing} does not exist" in err
    default = resolve_llm(Settings.load())
    code, _, err = slant(
        "eval", "run", str(SMOKE), "--judge-model", str(default.path), "--judge-sha256", default.sha256
    )
    assert code == 2
    assert "is the model under test" in err


def test_metrics_on_known_values() -> None:
    assert exact_match("The Collective West.", ["collective West"]) == 1.0
    assert token_f1("the collective West is a threat", ["collective West"]) == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert token_recall("It reaffirmed 5% of GDP by 2035", ["5% of GDP by 2035", "five percent"]) == 1.0
    assert rouge1("p q r s", "p q u v") == pytest.approx(0.5)
    assert rouge_l("p q r s", "p r q s") == pytest.approx(0.75)  # LCS 3 of 4 both ways
    assert rouge_l("", "p") == 0.0


@pytest.mark.slow
def test_the_judge_answers_in_json_under_the_schema_grammar() -> None:
    # The CLI refuses the model under test as its own judge; the JSON-constrained call itself is
    # exercised here with the only local model there is.
    from slant.config.settings import Settings
    from slant.evals.judge import judge
    from slant.llm.loaded import model_for

    settings = Settings.load()
    evidence = "The grain cooperative of Lindmark reported a harvest of 41,000 tonnes this season."
    verdict = judge(model_for(settings), [("The harvest was 41,000 tonnes.", evidence)] * 2, settings)
    assert verdict["verdicts"][0] in (True, False)  # valid JSON with a boolean, whatever the model thinks
    assert verdict["verdicts"][0] == verdict["verdicts"][1]  # deterministic
    assert verdict["score"] in (0.0, 1.0)
