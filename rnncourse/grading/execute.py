"""nbgrader's Execute step, sandboxed, guarded and unbreakable by one notebook."""

from __future__ import annotations

import json

from jupyter_core.utils import run_sync
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from rnncourse.grading.sandbox import SandboxedKernelManager


def _error(ename: str, evalue: str):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class SandboxedExecute(Execute):
    """Execute each notebook in a :class:`SandboxedKernelManager` kernel.

    - outputs beyond ``max_output_chars`` are dropped, with a note;
    - if the kernel dies or stops answering, the cell that was running and every later
      code cell get an error output saying why, so their tests score 0 and the tests that
      already passed keep their points; the batch goes on with the next notebook.
    """

    max_output_chars = Integer(1_000_000, config=True, help="Output characters kept per notebook.")

    def create_kernel_manager(self):
        self.kernel_manager_class = SandboxedKernelManager
        return super().create_kernel_manager()

    def preprocess(self, nb, resources=None, km=None):
        self._output_chars, self._truncated, self._stopped = 0, False, None
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self._stopped is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("NotRun", f"not run: {self._stopped}")]
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except Exception as error:  # a dead or unresponsive kernel ends this notebook only
            self._stopped = f"the kernel stopped during cell {index} ({type(error).__name__})"
            self.log.error("Grading stopped early: %s", self._stopped)
            cell.outputs.append(_error("KernelStopped", f"{self._stopped}: it crashed, exited, ran out "
                                                        "of memory or time, or stopped answering"))
            run_sync(self.km.shutdown_kernel)(now=True)
            return cell, self.resources

    def output(self, outs, msg, display_id, cell_index):
        self._output_chars += len(json.dumps(msg.get("content", {})))
        if self._output_chars <= self.max_output_chars:
            return super().output(outs, msg, display_id, cell_index)
        if not self._truncated:
            self._truncated = True
            outs.append(new_output("stream", name="stdout", text="[more output was dropped: over the grader's limit]\n"))
        return None
