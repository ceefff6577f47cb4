"""Diagrams and plots the book's chapters draw with matplotlib.

Each function returns a closed :class:`matplotlib.figure.Figure`, so a notebook
cell that ends with the call shows the figure exactly once. Colours keep one meaning
in every figure: red for inputs, green for hidden states, blue for outputs.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

INPUT_COLOR = "#f4b6b6"
HIDDEN_COLOR = "#b9e3b0"
OUTPUT_COLOR = "#b3cde8"
EDGE_COLOR = "#333333"
# Darker shades of the same three colours, for lines on white.
INPUT_LINE = "#c0392b"
LEGEND = "red: inputs    green: hidden states    blue: outputs"
# Lines that are none of the three (losses, gradient norms) use colours outside that scheme.
OTHER_LINES = ["#222222", "#e08214", "#7b3294", "#8c510a"]


def _box(ax, x, y, text, color, size=0.7):
    """Draw a rounded box centred on (x, y) with a label."""
    ax.add_patch(
        FancyBboxPatch(
            (x - size / 2, y - size / 2),
            size,
            size,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=color,
            edgecolor=EDGE_COLOR,
            linewidth=1.2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax, start, end, style="-|>", **kwargs):
    ax.add_patch(
        FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=EDGE_COLOR, linewidth=1.2, **kwargs)
    )


def _new_figure(figsize) -> Figure:
    """A figure that pyplot no longer tracks: it is shown only when returned to the notebook."""
    fig = plt.figure(figsize=figsize)
    plt.close(fig)
    return fig


def _blank_axes(ax, xlim, ylim):
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")


def draw_one_hot_word(word: str, vocab: dict[str, int]) -> Figure:
    """Show ``word`` as a (len(word), len(vocab)) grid of one-hot rows."""
    fig = _new_figure((1.2 + 0.6 * len(vocab), 0.6 + 0.5 * len(word)))
    ax = fig.add_subplot()
    grid = [[1.0 if vocab[ch] == j else 0.0 for j in range(len(vocab))] for ch in word]
    ax.imshow(grid, cmap="Greens", vmin=0, vmax=1.4)
    for t, row in enumerate(grid):
        for j, value in enumerate(row):
            ax.text(j, t, f"{value:.0f}", ha="center", va="center", fontsize=11)
    ax.set_xticks(range(len(vocab)), sorted(vocab, key=vocab.get))
    ax.set_yticks(range(len(word)), [f"t={t}  {ch}" for t, ch in enumerate(word, start=1)])
    ax.xaxis.tick_top()
    ax.set_xlabel("vocabulary index (input_size)")
    ax.xaxis.set_label_position("top")
    fig.tight_layout()
    return fig


def draw_unrolled_rnn(inputs: str = "hell") -> Figure:
    """Draw the folded RNN cell next to its unrolled form over ``inputs``.

    Notation as in PyTorch: h_0 is the initial state, x_1 ... x_T the inputs.
    """
    steps = len(inputs)
    first = 3.0  # where the unrolled cells start
    right = first + 1.5 * (steps - 1) + 0.6
    fig = _new_figure((2.4 + 1.5 * steps, 3.6))
    ax = fig.add_subplot()
    _blank_axes(ax, (-0.9, right), (-1.9, 1.9))

    # Folded: one cell A whose state loops back into it.
    _box(ax, 0, 0, "A", HIDDEN_COLOR)
    _box(ax, 0, -1.2, "$x_t$", INPUT_COLOR, size=0.55)
    _box(ax, 0, 1.3, "$h_t$", HIDDEN_COLOR, size=0.55)
    _arrow(ax, (0, -0.92), (0, -0.36))
    _arrow(ax, (0, 0.36), (0, 1.02))
    _arrow(ax, (0.36, 0.15), (0.36, -0.15), connectionstyle="arc,angleA=0,angleB=0,armA=28,armB=28,rad=8")
    ax.text(0.62, 0.32, "$h_{t-1}$", ha="center", va="bottom", fontsize=9)  # above the loop, clear of it
    ax.text(1.55, 0, "=", ha="center", va="center", fontsize=20)

    # Unrolled: h_0, then the same cell A at every time step.
    _box(ax, first - 1.0, 0, "$h_0$", HIDDEN_COLOR, size=0.55)
    for t, ch in enumerate(inputs, start=1):
        x = first + 1.5 * (t - 1)
        _box(ax, x, 0, "A", HIDDEN_COLOR)
        _box(ax, x, -1.2, f"$x_{t}$\n{ch}", INPUT_COLOR, size=0.55)
        _box(ax, x, 1.3, f"$h_{t}$", HIDDEN_COLOR, size=0.55)
        _arrow(ax, (x, -0.92), (x, -0.36))
        _arrow(ax, (x, 0.36), (x, 1.02))
        previous_edge = first - 0.72 if t == 1 else x - 1.14
        _arrow(ax, (previous_edge, 0), (x - 0.36, 0))
        if t > 1:
            ax.text(x - 0.75, 0.12, f"$h_{t - 1}$", ha="center", fontsize=9)
    ax.text((right - 0.9) / 2, -1.8, "red: inputs    green: the cell and its hidden states", ha="center", fontsize=10)
    fig.tight_layout()
    return fig


USAGES = {
    # name: (steps with an input, steps with an output, total steps, steps fed the previous output)
    "one-to-one": ((0,), (0,), 1, ()),
    "one-to-many": ((0,), (0, 1, 2), 3, (1, 2)),
    "many-to-one": ((0, 1, 2), (2,), 3, ()),
    "many-to-many\n(delayed)": ((0, 1, 2), (3, 4), 5, (4,)),
    "many-to-many\n(synchronous)": ((0, 1, 2), (0, 1, 2), 3, ()),
}


def draw_usage_patterns() -> Figure:
    """Draw the five input/output patterns of an RNN side by side.

    Where a generating model reads its own previous output, a dashed arrow feeds it back as the next input.
    """
    fig = _new_figure((14, 4.2))
    axes = fig.subplots(1, len(USAGES), width_ratios=[usage[2] for usage in USAGES.values()])
    for ax, (name, (ins, outs, steps, fed_back)) in zip(axes, USAGES.items()):
        _blank_axes(ax, (-0.6, steps - 0.4), (-1.6, 1.9))
        ax.set_title(name, fontsize=12)
        for t in range(steps):
            _box(ax, t, 0, "", HIDDEN_COLOR, size=0.55)
            if t:
                _arrow(ax, (t - 0.72, 0), (t - 0.28, 0))
            if t in ins or t in fed_back:
                _box(ax, t, -1.2, "", INPUT_COLOR, size=0.5)
                _arrow(ax, (t, -0.95), (t, -0.28))
            if t in fed_back:
                _arrow(ax, (t - 0.75, 1.05), (t - 0.22, -0.98), linestyle="--", connectionstyle="arc3,rad=-0.25")
            if t in outs:
                _box(ax, t, 1.3, "", OUTPUT_COLOR, size=0.5)
                _arrow(ax, (t, 0.28), (t, 1.05))
    fig.text(0.5, 0.02, LEGEND + "    dashed: the previous output fed back as the next input", ha="center", fontsize=11)
    return fig


def draw_input_and_hidden(inputs, hidden, title: str) -> Figure:
    """Plot a (seq, features) input above the (seq, hidden) states an RNN produced from it."""
    fig = _new_figure((7, 4.5))
    top, bottom = fig.subplots(2, 1, sharex=True)
    steps = range(1, len(inputs) + 1)  # numbered as the text numbers them: x_1 ... x_T
    top.plot(steps, inputs, marker="o", color=INPUT_LINE)
    top.set_ylabel("input")
    top.set_title(title, fontsize=11)
    shades = plt.get_cmap("Greens")
    for unit in range(hidden.shape[1]):
        bottom.plot(steps, hidden[:, unit], color=shades(0.35 + 0.6 * unit / max(hidden.shape[1] - 1, 1)))
    bottom.set_ylabel("hidden units")
    bottom.set_xlabel("time step t")
    fig.tight_layout()
    return fig


def draw_loss_curve(losses, title: str = "training loss") -> Figure:
    """Plot a list of per-step losses on a log scale."""
    fig = _new_figure((6, 3))
    ax = fig.add_subplot()
    ax.semilogy(range(1, len(losses) + 1), losses, color=OTHER_LINES[0])
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("cross-entropy loss (log scale)")
    ax.set_title(title, fontsize=11)
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return fig


def draw_gradient_norms(norms: dict) -> Figure:
    """Plot, for each named model, the gradient norm with respect to each input step (log scale)."""
    fig = _new_figure((7, 3.6))
    ax = fig.add_subplot()
    for (name, values), color in zip(norms.items(), OTHER_LINES):
        ax.semilogy(
            range(1, len(values) + 1), values, label=name, color=color, linestyle="--" if "LSTM" in name else "-"
        )
    ax.set_xlabel("input step t")
    ax.set_ylabel("‖∂(last output)/∂x_t‖ (log scale)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def draw_perplexity_curves(histories: dict) -> Figure:
    """Plot training (dashed) and validation (solid) perplexity per epoch for each named model's History."""
    fig = _new_figure((7, 3.6))
    ax = fig.add_subplot()
    for (name, history), color in zip(histories.items(), OTHER_LINES):
        epochs = range(1, len(history.train) + 1)
        ax.plot(epochs, [math.exp(loss) for loss in history.train], color=color, linestyle="--", label=f"{name}, train")
        ax.plot(
            epochs, [math.exp(loss) for loss in history.valid], color=color, marker="o", label=f"{name}, validation"
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel("perplexity per character")
    ax.set_xticks(list(epochs))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    return fig


def _op(ax, x, y, symbol):
    """A small circle for an elementwise operation (⊙ or +)."""
    ax.add_patch(Circle((x, y), 0.22, facecolor="white", edgecolor=EDGE_COLOR, linewidth=1.2))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=12)


def draw_lstm_cell() -> Figure:
    """One step of ``nn.LSTM``: gates i, f, g, o from [x_t, h_(t-1)], the cell line c, and the output h_t.

    Notation as in PyTorch's documentation; ⊙ is the elementwise product.
    """
    fig = _new_figure((8, 4.6))
    ax = fig.add_subplot()
    _blank_axes(ax, (-0.9, 9.6), (-2.6, 3.0))
    gate_y, bus_y, line_y = 0.0, -1.3, 2.2
    gates = {"f": (2.0, "σ"), "i": (3.2, "σ"), "g": (4.4, "tanh"), "o": (5.8, "σ")}

    # The inputs: h_(t-1) from the left and x_t from below meet on one bus that feeds every gate.
    _box(ax, -0.3, bus_y, "$h_{t-1}$", HIDDEN_COLOR, size=0.75)
    _box(ax, 1.0, -2.25, "$x_t$", INPUT_COLOR, size=0.6)
    ax.plot([0.08, gates["o"][0]], [bus_y, bus_y], color=EDGE_COLOR, linewidth=1.2)
    _arrow(ax, (1.0, -1.95), (1.0, bus_y))
    for name, (x, activation) in gates.items():
        _box(ax, x, gate_y, f"{activation}\n${name}_t$", "white", size=0.8)
        _arrow(ax, (x, bus_y), (x, gate_y - 0.4))

    # The cell line: c_(t-1) ⊙ f_t + i_t ⊙ g_t = c_t.
    _box(ax, -0.3, line_y, "$c_{t-1}$", HIDDEN_COLOR, size=0.75)
    _arrow(ax, (0.08, line_y), (1.78, line_y))
    _op(ax, 2.0, line_y, "⊙")
    _arrow(ax, (2.0, gate_y + 0.4), (2.0, line_y - 0.22))
    _op(ax, 3.8, 1.1, "⊙")
    _arrow(ax, (3.2, gate_y + 0.4), (3.65, 0.95))
    _arrow(ax, (4.4, gate_y + 0.4), (3.95, 0.95))
    _op(ax, 3.8, line_y, "+")
    _arrow(ax, (2.22, line_y), (3.58, line_y))
    _arrow(ax, (3.8, 1.32), (3.8, line_y - 0.22))
    _arrow(ax, (4.02, line_y), (8.62, line_y))
    _box(ax, 9.0, line_y, "$c_t$", HIDDEN_COLOR, size=0.75)

    # The output: h_t = o_t ⊙ tanh(c_t).
    _box(ax, 7.0, 1.1, "tanh", "white", size=0.6)
    _arrow(ax, (7.0, line_y), (7.0, 1.4))
    _op(ax, 7.0, gate_y, "⊙")
    _arrow(ax, (7.0, 0.8), (7.0, gate_y + 0.22))
    _arrow(ax, (gates["o"][0] + 0.4, gate_y), (6.78, gate_y))
    _arrow(ax, (7.22, gate_y), (8.62, gate_y))
    _box(ax, 9.0, gate_y, "$h_t$", HIDDEN_COLOR, size=0.75)
    legend = "red: input    green: states    white: gates and elementwise operations"
    ax.text(5.2, -2.5, legend, ha="center", fontsize=9)
    fig.tight_layout()
    return fig
