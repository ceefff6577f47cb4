"""The benchmarks measure the real reference solution (timings themselves are never asserted)."""

import importlib.util

import nbformat
import pytest
import torch

from conftest import ROOT


def load_bench(name, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # as when the script runs: its folder comes first
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rnn_benchmark_times_the_solution_notebooks_scratch_rnn(monkeypatch):
    ScratchRNN = load_bench("rnn_speed", monkeypatch).load_scratch_rnn()
    reference = torch.nn.RNN(4, 3)
    scratch = ScratchRNN(4, 3)
    scratch.load_state_dict(reference.state_dict())
    x = torch.randn(6, 2, 4)
    assert torch.allclose(scratch(x)[0], reference(x)[0], atol=1e-6)


def test_recorded_rnn_table_is_the_one_the_chapter_includes(root):
    chapter = (root / "book" / "06-rnn-from-scratch.md").read_text()
    assert "{include} ../bench/rnn_speed.md" in chapter
    assert (root / "bench" / "rnn_speed.md").read_text().startswith("| T, B, I, H |")


def test_grading_benchmark_splits_time_into_per_notebook_and_per_run_costs(monkeypatch):
    bench = load_bench("grading_speed", monkeypatch)
    split_cost, runs = bench.split_cost, len(bench.ASSIGNMENTS)
    assert split_cost({2: 2 * runs * 1.5 + runs * 6.0, 8: 8 * runs * 1.5 + runs * 6.0}) == pytest.approx((1.5, 6.0))


def test_recorded_grading_table_is_the_one_the_instructor_page_includes(root):
    assert "{include} ../bench/grading_speed.md" in (root / "book" / "instructors.md").read_text()
    assert "| grading | s per notebook |" in (root / "bench" / "grading_speed.md").read_text()


def test_notebook_runs_reads_a_cells_time_from_nbclients_timestamps(monkeypatch):
    seconds = load_bench("notebook_runs", monkeypatch).seconds
    timing = {"iopub.execute_input": "2026-12-03T06:00:01.25Z", "shell.execute_reply": "2026-12-03T06:00:03.75Z"}
    assert seconds(nbformat.v4.new_code_cell(metadata={"execution": timing})) == pytest.approx(2.5)
    assert seconds(nbformat.v4.new_code_cell()) == 0.0


def test_recorded_notebook_runs_table_is_the_one_exercise_4_includes(root):
    assert "{include} ../../bench/notebook_runs.md" in (root / "book" / "exercises" / "04_char_model.md").read_text()
    table = (root / "bench" / "notebook_runs.md").read_text().splitlines()
    rows = [line.split("|")[1].strip() for line in table[2:] if line.startswith("| ")]
    assert "04_char_model" in rows
