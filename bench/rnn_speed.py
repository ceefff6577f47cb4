"""From-scratch RNN (the reference solution of exercise 2) against torch.nn.RNN on the CPU.

Run: .venv/bin/python bench/rnn_speed.py  (writes bench/rnn_speed.md and prints it)
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils import benchmark

from rnncourse.assignments import Assignment
from tables import record

SIZES = [(50, 32, 64, 128), (200, 64, 128, 256)]  # (T, B, I, H)
SCRATCH = Assignment(Path(__file__).resolve().parents[1], "02_rnn_from_scratch")


def load_scratch_rnn():
    """The ScratchRNN class exactly as the solution notebook defines it."""
    namespace = {}
    exec("import math\nimport torch\nfrom torch import nn\n", namespace)
    exec(SCRATCH.reference_answers()["ScratchRNN"], namespace)
    return namespace["ScratchRNN"]


def measure(label, model, x, backward):
    def step():
        output, h_n = model(x)
        if backward:
            (output.sum() + h_n.sum()).backward()

    return (
        benchmark.Timer(stmt="step()", globals={"step": step}, label=label, num_threads=torch.get_num_threads())
        .blocked_autorange(min_run_time=2)
        .median
    )


def main():
    torch.manual_seed(0)
    ScratchRNN = load_scratch_rnn()
    rows = ["| T, B, I, H | pass | nn.RNN (ms) | ScratchRNN (ms) | ratio |", "|---|---|---|---|---|"]
    for T, B, I, H in SIZES:
        reference = torch.nn.RNN(I, H)
        scratch = ScratchRNN(I, H)
        scratch.load_state_dict(reference.state_dict())
        x = torch.randn(T, B, I)
        for backward in (False, True):
            ref = measure("nn.RNN", reference, x, backward)
            mine = measure("ScratchRNN", scratch, x, backward)
            rows.append(
                f"| {T}, {B}, {I}, {H} | {'forward+backward' if backward else 'forward'} | "
                f"{ref * 1e3:.2f} | {mine * 1e3:.2f} | {mine / ref:.2f}x |"
            )
    rows.append(f"\nMedians of `torch.utils.benchmark`, {torch.get_num_threads()} torch threads.")
    record(__file__, "\n".join(rows))


if __name__ == "__main__":
    main()
