"""What grading runs of a notebook, and the allowlists, in process: fast checks of behind.py and allowlist.py."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.grading.allowlist import BASIC_BUILTINS, DEVICE_CHECKS, FROM_SCRATCH, Refused, check
from rnncourse.grading.behind import code_behind, definitions, program

SETUP = "import math\nimport numpy as np\nimport torch\nfrom torch import nn\n"


def behind(name: str, *cells: str) -> str:
    return program(code_behind([name], definitions(list(cells))))


def test_only_definitions_run_and_names_come_from_where_python_would_find_them():
    cells = [
        "import torch\nK = 3\nprint('exploring')\n%timeit torch.zeros(1)\n!ls",
        "def helper(x):\n    return x + K\nhelper(1)",
        "def f(x):\n    return helper(x)\nf = wrap(f)",  # wrap is not defined yet when this cell runs
        "def wrap(g):\n    return g\nK = 4\nobj.attr = 5\nfor i in range(3):\n    K += i",
    ]
    code = behind("f", *cells)
    assert "print" not in code and "timeit" not in code and "obj.attr" not in code and "for i" not in code
    assert code.index("def helper") < code.index("def f") < code.index("f = wrap(f)")
    assert "K = 4" in code and "K = 3" not in code  # read inside a function: the last definition counts
    assert "def wrap" not in code  # read when the statement runs: only what came before it


def test_wrapping_cell_magics_count_as_their_python_and_other_cell_magics_as_nothing():
    assert (
        "def f" in behind("f", "%%time\ndef f():\n    return 1") and behind("g", "%%bash\ndef g():\n    echo") == "\n"
    )
    assert "f = 1" in behind("f", "In [3]: f = 1")  # a prompt, read as IPython reads it


def from_scratch(name: str, code: str) -> str | None:
    try:
        check(name, FROM_SCRATCH, code_behind([name], definitions([SETUP, code])))
    except Refused as refused:
        return str(refused)
    return None


HONEST = {
    "a private helper method, nn.ParameterList and f-string getattr": (
        "class ScratchRNN(nn.Module):\n    def __init__(self, I, H):\n        super().__init__()\n"
        "        self.cells = nn.ParameterList([nn.Parameter(torch.zeros(H, I))])\n"
        "        setattr(self, f'weight_ih_l{0}', nn.Parameter(torch.empty(H, I)))\n"
        "    def _step(self, x, h):\n        return torch.tanh(x @ getattr(self, 'weight_ih_l0').T + h)\n"
        "    def forward(self, x, h0=None):\n        return [self._step(x_t, h0) for x_t in x], self.cells[0].shape\n"
    ),
    "functions imported by name, annotations, a decorator": (
        "from torch import tanh\nfrom torch.nn.functional import linear\nimport torch.nn.functional as F\n"
        "class ScratchRNN(nn.Module):\n    @staticmethod\n    def act(x: torch.Tensor) -> torch.Tensor:\n"
        "        return tanh(F.relu(linear(x, x)))\n"
        "    def forward(self, x, h0=None):\n        with torch.no_grad():\n"
        "            bound = 1 / math.sqrt(x.shape[-1])\n        return self.act(x) * bound, None\n"
    ),
}
HOSTILE = {
    "PyTorch's own RNN": ("class ScratchRNN(nn.RNN):\n    pass\n", "torch.nn.RNN"),
    "an internal table": ("def ScratchRNN(x):\n    return torch._VF.rnn_tanh(x)\n", "torch._VF"),
    "a dynamic lookup": ("def ScratchRNN(x):\n    return getattr(torch, 'rnn_tanh')(x)\n", "getattr"),
    "a library as a value": ("lib = nn\nclass ScratchRNN(lib.Module):\n    pass\n", "library as a value"),
    "output history": ("ScratchRNN = Out[1]\n", "Out"),
    "a dunder": ("class ScratchRNN(nn.Module):\n    def f(self):\n        return self.__class__\n", "__class__"),
    "frames of a generator": (
        "def ScratchRNN():\n    g = (i for i in [1])\n    return g.gi_frame.f_globals\n",
        "gi_frame",
    ),
    "a store into a library": ("def ScratchRNN():\n    torch.tanh = None\n", "did not create"),
    "an import of another module": ("def ScratchRNN():\n    import gc\n    return gc\n", "imports gc"),
    "a global statement": ("def ScratchRNN():\n    global X\n    X = 1\n", "Global"),
}


@pytest.mark.parametrize("style", HONEST)
def test_honest_from_scratch_styles_keep_to_the_rule(style):
    assert from_scratch("ScratchRNN", HONEST[style]) is None


@pytest.mark.parametrize("attack", HOSTILE)
def test_uses_outside_the_rule_are_refused_with_the_code_that_broke_it(attack):
    code, reason = HOSTILE[attack]
    refused = from_scratch("ScratchRNN", code)
    assert refused is not None and reason in refused and refused.startswith("`")


def test_device_checks_allow_the_availability_checks_and_nothing_else():
    honest = "from torch.cuda import is_available\ndef pick_device():\n"
    honest += "    return torch.device('cuda' if is_available() else 'cpu')\n"
    assert check("pick_device", DEVICE_CHECKS, code_behind(["pick_device"], definitions([SETUP, honest]))) is None
    frames = "def pick_device():\n    import sys\n    return sys._getframe(1)\n"
    with pytest.raises(Refused, match="imports sys"):
        check("pick_device", DEVICE_CHECKS, code_behind(["pick_device"], definitions([SETUP, frames])))


def test_exercise_2s_text_lists_exactly_what_its_rule_allows():
    intro = nbformat.read(ASSIGNMENTS["02_rnn_from_scratch"].notebook("solutions"), as_version=4).cells[0].source
    section = intro[intro.index("**What your code may use.**") : intro.index("Shapes follow")]
    named = set(re.findall(r"`([^`]+)`", section))
    for path in FROM_SCRATCH.objects:
        short = path.replace("torch.nn.functional.", "F.").replace("torch.nn.", "nn.")
        assert path in named or short in named or path.endswith(".*"), path
    assert set(BASIC_BUILTINS) <= named


def test_exercise_3s_text_lists_exactly_the_device_checks_its_rule_allows():
    cells = nbformat.read(ASSIGNMENTS["03_torch_rnn"].notebook("solutions"), as_version=4).cells
    (text,) = [cell.source for cell in cells if grade_id(cell) == "device_intro"]
    named = {name.split("(")[0] for name in re.findall(r"`([^`]+)`", text)}
    assert named >= DEVICE_CHECKS.objects, sorted(DEVICE_CHECKS.objects - named)
    assert "plain Python, and nothing else" in text


def test_every_rule_bound_solution_cell_names_a_rule_that_exists():
    marked = [
        cell.metadata["rnncourse"]["allow"]
        for assignment in ASSIGNMENTS.values()
        for cell in assignment.cells()
        if "rnncourse" in cell.metadata
    ]
    assert set(marked) == {"from_scratch", "device_checks"}
    assert all(grade_id(c) for a in ASSIGNMENTS.values() for c in a.cells() if "rnncourse" in c.metadata)
