"""Runs inside every grading kernel before the notebook: keeps test cells honest.

At start-up it records the modules the tests compare with (``torch``, ``numpy``,
``math``, ``builtins``) and the names that bind them in the notebook. Every test cell
begins with ``__rnn_basics_guard__()``, which puts all of that back: a submission that
replaced ``torch.allclose``, ``np.allclose``, a tensor method or the name ``torch``
itself gets the originals in the tests.
"""

import builtins
import math
import sys

import numpy
import torch


def _install():
    modules = (torch, torch.nn, torch.nn.functional, numpy, math, builtins)
    module_dicts = {module: dict(vars(module)) for module in modules}
    classes = (torch.Tensor, torch.nn.Module)
    class_dicts = {cls: dict(vars(cls)) for cls in classes}
    module_table = {module.__name__: module for module in modules}
    bindings = {"torch": torch, "np": numpy, "nn": torch.nn, "math": math}

    def guard():
        for module, snapshot in module_dicts.items():
            vars(module).update(snapshot)
        for cls, snapshot in class_dicts.items():
            for name in [n for n in vars(cls) if n not in snapshot]:
                delattr(cls, name)
            for name, value in snapshot.items():
                if name not in ("__dict__", "__weakref__", "__doc__") and vars(cls).get(name) is not value:
                    setattr(cls, name, value)
        sys.modules.update(module_table)
        namespace = get_ipython().user_ns  # noqa: F821  (defined inside an IPython kernel)
        for name, module in bindings.items():
            if name in namespace:
                namespace[name] = module

    module_dicts[builtins]["__rnn_basics_guard__"] = guard
    builtins.__rnn_basics_guard__ = guard


_install()
del _install
