"""Hostile answers to the checks themselves, graded with the plain `nbgrader autograde`.

test_hostile_class.py attacks the grader; these students attack what the test cells take on
trust. Each is built on an honest twin that makes the same mistake openly, and must score
exactly what the twin scores:

7. source rules dodged through another cell, a string, a magic, exec or a global;
8. course helpers on the learner's side rebound or bypassed (gradients, simulated machines);
9. claims the learner makes about their own work: weights the check is computed from,
   tensors that only look as if they were on a device, losses reported without training;
10. protocol hooks that libraries look up on a learner's object (``__torch_function__``).
"""

from __future__ import annotations

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
    no_rule_passes = points_without(
        SCRATCH, "test_rnn_cell", "test_rnn_layer", "test_ScratchRNN_parameters", *gradients
    )
    return {
        "honest": (submission(SCRATCH, {}), SCRATCH.points),
        "honest_with_blank_lines_and_a_magic_free_style": (
            submission(
                SCRATCH, {name: "\n\n# my answer\n" + code + "\n\n" for name, code in SCRATCH_REFERENCE.items()}
            ),
            SCRATCH.points,
        ),
        # 7. Source rules.
        "c7_twin_wraps_torch": (submission(SCRATCH, {"ScratchRNN": WRAPS_TORCH}), wraps),
        "c7_alias_by_string": (submission(SCRATCH, {"ScratchRNN": 'ScratchRNN = getattr(nn, "RNN")\n'}), wraps),
        "c7_getattr_by_another_name": (
            submission(SCRATCH, {"ScratchRNN": 'find = getattr\nScratchRNN = find(nn, "R" + "NN")\n'}),
            wraps,
        ),
        "c7_prompt_hides_a_binding": (
            submission(
                SCRATCH,
                {"ScratchRNN": "class ScratchRNN:\n    pass\n"},
                {"ScratchRNN": "In [1]: ScratchRNN = nn.RNN\n"},
            ),
            wraps,
        ),
        "c7_getattr_on_a_lambdas_self": (
            submission(SCRATCH, {"ScratchRNN": "ScratchRNN = (lambda self: getattr(self, 'R' + 'NN'))(nn)\n"}),
            wraps,
        ),
        "c7_getattr_as_a_value": (
            submission(
                SCRATCH, {"ScratchRNN": "import functools\nScratchRNN = functools.reduce(getattr, ['R' + 'NN'], nn)\n"}
            ),
            wraps,
        ),
        "c7_patches_the_library": (
            submission(
                SCRATCH,
                {"ScratchRNN": "class ScratchRNN(nn.Identity):\n    pass\n"},
                {"imports": "nn.Identity = nn.RNN\n"},
            ),
            no_rule_passes,  # the change comes before every rule, and each of them sees it
        ),
        "c7_alias_in_another_cell": (
            submission(
                SCRATCH, {"ScratchRNN": "class Mine(nn.RNN):\n    pass\n"}, {"ScratchRNN": "ScratchRNN = Mine\n"}
            ),
            wraps,
        ),
        "c7_rebinds_itself": (
            submission(SCRATCH, {"ScratchRNN": WRAPS_TORCH}, {"ScratchRNN": "ScratchRNN = ScratchRNN\n"}),
            wraps,
        ),
        "c7_cell_magic": (submission(SCRATCH, {"ScratchRNN": "%%capture\n" + WRAPS_TORCH}), wraps),
        "c7_exec_after_an_honest_cell": (
            submission(SCRATCH, {}, {"ScratchRNN": 'exec("class ScratchRNN(nn.RNN):\\n    pass")\n'}),
            wraps,
        ),
        "c7_global_from_a_function": (
            submission(
                SCRATCH, {}, {"ScratchRNN": "def swap():\n    global ScratchRNN\n    ScratchRNN = nn.RNN\nswap()\n"}
            ),
            wraps,
        ),
        "c7_twin_cell_from_torch": (submission(SCRATCH, {"rnn_cell": CELL_FROM_TORCH}), cell_from_torch),
        "c7_cell_by_string": (
            submission(
                SCRATCH, {"rnn_cell": CELL_FROM_TORCH.replace("torch.rnn_tanh_cell", 'getattr(torch, "rnn_tanh_cell")')}
            ),
            cell_from_torch,
        ),
        # 8. Helpers on the learner's side.
        "c8_twin_no_autograd": (submission(SCRATCH, {"ScratchRNN": NO_AUTOGRAD}), no_autograd),
        "c8_rebinds_the_gradient_helper": (
            submission(SCRATCH, {"ScratchRNN": NO_AUTOGRAD}, {"gradients_helper": GRADIENTS_FROM_TORCH}),
            no_autograd,
        ),
        "c8_reaches_the_helpers_through_gc": (
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
            wraps,  # the ScratchRNN rule refuses code that reaches into namespaces (gc, exec, magics)
        ),
        # 10. Protocol hooks.
        "c10_gradients_that_answer_torch": (
            submission(SCRATCH, {"ScratchRNN": NO_AUTOGRAD}, {"gradients_helper": ZERO_HANDLES}),
            no_autograd,
        ),
    }


def torch_class() -> dict[str, tuple[object, float]]:
    """student -> (notebook, exact expected score), assignment 03."""
    return {
        "honest": (submission(TORCH, {}), TORCH.points),
        # 8. Helpers on the learner's side.
        "c8_twin_always_cpu": (
            submission(TORCH, {"pick_device": ALWAYS_CPU}),
            points_without(TORCH, "test_pick_device"),
        ),
        "c8_reaches_the_helpers_through_gc": (
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
        "c8_rebinds_the_simulated_machine": (
            submission(
                TORCH,
                {"pick_device": ALWAYS_CPU},
                {
                    "simulated_machine": 'pick_device_on = lambda cuda, mps: torch.device("cuda" if cuda else "mps" if mps else "cpu")\n'
                },
            ),
            points_without(TORCH, "test_pick_device"),
        ),
        # 9. Claims about the learner's own work.
        "c9_twin_reads_the_first_step": (
            submission(TORCH, {"SequenceClassifier": FIRST_STEP}),
            points_without(TORCH, "test_SequenceClassifier"),
        ),
        "c9_zero_weights_hide_the_first_step": (
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
        "c9_twin_stays_on_cpu": (submission(TORCH, {"run_rnn": RUN_ON_CPU}), points_without(TORCH, "test_run_rnn")),
        "c9_empty_tensors_on_meta": (
            submission(
                TORCH,
                {
                    "run_rnn": "def run_rnn(rnn, x, device):\n    if device.type == 'meta':\n"
                    "        return torch.empty(0, device='meta'), torch.empty(0, device='meta')\n    return rnn(x)\n"
                },
            ),
            points_without(TORCH, "test_run_rnn"),
        ),
        "c9_prints_hidden_inputs_from_a_course_cell": (
            submission(
                TORCH,
                {
                    "pick_device": TORCH_REFERENCE["pick_device"]
                    + "\nget_ipython().events.register('post_run_cell', lambda result: print('HIDDEN' + '-INPUTS', result.info.raw_cell[:40]))\n"
                },
            ),
            TORCH.points,
        ),
        "c9_twin_barely_trains": (
            submission(TORCH, {"train_hihello": UNTRAINED}),
            points_without(TORCH, "test_train_hihello"),
        ),
        "c9_reports_losses_without_training": (
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
