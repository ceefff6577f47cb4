"""Shape tables the book generates by running ``torch.nn.RNN`` for real."""

from __future__ import annotations

from itertools import product

import torch

#: The sizes the measured shape table uses, all different (also from 2 directions and from 2 * HIDDEN),
#: so that every number in a shape names one thing.
BATCH, SEQ, INPUT, HIDDEN = 3, 5, 6, 7
LAYERS = (1, 2)


def measure_shapes(num_layers: int, bidirectional: bool, batch_first: bool) -> dict[str, tuple]:
    """Run one ``nn.RNN`` on zeros and return the shapes of x, h_0, output and h_n."""
    rnn = torch.nn.RNN(INPUT, HIDDEN, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    x = torch.zeros((BATCH, SEQ, INPUT) if batch_first else (SEQ, BATCH, INPUT))
    directions = 2 if bidirectional else 1
    h0 = torch.zeros(num_layers * directions, BATCH, HIDDEN)
    with torch.no_grad():
        output, h_n = rnn(x, h0)
    return {"input": tuple(x.shape), "h_0": tuple(h0.shape), "output": tuple(output.shape), "h_n": tuple(h_n.shape)}


def shape_table_markdown() -> str:
    """A Markdown table of measured shapes for every layers/direction/layout combination."""
    lines = [
        "| num_layers | bidirectional | batch_first | input | h_0 | output | h_n |",
        "|---|---|---|---|---|---|---|",
    ]
    for num_layers, bidirectional, batch_first in product(LAYERS, (False, True), (False, True)):
        s = measure_shapes(num_layers, bidirectional, batch_first)
        lines.append(
            f"| {num_layers} | {bidirectional} | {batch_first} | "
            f"`{s['input']}` | `{s['h_0']}` | `{s['output']}` | `{s['h_n']}` |"
        )
    return "\n".join(lines)
