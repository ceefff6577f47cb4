"""The benchmarks measure the real reference solution (timings themselves are never asserted)."""

import importlib.util

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
