"""Hostile answers to the checks themselves, graded with the plain `nbgrader autograde`.

test_hostile_class.py attacks the grader; these students attack what the tests judge. What is
graded is the code behind each name, run in a fresh job beside the setup cells; names with a rule
must keep to its allowlist. Each attack is built on an honest twin that makes the same mistake
openly (or on the honest reference, where the attack cannot even run), and must score exactly
what the twin scores. The classes follow the threat table of the instructor page:

1. code behind a name that a rule might not read: other cells, strings, magics, prompts, output
   history, stores on classes and libraries, aliases, pattern matching, the library's internal
   tables, dynamic lookups;
2. course helpers beside the learner's code (gradients, simulated machines), rebound, reached
   through gc or frames, or answered through a library hook;
3. claims the learner makes about their own work: weights, tensors that only look as if they were
   on a device, losses reported without training;
4. replies that are not data: a job that rewrites its own encoder, shapes too large to allocate;
6. hidden inputs carried into feedback by the learner's own error messages.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.grading.trial import TrialCourse, make_submission

pytestmark = pytest.mark.autograde

SCRATCH, TORCH = ASSIGNMENTS["02_rnn_from_scratch"], ASSIGNMENTS["03_torch_rnn"]
HOSTILE_UID = 62900  # sandbox users of this module alone: other tests grade at the same time
SCRATCH_REFERENCE, TORCH_REFERENCE = SCRATCH.reference_answers(), TORCH.reference_answers()
WRAPS_TORCH = "class ScratchRNN(nn.RNN):\n    pass\n"
NO_AUTOGRAD = SCRATCH_REFERENCE["ScratchRNN"].replace(
    "    def forward(self, x, h0=None):\n",
    "    def forward(self, x, h0=None):\n        with torch.no_grad():\n            return self._forward(x, h0)\n\n"
    "    def _forward(self, x, h0=None):\n",
)
GRADIENTS_FROM_TORCH = """def rnn_gradients(module, x, h0, weights):
    reference = nn.RNN(module.input_size, module.hidden_size, module.num_layers, nonlinearity=module.nonlinearity,
                       bias=module.bias, batch_first=module.batch_first).to(x.dtype)
    reference.load_state_dict(module.state_dict())
    output, h_n = reference(x, h0)
    grads = torch.autograd.grad((output * weights).sum() + h_n.sum(), list(reference.parameters()))
    return dict(zip([name for name, _ in reference.named_parameters()], grads))
gradients_of = rnn_gradients
"""
ZERO_HANDLES = """class Zero:
    def __init__(self, dtype):
        self.dtype = dtype
    def double(self):
        return self
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return torch.zeros(())
def rnn_gradients(module, x, h0, weights):
    return {name: Zero(x.dtype) for name, _ in module.named_parameters()}
gradients_of = rnn_gradients
"""
CELL_FROM_TORCH = "def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):\n    return torch.rnn_tanh_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh)\n"
FIRST_STEP = TORCH_REFERENCE["SequenceClassifier"].replace(
    "return self.head(h_n[-1])", "return self.head(self.rnn(x)[0][:, 0])"
)
ALWAYS_CPU = 'def pick_device():\n    """returns: torch.device"""\n    return torch.device("cpu")\n'
RUN_ON_CPU = "def run_rnn(rnn, x, device):\n    return rnn(x)\n"
UNTRAINED = TORCH_REFERENCE["train_hihello"].replace("lr=0.1", "lr=1e-7")
MEMORISED = """HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]
class Memorised(nn.Module):
    def __init__(self):
        super().__init__()
        self.unused = nn.Parameter(torch.zeros(1))
    def forward(self, indices):
        return torch.eye(5, device=indices.device)[[1, 0, 2, 3, 3, 4]][None] + 0 * self.unused
def train_hihello(device, steps=200, seed=0):
    return Memorised().to(device), [2.0 / (1 + k + seed) for k in range(steps)]
"""


def submission(assignment, answers: dict[str, str], added: dict[str, str] | None = None):
    """The reference answers but ``answers``; each of ``added`` is a new cell after the named cell."""
    notebook = make_submission(assignment, answers)
    for anchor, code in (added or {}).items():
        (index,) = [i for i, cell in enumerate(notebook.cells) if grade_id(cell) == anchor]
        notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(code))
    return notebook


def points_without(assignment, *tests: str) -> float:
    """The assignment's points, less those of the named test cells."""
    return assignment.points - sum(c.metadata["nbgrader"]["points"] for c in assignment.cells() if grade_id(c) in tests)


def scratch_class() -> dict[str, tuple[object, float]]:
    """student -> (notebook, exact expected score), assignment 02."""
    gradients = ("test_ScratchRNN", "test_ScratchRNN_layouts", "test_ScratchRNN_devices")
    wraps = points_without(SCRATCH, "test_ScratchRNN_parameters", *gradients)  # the rule runs in every ScratchRNN test
    no_autograd = points_without(SCRATCH, *gradients)
    cell_from_torch = points_without(SCRATCH, "test_rnn_cell", "test_rnn_layer")  # rnn_layer's code calls rnn_cell
    no_count = points_without(SCRATCH, "test_count_parameters")
    scratch = lambda body: f"class ScratchRNN(nn.Module):\n    def forward(self, x, h0=None):\n        {body}\n"
    return {
        "honest": (submission(SCRATCH, {}), SCRATCH.points),
        "honest_with_blank_lines_and_a_magic_free_style": (
            submission(
                SCRATCH, {name: "\n\n# my answer\n" + code + "\n\n" for name, code in SCRATCH_REFERENCE.items()}
            ),
            SCRATCH.points,
        ),
        # 1. Code behind a name.
        "c1_twin_wraps_torch": (submission(SCRATCH, {"ScratchRNN": WRAPS_TORCH}), wraps),
        "c1_alias_by_string": (submission(SCRATCH, {"ScratchRNN": 'ScratchRNN = getattr(nn, "RNN")\n'}), wraps),
        "c1_getattr_by_another_name": (
            submission(SCRATCH, {"ScratchRNN": 'find = getattr\nScratchRNN = find(nn, "R" + "NN")\n'}),
            wraps,
        ),
        "c1_prompt_hides_a_binding": (
            submission(
                SCRATCH,
                {"ScratchRNN": "class ScratchRNN:\n    pass\n"},
                {"ScratchRNN": "In [1]: ScratchRNN = nn.RNN\n"},
            ),
            wraps,
        ),
        "c1_getattr_on_a_lambdas_self": (
            submission(SCRATCH, {"ScratchRNN": "ScratchRNN = (lambda self: getattr(self, 'R' + 'NN'))(nn)\n"}),
            wraps,
        ),
        "c1_getattr_as_a_value": (
            submission(
                SCRATCH, {"ScratchRNN": "import functools\nScratchRNN = functools.reduce(getattr, ['R' + 'NN'], nn)\n"}
            ),
            wraps,
        ),
        "c1_patches_the_library": (
            submission(
                SCRATCH,
                {"ScratchRNN": "class ScratchRNN(nn.Identity):\n    pass\n"},
                {"imports": "nn.Identity = nn.RNN\n"},
            ),
            wraps,  # the store never runs, and nn.Identity is not on the list
        ),
        "c1_alias_in_another_cell": (
            submission(
                SCRATCH, {"ScratchRNN": "class Mine(nn.RNN):\n    pass\n"}, {"ScratchRNN": "ScratchRNN = Mine\n"}
            ),
            wraps,
        ),
        "c1_rebinds_itself": (
            submission(SCRATCH, {"ScratchRNN": WRAPS_TORCH}, {"ScratchRNN": "ScratchRNN = ScratchRNN\n"}),
            wraps,
        ),
        "c1_cell_magic": (submission(SCRATCH, {"ScratchRNN": "%%capture\n" + WRAPS_TORCH}), wraps),
        "c1_exec_after_an_honest_cell": (  # never runs: what is graded is the honest class
            submission(SCRATCH, {}, {"ScratchRNN": 'exec("class ScratchRNN(nn.RNN):\\n    pass")\n'}),
            SCRATCH.points,
        ),
        "c1_exec_instead_of_a_class": (
            submission(SCRATCH, {"ScratchRNN": 'exec("class ScratchRNN(nn.RNN):\\n    pass")\n'}),
            wraps,
        ),
        "c1_global_from_a_function": (
            submission(
                SCRATCH, {}, {"ScratchRNN": "def swap():\n    global ScratchRNN\n    ScratchRNN = nn.RNN\nswap()\n"}
            ),
            SCRATCH.points,  # swap() is never called: the honest class is graded
        ),
        "c1_output_history": (
            submission(SCRATCH, {"ScratchRNN": "nn.RNN\n"}, {"ScratchRNN": "ScratchRNN = Out[1] if Out else _\n"}),
            wraps,
        ),
        "c1_input_transformer_installed_elsewhere": (
            submission(
                SCRATCH,
                {"ScratchRNN": WRAPS_TORCH},
                {
                    "imports": "get_ipython().input_transformer_manager.cleanup_transforms.append("
                    "lambda lines: [l.replace('nn.RNN', 'nn.Module') for l in lines])\n"
                },
            ),
            wraps,
        ),
        "c1_methods_stored_on_the_class": (
            submission(
                SCRATCH,
                {"ScratchRNN": "class ScratchRNN(nn.Module):\n    pass\n"},
                {"ScratchRNN": "ScratchRNN.__init__ = nn.RNN.__init__\nScratchRNN.forward = nn.RNN.forward\n"},
            ),
            wraps,
        ),
        "c1_library_alias": (
            submission(SCRATCH, {"ScratchRNN": "lib = nn\nclass ScratchRNN(lib.RNN):\n    pass\n"}),
            wraps,
        ),
        "c1_pattern_matching_capture": (
            submission(SCRATCH, {"ScratchRNN": "match nn:\n    case object(RNN=found):\n        ScratchRNN = found\n"}),
            wraps,
        ),
        "c1_fused_kernel_tables": (
            submission(
                SCRATCH,
                {"ScratchRNN": scratch("return torch._VF.rnn_tanh(x, h0, [], True, 1, 0.0, False, False, False)")},
            ),
            wraps,
        ),
        "c1_operator_registry": (
            submission(
                SCRATCH,
                {"ScratchRNN": scratch("return torch.ops.aten.rnn_tanh(x, h0, [], True, 1, 0.0, False, False, False)")},
            ),
            wraps,
        ),
        "c1_dynamic_lookup_on_self": (
            submission(SCRATCH, {"ScratchRNN": scratch("return getattr(self, '_' + '_class__')")}),
            wraps,
        ),
        "c1_twin_cell_from_torch": (submission(SCRATCH, {"rnn_cell": CELL_FROM_TORCH}), cell_from_torch),
        "c1_cell_by_string": (
            submission(
                SCRATCH, {"rnn_cell": CELL_FROM_TORCH.replace("torch.rnn_tanh_cell", 'getattr(torch, "rnn_tanh_cell")')}
            ),
            cell_from_torch,
        ),
        # 2. Helpers beside the learner's code.
        "c2_twin_no_autograd": (submission(SCRATCH, {"ScratchRNN": NO_AUTOGRAD}), no_autograd),
        "c2_rebinds_the_gradient_helper": (
            submission(SCRATCH, {"ScratchRNN": NO_AUTOGRAD}, {"gradients_helper": GRADIENTS_FROM_TORCH}),
            no_autograd,
        ),
        "c2_reaches_the_helpers_through_gc": (
            submission(
                SCRATCH,
                {"ScratchRNN": NO_AUTOGRAD},
                {
                    "gradients_helper": GRADIENTS_FROM_TORCH
                    + "import gc\nfor space in gc.get_objects():\n"
                    + "    if isinstance(space, dict) and 'gradients_of' in space:\n"
                    + "        space['rnn_gradients'] = space['gradients_of'] = rnn_gradients\n"
                },
            ),
            no_autograd,  # the loop never runs; the helpers run only beside code that keeps to the rule
        ),
        "c2_patches_autograd_from_a_method": (
            submission(
                SCRATCH,
                {
                    "ScratchRNN": NO_AUTOGRAD.replace(
                        "        super().__init__()\n",
                        "        super().__init__()\n        torch.autograd.grad = lambda outputs, inputs: [0 * i for i in inputs]\n",
                    )
                },
            ),
            wraps,
        ),
        "c2_default_argument_reaches_a_namespace": (
            submission(
                SCRATCH, {"ScratchRNN": scratch("return x").replace("h0=None", "h0=None, grab=torch.autograd.__dict__")}
            ),
            wraps,
        ),
        "c2_gc_inside_a_method": (
            submission(SCRATCH, {"ScratchRNN": scratch("import gc\n        return gc.get_objects()")}),
            wraps,
        ),
        "c2_gradients_that_answer_torch": (
            submission(SCRATCH, {"ScratchRNN": NO_AUTOGRAD}, {"gradients_helper": ZERO_HANDLES}),
            no_autograd,
        ),
        # 4. Replies that are not data.
        "c4_rewrites_its_own_encoder": (
            submission(
                SCRATCH,
                {
                    "count_parameters": "def count_parameters(input_size, hidden_size, num_layers=1, bias=True):\n"
                    "    import sys\n    sys.modules['rnncourse.grading.wire'].encode = lambda *a, **k: {'t': 'nonsense'}\n"
                    "    return 0\n"
                },
            ),
            no_count,
        ),
        "c4_a_shape_too_large_to_allocate": (
            submission(
                SCRATCH,
                {
                    "count_parameters": "def count_parameters(input_size, hidden_size, num_layers=1, bias=True):\n"
                    "    return torch.empty(2**39, 2**39, device='meta')\n"
                },
            ),
            no_count,
        ),
        # 6. Hidden inputs carried into feedback.
        "c6_echoes_hidden_inputs": (
            submission(
                SCRATCH,
                {
                    "count_parameters": SCRATCH_REFERENCE["count_parameters"].replace(
                        '    """\n',
                        '    """\n    if (input_size, hidden_size) not in [(4, 2), (1, 10)]:\n'
                        "        raise ValueError(f'HIDDEN-INPUT {input_size} {hidden_size} {num_layers}')\n",
                        1,
                    )
                },
            ),
            no_count,
        ),
    }


def torch_class() -> dict[str, tuple[object, float]]:
    """student -> (notebook, exact expected score), assignment 03."""
    return {
        "honest": (submission(TORCH, {}), TORCH.points),
        # 2. Helpers beside the learner's code.
        "c2_twin_always_cpu": (
            submission(TORCH, {"pick_device": ALWAYS_CPU}),
            points_without(TORCH, "test_pick_device"),
        ),
        "c2_reaches_the_simulated_machine_through_gc": (
            submission(
                TORCH,
                {"pick_device": ALWAYS_CPU},
                {
                    "simulated_machine": "import gc\nfake = lambda cuda, mps: torch.device('cuda' if cuda else 'mps' if mps else 'cpu')\n"
                    "for space in gc.get_objects():\n    if isinstance(space, dict) and 'pick_device_on' in space:\n"
                    "        dict.__setitem__(space, 'pick_device_on', fake)\n"
                },
            ),
            points_without(TORCH, "test_pick_device"),
        ),
        "c2_rebinds_the_simulated_machine": (
            submission(
                TORCH,
                {"pick_device": ALWAYS_CPU},
                {
                    "simulated_machine": 'pick_device_on = lambda cuda, mps: torch.device("cuda" if cuda else "mps" if mps else "cpu")\n'
                },
            ),
            points_without(TORCH, "test_pick_device"),
        ),
        "c2_reads_the_simulation_from_frames": (
            submission(
                TORCH,
                {
                    "pick_device": "def pick_device():\n    import sys\n    frame = sys._getframe(1)\n"
                    "    wanted = 'cuda' if frame.f_locals.get('cuda') else 'mps' if frame.f_locals.get('mps') else 'cpu'\n"
                    "    return torch.device(wanted)\n"
                },
            ),
            points_without(TORCH, "test_pick_device"),
        ),
        "c2_tells_the_simulation_apart": (
            submission(
                TORCH,
                {
                    "pick_device": "def pick_device():\n    if torch.cuda.is_available.__module__ != 'torch.cuda':\n"
                    "        return torch.device('cuda')\n    return torch.device('cpu')\n"
                },
            ),
            points_without(TORCH, "test_pick_device"),
        ),
        # 3. Claims about the learner's own work.
        "c3_twin_reads_the_first_step": (
            submission(TORCH, {"SequenceClassifier": FIRST_STEP}),
            points_without(TORCH, "test_SequenceClassifier"),
        ),
        "c3_zero_weights_hide_the_first_step": (
            submission(
                TORCH,
                {
                    "SequenceClassifier": FIRST_STEP.replace(
                        "self.head = nn.Linear(hidden_size, num_classes)\n",
                        "self.head = nn.Linear(hidden_size, num_classes)\n"
                        "        for p in self.parameters():\n            nn.init.zeros_(p)\n",
                    )
                },
            ),
            points_without(TORCH, "test_SequenceClassifier"),
        ),
        "c3_twin_stays_on_cpu": (submission(TORCH, {"run_rnn": RUN_ON_CPU}), points_without(TORCH, "test_run_rnn")),
        "c3_empty_tensors_on_meta": (
            submission(
                TORCH,
                {
                    "run_rnn": "def run_rnn(rnn, x, device):\n    if device.type == 'meta':\n"
                    "        return torch.empty(0, device='meta'), torch.empty(0, device='meta')\n    return rnn(x)\n"
                },
            ),
            points_without(TORCH, "test_run_rnn"),
        ),
        "c6_prints_hidden_inputs_from_a_course_cell": (
            submission(
                TORCH,
                {
                    "pick_device": TORCH_REFERENCE["pick_device"]
                    + "\nget_ipython().events.register('post_run_cell', lambda result: print('HIDDEN' + '-INPUTS', result.info.raw_cell[:40]))\n"
                },
            ),
            TORCH.points,
        ),
        "c3_twin_barely_trains": (
            submission(TORCH, {"train_hihello": UNTRAINED}),
            points_without(TORCH, "test_train_hihello"),
        ),
        "c3_reports_losses_without_training": (
            submission(TORCH, {"train_hihello": MEMORISED}),
            points_without(TORCH, "test_train_hihello"),
        ),
    }


@pytest.fixture(scope="module", params=[(SCRATCH, scratch_class), (TORCH, torch_class)], ids=["02", "03"])
def graded(request, root, tmp_path_factory):
    assignment, make_class = request.param
    students = make_class()
    course = TrialCourse(root, tmp_path_factory.mktemp(assignment.name), [assignment])
    for student, (notebook, _) in students.items():
        course.submit_notebook(student, assignment.name, notebook)
    grading = ["--SealedExecute.cell_timeout=60", f"--SealedExecute.sandbox_uid={HOSTILE_UID}"]
    course.nbgrader("autograde", assignment.name, *grading)
    course.nbgrader("generate_feedback", assignment.name)
    return course, students


def test_each_hostile_answer_scores_exactly_its_honest_twin(graded):
    course, students = graded
    scores = {student: score for (student, _), score in course.scores().items()}
    assert scores == {student: float(score) for student, (_, score) in students.items()}


def test_feedback_shows_nothing_a_learner_printed_beside_a_course_cell(graded):
    course, _ = graded
    pages = list((course.path / "feedback").rglob("*.html"))
    assert pages and not [page for page in pages if "HIDDEN-INPUTS" in page.read_text()]


def test_feedback_quotes_nothing_the_learners_code_made_of_hidden_inputs(graded):
    course, _ = graded
    pages = list((course.path / "feedback").rglob("*.html"))
    # The learner's own source (``f'HIDDEN-INPUT {input_size} ...'``) is on the page; a value it made is not.
    assert pages and not [page for page in pages if re.search(r"HIDDEN-INPUT \d", page.read_text())]
