"""A character-level language model on real text, from corpus to samples.

The corpus is real English prose that the pinned PyTorch installs: the descriptive
paragraphs of the docstrings of ``torch.nn``'s modules, ``torch.optim``'s classes and
``torch.nn.functional``'s functions, cleaned to plain text (about 41 kB). Nothing is
downloaded. Axis names: B batch, T steps, V vocabulary, E embedding, H hidden.

API (stable; chapters and assignments import it):

- ``course_text() -> str``: the corpus; ``split_text(text) -> (train, valid)``: a fixed split,
  the last ``VALID_FRACTION`` of the characters held out.
- ``build_vocab(text) -> dict[str, int]``: every character, sorted, to its index;
  ``encode(text, vocab) -> LongTensor (N,)``; ``decode(indices, vocab) -> str``.
- ``sequential_batches(ids, batch_size, num_steps)``: (X, Y) pairs of shape (B, T) where row b of
  one batch continues row b of the previous one (carry the state, detach it between batches);
  ``random_batches(ids, batch_size, num_steps, generator)``: subsequences at random offsets
  (start each batch from a fresh state). Y is X shifted by one character.
- ``CharModel(vocab_size, hidden_size, kind="rnn" | "lstm" | "gru", embedding_size=...)``:
  ``model(X (B, T), state=None) -> logits (B, T, V), state``.
- ``detach_state(state)``; ``train_epoch(model, batches, optimizer, max_norm, carry_state) -> mean
  loss``; ``evaluate(model, ids, batch_size, num_steps) -> mean loss``; ``perplexity(loss)``;
  ``fit(...) -> History`` (train and validation loss per epoch, one printed line per epoch; an
  optional ``after_epoch(epoch, model)`` runs after each, e.g. to print a sample).
- ``sample(model, vocab, prefix, length, temperature, generator) -> str``: draws from
  softmax(logits / temperature) with a seeded ``torch.Generator``; temperature 0 is greedy.
- ``as_cell(layer) -> nn.RNNCell | nn.LSTMCell | nn.GRUCell``: a one-layer ``nn.RNN``/``LSTM``/``GRU``'s
  weights in the cell that computes one step of it, for step-by-step generation.
- The long-delay task: ``delay_batch(batch_size, delay, generator) -> X (B, delay + 1), y (B,)``: a
  symbol, then ``delay`` random distractors; the target is the first symbol. ``train_delay(kind,
  delay, ...) -> accuracy`` trains a fresh ``CharModel`` on it and measures held-out accuracy.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

#: The share of the corpus, taken from its end, held out for validation.
VALID_FRACTION = 0.1
KINDS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}

_SECTION = re.compile(
    r"^(Args|Arguments|Shape|Shapes|Examples?|Attributes|Inputs|Outputs|Returns|Notes?|Warning|"
    r"Parameters|Variables|Keyword [Aa]rguments)\b.*:\s*$"
)
_ROLE = re.compile(r":\w+:`~?(?:[\w.]+\.)?([^`<]+?)`")


def _prose(doc: str) -> list[str]:
    """The plain-prose paragraphs of a docstring before its first section (Args:, Shape:, ...)."""
    paragraphs = []
    for para in re.split(r"\n\s*\n", doc):
        if not para.strip():
            continue
        if _SECTION.match(para.strip().splitlines()[0]):
            break
        markup = (".. ", ">>>", "::", ":math:", "http", "__init__(", "$")
        if para.startswith((" ", "\t")) or any(m in para for m in markup):
            continue
        text = _ROLE.sub(r"\1", " ".join(para.split())).replace("``", "").replace("`", "").replace("*", "")
        if not re.search(r"[\\{}|_^]", text):  # formulas and code left in the sentence
            paragraphs.append(text)
    return paragraphs


def _documented_objects():
    for module in (nn, torch.optim, F):
        for name in sorted(dir(module)):
            obj = getattr(module, name)
            is_function = module is F and inspect.isfunction(obj)
            is_class = module is not F and isinstance(obj, type) and obj.__module__.startswith(module.__name__)
            if not name.startswith("_") and (is_function or is_class):
                yield obj


def course_text() -> str:
    """The corpus: each documented object's prose paragraphs, one per line, a blank line between objects."""
    blocks = []
    for obj in _documented_objects():
        block = "\n".join(_prose(inspect.getdoc(obj) or ""))
        if block and block not in blocks:
            blocks.append(block)
    return "\n\n".join(blocks)


def split_text(text: str, valid_fraction: float = VALID_FRACTION) -> tuple[str, str]:
    """(train, valid): the last ``valid_fraction`` of the characters is the validation text."""
    cut = round(len(text) * (1 - valid_fraction))
    return text[:cut], text[cut:]


def build_vocab(text: str) -> dict[str, int]:
    """Every character of ``text``, sorted, mapped to its index."""
    return {ch: i for i, ch in enumerate(sorted(set(text)))}


def encode(text: str, vocab: dict[str, int]) -> torch.Tensor:
    """(N,) int64: the index of every character; KeyError names a character missing from vocab."""
    return torch.tensor([vocab[ch] for ch in text], dtype=torch.long)


def decode(indices, vocab: dict[str, int]) -> str:
    """The characters of a sequence of indices."""
    chars = list(vocab)
    return "".join(chars[i] for i in torch.as_tensor(indices).tolist())


def sequential_batches(
    ids: torch.Tensor, batch_size: int, num_steps: int
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """(X, Y), each (B, T): the text cut into B rows, read T characters at a time.

    Row b of each batch continues row b of the previous batch, so a model may carry its state.
    """
    rows = (len(ids) - 1) // batch_size
    x = ids[: rows * batch_size].reshape(batch_size, rows)
    y = ids[1 : rows * batch_size + 1].reshape(batch_size, rows)
    for start in range(0, rows - num_steps + 1, num_steps):
        yield x[:, start : start + num_steps], y[:, start : start + num_steps]


def random_batches(
    ids: torch.Tensor, batch_size: int, num_steps: int, generator: torch.Generator
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """(X, Y), each (B, T): non-overlapping subsequences in a random order; no batch continues another."""
    offset = int(torch.randint(num_steps, (1,), generator=generator))
    starts = torch.arange(offset, len(ids) - num_steps, num_steps)
    starts = starts[torch.randperm(len(starts), generator=generator)]
    for i in range(0, len(starts) - batch_size + 1, batch_size):
        chosen = starts[i : i + batch_size, None] + torch.arange(num_steps)
        yield ids[chosen], ids[chosen + 1]


class CharModel(nn.Module):
    """Embedding, a recurrent layer of ``kind`` ("rnn", "lstm" or "gru") and a linear head.

    forward(X (B, T) int64, state=None) -> logits (B, T, V), state (h_n, or (h_n, c_n) for an LSTM).
    """

    def __init__(self, vocab_size: int, hidden_size: int, kind: str = "rnn", embedding_size: int = 32):
        super().__init__()
        self.kind = kind
        self.embedding = nn.Embedding(vocab_size, embedding_size)
        self.rnn = KINDS[kind](embedding_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x: torch.Tensor, state=None):
        hidden_states, state = self.rnn(self.embedding(x), state)  # (B, T, H)
        return self.head(hidden_states), state


def detach_state(state):
    """The state's values without its graph: h_n, or both parts of an LSTM's (h_n, c_n)."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def train_epoch(model: nn.Module, batches, optimizer, max_norm: float | None = 1.0, carry_state: bool = True) -> float:
    """One pass over ``batches``; clips the gradient norm to ``max_norm``; returns the mean loss per character."""
    model.train()
    device, state, total, count = _device(model), None, 0.0, 0
    for x, y in batches:
        x, y = x.to(device), y.to(device)
        logits, state = model(x, detach_state(state) if carry_state else None)
        loss = F.cross_entropy(logits.transpose(1, 2), y)  # classes on axis 1: (B, V, T)
        optimizer.zero_grad()
        loss.backward()
        if max_norm is not None:
            nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        total, count = total + loss.item() * y.numel(), count + y.numel()
    return total / count


@torch.no_grad()
def evaluate(model: nn.Module, ids: torch.Tensor, batch_size: int, num_steps: int) -> float:
    """Mean cross-entropy per character on ``ids``, read sequentially with the state carried."""
    model.eval()
    device, state, total, count = _device(model), None, 0.0, 0
    for x, y in sequential_batches(ids, batch_size, num_steps):
        logits, state = model(x.to(device), state)
        total += F.cross_entropy(logits.transpose(1, 2), y.to(device), reduction="sum").item()
        count += y.numel()
    return total / count


def perplexity(loss: float) -> float:
    """exp(mean cross-entropy in nats): the number of equally likely characters the model hesitates between."""
    return math.exp(loss)


@dataclass
class History:
    """Mean loss per character after every epoch, on the training and the validation text."""

    train: list[float] = field(default_factory=list)
    valid: list[float] = field(default_factory=list)


def fit(
    model: nn.Module,
    train_ids: torch.Tensor,
    valid_ids: torch.Tensor,
    *,
    epochs: int,
    batch_size: int = 32,
    num_steps: int = 32,
    lr: float = 0.01,
    max_norm: float = 1.0,
    partition: str = "sequential",
    seed: int = 0,
    log=print,
    after_epoch=None,
) -> History:
    """Adam for ``epochs`` epochs with clipping; ``partition`` is "sequential" (state carried) or "random".

    ``after_epoch(epoch, model)``, if given, runs after each epoch's line.
    """
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = History()
    for epoch in range(1, epochs + 1):
        if partition == "sequential":
            batches = sequential_batches(train_ids, batch_size, num_steps)
        else:
            batches = random_batches(train_ids, batch_size, num_steps, generator)
        history.train.append(train_epoch(model, batches, optimizer, max_norm, carry_state=partition == "sequential"))
        history.valid.append(evaluate(model, valid_ids, batch_size, num_steps))
        if log:
            log(
                f"epoch {epoch:2}/{epochs}  train perplexity {perplexity(history.train[-1]):6.2f}  "
                f"validation perplexity {perplexity(history.valid[-1]):6.2f}"
            )
        if after_epoch:
            after_epoch(epoch, model)
    return history


@torch.no_grad()
def sample(
    model: nn.Module,
    vocab: dict[str, int],
    prefix: str,
    length: int,
    temperature: float = 1.0,
    generator: torch.Generator | None = None,
) -> str:
    """``prefix`` and ``length`` more characters, each drawn from softmax(logits / temperature).

    The prefix warms the state up; then the model reads its own output. Temperature 0 takes the argmax.
    """
    model.eval()
    chars, device = list(vocab), _device(model)
    logits, state = model(encode(prefix, vocab)[None].to(device))
    text = prefix
    for _ in range(length):
        last = logits[0, -1].float().cpu()
        if temperature == 0:
            index = int(last.argmax())
        else:
            index = int(torch.multinomial((last / temperature).softmax(-1), 1, generator=generator))
        text += chars[index]
        logits, state = model(torch.tensor([[index]], device=device), state)
    return text


_CELLS = {nn.RNN: nn.RNNCell, nn.LSTM: nn.LSTMCell, nn.GRU: nn.GRUCell}


def as_cell(layer: nn.RNNBase) -> nn.RNNCellBase:
    """The cell that computes one step of a one-layer, one-way ``layer``, holding the same weights.

    ``weight_ih_l0`` becomes ``weight_ih`` and so on; a cell takes (B, I) and returns (B, H), or (h, c).
    """
    if layer.num_layers != 1 or layer.bidirectional or getattr(layer, "proj_size", 0):
        raise ValueError("as_cell takes a one-layer, one-way layer without projection")
    extra = {"nonlinearity": layer.nonlinearity} if isinstance(layer, nn.RNN) else {}
    cell = _CELLS[type(layer)](layer.input_size, layer.hidden_size, bias=layer.bias, **extra)
    cell.load_state_dict({name.removesuffix("_l0"): value for name, value in layer.state_dict().items()})
    return cell.to(_device(layer))


#: The long-delay task's alphabet: ``DELAY_SYMBOLS`` symbols to remember, then distractors.
DELAY_SYMBOLS, DELAY_DISTRACTORS = 4, 4


def delay_batch(batch_size: int, delay: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """X (B, delay + 1) int64: a symbol in [0, DELAY_SYMBOLS), then ``delay`` distractors; y (B,): that symbol."""
    first = torch.randint(DELAY_SYMBOLS, (batch_size,), generator=generator)
    noise = torch.randint(DELAY_SYMBOLS, DELAY_SYMBOLS + DELAY_DISTRACTORS, (batch_size, delay), generator=generator)
    return torch.cat([first[:, None], noise], dim=1), first


def train_delay(
    kind: str,
    delay: int,
    *,
    steps: int = 250,
    hidden_size: int = 32,
    batch_size: int = 64,
    lr: float = 0.03,
    forget_bias: float = 0.0,
    seed: int = 0,
) -> float:
    """Train a fresh ``CharModel`` to name the first symbol after ``delay`` distractors; held-out accuracy.

    ``forget_bias`` is added to an LSTM's forget-gate bias before training. Chance is 1 / DELAY_SYMBOLS.
    """
    torch.manual_seed(seed)
    model = CharModel(DELAY_SYMBOLS + DELAY_DISTRACTORS, hidden_size, kind=kind, embedding_size=8)
    if kind == "lstm":
        with torch.no_grad():
            model.rnn.bias_ih_l0[hidden_size : 2 * hidden_size] += forget_bias  # gates stacked i, f, g, o
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(steps):
        x, y = delay_batch(batch_size, delay, generator)
        loss = F.cross_entropy(model(x)[0][:, -1], y)  # only the last step is scored
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    model.eval()
    x, y = delay_batch(1000, delay, torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        return (model(x)[0][:, -1].argmax(-1) == y).float().mean().item()
