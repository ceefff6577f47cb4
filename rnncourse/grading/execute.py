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
    - if the kernel dies or stops answering, or ``max_timeouts`` cells time out, the cell
      that was running and every later code cell get an error output saying why, so their
      tests score 0, the tests that already passed keep their points, and the batch goes on.
    """

    max_output_chars = Integer(1_000_000, config=True, help="Output characters kept per notebook.")
    max_timeouts = Integer(2, config=True, help="Cells that may time out before the notebook is stopped.")

    def create_kernel_manager(self):
        self.kernel_manager_class = SandboxedKernelManager
        return super().create_kernel_manager()

    def preprocess(self, nb, resources=None, km=None):
        self._output_chars, self._truncated, self._stopped, self._timeouts = 0, False, None, 0
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self._stopped is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("NotRun", f"not run: {self._stopped}")]
            return cell, self.resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except Exception as error:  # a dead or unresponsive kernel ends this notebook only
            self._stop(cell, f"the kernel stopped during cell {index} ({type(error).__name__})")
            return cell, self.resources
        if any(o.output_type == "error" and o.ename == "CellTimeoutError" for o in cell.get("outputs", [])):
            self._timeouts += 1
            if self._timeouts >= self.max_timeouts:
                self._stop(cell, f"{self._timeouts} cells ran out of time")
        return cell, resources

    def _stop(self, cell, reason):
        self._stopped = reason
        self.log.error("Grading stopped early: %s", reason)
        cell.outputs.append(_error("KernelStopped", f"{reason}: the notebook crashed, exited, ran out of "
                                                    "memory or time, or stopped answering"))
        run_sync(self.km.shutdown_kernel)(now=True)

    def output(self, outs, msg, display_id, cell_index):
        self._output_chars += len(json.dumps(msg.get("content", {})))
        if self._output_chars <= self.max_output_chars:
            return super().output(outs, msg, display_id, cell_index)
        if not self._truncated:
            self._truncated = True
            outs.append(new_output("stream", name="stdout", text="[more output was dropped: over the grader's limit]\n"))
        return None
