"""What grading runs of a notebook, and the allowlists, in process: fast checks of behind.py and allowlist.py."""

from __future__ import annotations

import importlib
import re
import types

import nbformat
import pytest

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.grading.allowlist import BASIC_BUILTINS, DEVICE_CHECKS, FROM_SCRATCH, Refused, _value, check
from rnncourse.grading.behind import code_behind, definitions, program
from rnncourse.grading.sealed import defined_names, role, used_names

SETUP = "import math\nimport numpy as np\nimport torch\nfrom torch import nn\n"


def behind(name: str, *cells: str) -> str:
    return "".join(program(code_behind([name], definitions(list(cells)))))


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
    assert "def f" in behind("f", "%%time\ndef f():\n    return 1") and behind("g", "%%bash\ndef g():\n    echo") == ""
    assert "f = 1" in behind("f", "In [3]: f = 1")  # a prompt, read as IPython reads it


def test_if_and_try_blocks_of_definitions_time_lines_and_future_imports_count_as_in_jupyter():
    cells = [
        "try:\n    from tqdm import trange\nexcept ImportError:\n    trange = range",
        "if torch.cuda.is_available():\n    DEVICE = 'cuda'\nelse:\n    DEVICE = 'cpu'",
        "if DEVICE == 'cpu':\n    print('slow')",  # not only definitions: never runs
        "%time VOCAB = sorted(set('hello'))",
        "from __future__ import annotations",
        "def f(n: Later) -> list:\n    return [DEVICE, VOCAB, trange(n)]",
    ]
    code = behind("f", *cells)
    assert code.startswith("from __future__ import annotations\n")
    assert "except ImportError" in code and "DEVICE = 'cuda'" in code and "VOCAB = sorted" in code
    assert "print('slow')" not in code and "run_line_magic" not in code
    namespace = {"torch": __import__("torch")}
    exec(code, namespace)
    assert namespace["f"](2)[:2] == ["cpu", ["e", "h", "l", "o"]]


def test_without_a_rule_every_definition_of_a_name_runs_so_a_failed_rebinding_keeps_the_one_before():
    cells = ["WORDS = ['hello']", "WORDS = my_words  # a NameError while exploring", "def f():\n    return WORDS"]
    assert "WORDS = ['hello']" not in behind("f", *cells)
    namespace = {}
    for source in program(code_behind(["f"], definitions(cells), every=True)):
        try:
            exec(source, namespace)
        except NameError:
            pass
    assert namespace["f"]() == ["hello"]


def test_a_cell_ipython_cannot_read_cheaply_is_not_read_and_a_long_chain_is_followed_once():
    assert definitions(["x = 1\n" * 5000 + "%a\n" * 50]) == []  # 50 magic lines in a 30,000-character cell
    chain = ["a0 = 0"] + [f"a{i} = a{i - 1}, q" for i in range(1, 3000)]
    assert len(code_behind(["a2999"], definitions(["\n".join(chain)]))) == 3000


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
    "a nested function that reads its method's self, a name-mangled attribute, typing's hints": (
        "from __future__ import annotations\nfrom typing import Optional, Tuple\nfrom torch import Tensor\n"
        "class ScratchRNN(nn.Module):\n    def __init__(self, I: int, H: int):\n        super().__init__()\n"
        "        self.__act = torch.tanh\n        self.weight_ih_l0 = nn.Parameter(torch.zeros(H, I))\n"
        "    @classmethod\n    def make(cls, I: int) -> ScratchRNN:\n        return cls(I, I)\n"
        "    def forward(self, x: Tensor, h0: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:\n"
        "        def weight(layer):\n            return getattr(self, f'weight_ih_l{layer}')\n"
        "        step = lambda x_t: self.__act(x_t @ weight(0).T)\n        return step(x), h0\n"
    ),
    "answers inside an if and a try, errors raised and caught": (
        "try:\n    import torch.nn.functional as F\nexcept ImportError:\n    pass\n"
        "if True:\n    class ScratchRNN(nn.Module):\n        def forward(self, x):\n            try:\n"
        "                return F.tanh(x)\n            except (OSError, ZeroDivisionError, LookupError):\n"
        "                raise UserWarning('not a tensor')\n"
    ),
}
HOSTILE = {
    "an exception that except Exception does not catch": (
        "def ScratchRNN(x):\n    raise KeyboardInterrupt\n",
        "KeyboardInterrupt",
    ),
    "a way out of the test": ("def ScratchRNN(x):\n    raise SystemExit(0)\n", "SystemExit"),
    "what a caught error carries out of library code": (
        "def ScratchRNN(x):\n    if False:\n        x.obj = None\n    try:\n"
        "        torch.zeros(1).untyped_storage().type('builtins.eval')\n"
        "    except AttributeError as error:\n        run = error.obj\n    return run('1')\n",
        "binds the caught error",
    ),
    "a module found by a caught error, in a class": (
        "class ScratchRNN(nn.Module):\n    obj = None\n    def __init__(self, I, H):\n        super().__init__()\n"
        "        try:\n            torch.zeros(1).untyped_storage().type('torch.nn.RNN')\n"
        "        except* AttributeError as error:\n            self.inner = error.obj\n",
        "binds the caught error",
    ),
    "a module behind a wildcard": ("def ScratchRNN(x):\n    return nn.init.torch.rnn_tanh(x)\n", "torch.nn.init.torch"),
    "an own name read on a module": (
        "def ScratchRNN(x):\n    x.rnn_tanh = None\n    return nn.init.torch.rnn_tanh(x)\n",
        "torch.nn.init.torch",
    ),
    "own names that are a frame's": (
        "class ScratchRNN(nn.Module):\n    gi_frame = f_globals = None\n"
        "    def forward(self, x):\n        return (i for i in ()).gi_frame.f_globals\n",
        "gi_frame",
    ),
    "a private own name read on another object": (
        "class ScratchRNN(nn.Module):\n    _C = None\n    def forward(self, x):\n        return x._C\n",
        "_C",
    ),
    "a staticmethod's argument taken for self": (
        "class ScratchRNN(nn.Module):\n    @staticmethod\n    def grab(m):\n        return m.anything\n",
        "anything",
    ),
    "an annotation that runs code": (
        "def ScratchRNN(x) -> __import__('torch').rnn_tanh:\n    return x\n",
        "__import__",
    ),
    "a default that runs code": ("def ScratchRNN(x, k=__import__('torch')):\n    return x\n", "__import__"),
    "typing beyond annotations": ("from typing import cast\ndef ScratchRNN(x):\n    return cast(int, x)\n", "typing"),
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


@pytest.mark.parametrize("rule", [FROM_SCRATCH, DEVICE_CHECKS], ids=lambda rule: rule.name)
def test_no_name_a_rule_allows_is_a_module(rule):
    for listed in rule.objects:
        module = listed.removesuffix(".*")
        names = dir(importlib.import_module(module)) if listed.endswith(".*") else [None]
        for name in names:
            path = listed if name is None else f"{module}.{name}"
            if rule.allows(path):
                assert not isinstance(_value(path), types.ModuleType), path


def test_device_checks_allow_the_availability_checks_and_nothing_else():
    honest = "from torch.cuda import is_available\ndef pick_device():\n"
    honest += "    return torch.device('cuda' if is_available() else 'cpu')\n"
    assert check("pick_device", DEVICE_CHECKS, code_behind(["pick_device"], definitions([SETUP, honest]))) is None
    frames = "def pick_device():\n    import sys\n    return sys._getframe(1)\n"
    with pytest.raises(Refused, match="imports sys"):
        check("pick_device", DEVICE_CHECKS, code_behind(["pick_device"], definitions([SETUP, frames])))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_task_text_says_that_only_the_code_behind_its_names_is_graded(name):
    intro = nbformat.read(ASSIGNMENTS[name].notebook("solutions"), as_version=4).cells[0].source
    assert "Grading runs only the code behind" in intro and "neither help nor cost a point" in intro


def test_exercise_2s_text_lists_exactly_what_its_rule_allows():
    intro = nbformat.read(ASSIGNMENTS["02_rnn_from_scratch"].notebook("solutions"), as_version=4).cells[0].source
    section = intro[intro.index("**What your code may use.**") : intro.index("Shapes follow")]
    named = set(re.findall(r"`([^`]+)`", section))
    for path in FROM_SCRATCH.objects:
        short = path.replace("torch.nn.functional.", "F.").replace("torch.nn.", "nn.")
        assert path in named or short in named or path.endswith(".*"), path
    assert set(BASIC_BUILTINS) <= named and "exceptions that `except Exception` catches" in " ".join(section.split())
    assert "`except ... as NAME`" in section


def test_exercise_3s_text_lists_exactly_the_device_checks_its_rule_allows():
    cells = nbformat.read(ASSIGNMENTS["03_torch_rnn"].notebook("solutions"), as_version=4).cells
    (text,) = [cell.source for cell in cells if grade_id(cell) == "device_intro"]
    named = {name.split("(")[0] for name in re.findall(r"`([^`]+)`", text)}
    assert named >= DEVICE_CHECKS.objects, sorted(DEVICE_CHECKS.objects - named)
    assert "and nothing else." in " ".join(text.split()) and "`except ... as NAME`" in text


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_a_test_of_a_name_with_a_rule_uses_only_names_with_rules(name):
    cells = ASSIGNMENTS[name].cells()
    learner = [c for c in cells if role(c) == "learner"]
    graded = set().union(*(defined_names(c.source) for c in learner))
    ruled = set().union(*(defined_names(c.source) for c in learner if "allow" in c.metadata.get("rnncourse", {})))
    for cell in cells:
        used = used_names(cell.source) & graded if role(cell) == "test" else set()
        assert not used & ruled or used <= ruled, (grade_id(cell), sorted(used - ruled))


def test_every_rule_bound_solution_cell_names_a_rule_that_exists():
    marked = [
        cell.metadata["rnncourse"]["allow"]
        for assignment in ASSIGNMENTS.values()
        for cell in assignment.cells()
        if "rnncourse" in cell.metadata
    ]
    assert set(marked) == {"from_scratch", "device_checks"}
    assert all(grade_id(c) for a in ASSIGNMENTS.values() for c in a.cells() if "rnncourse" in c.metadata)
