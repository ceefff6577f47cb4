"""The plain-data format that crosses the sandbox boundary, and its framing.

Requests (grader -> sandbox) are pickles: the grader is trusted, the sandbox may read anything.
Replies (sandbox -> grader) are JSON trees in which a few tagged objects stand for what JSON
lacks (tuples, tensors, arrays, devices, handles, errors). :func:`encode` runs in the sandbox,
where the learner controls everything, so :func:`decode` trusts nothing: it checks every tag,
type, size and depth and builds only plain Python, NumPy and torch values. Nothing from the
sandbox is ever unpickled, imported or executed by the grader.

Frames are an 8-byte big-endian length and a body; the reader refuses a body over its limit
before reading it.
"""

from __future__ import annotations

import base64
import json
import math
import os
import select
import struct
import time

import numpy as np
import torch

HEADER = struct.Struct(">Q")
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_TEXT = 4_000  # characters kept of an error message or traceback
MAX_ELEMENTS = 2**27  # of a tensor or array, on any device, meta included
DTYPES = {  # name -> (torch dtype, NumPy dtype the bytes are read as)
    "float64": (torch.float64, np.float64),
    "float32": (torch.float32, np.float32),
    "float16": (torch.float16, np.float16),
    "bfloat16": (torch.bfloat16, np.int16),
    "complex64": (torch.complex64, np.complex64),
    "complex128": (torch.complex128, np.complex128),
    "int64": (torch.int64, np.int64),
    "int32": (torch.int32, np.int32),
    "int16": (torch.int16, np.int16),
    "int8": (torch.int8, np.int8),
    "uint8": (torch.uint8, np.uint8),
    "bool": (torch.bool, np.bool_),
}
TORCH_DTYPE_NAMES = {torch_dtype: name for name, (torch_dtype, _) in DTYPES.items()}
NUMPY_DTYPES = {
    np.dtype(t).str
    for t in (
        np.float64,
        np.float32,
        np.float16,
        np.complex64,
        np.complex128,
        np.int64,
        np.int32,
        np.int16,
        np.int8,
        np.uint8,
        np.bool_,
    )
}
DEVICE_TYPES = ("cpu", "meta", "cuda", "mps")


class WireError(Exception):
    """A reply that is not well-formed data: the sandbox broke the protocol."""


# ---------------------------------------------------------------- framing


def write_frame(fd: int, body: bytes, deadline: float | None = None) -> None:
    """Write one frame; with a deadline (and ``fd`` non-blocking), TimeoutError past it."""
    view = memoryview(HEADER.pack(len(body)) + body)
    while view:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([], [fd], [], wait)[1]:
                raise TimeoutError
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            continue


def read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    """``size`` bytes from ``fd``; TimeoutError past ``deadline``, EOFError if the writer is gone."""
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, limit: int, deadline: float | None = None) -> bytes:
    (size,) = HEADER.unpack(read_exactly(fd, HEADER.size, deadline))
    if size > limit:
        raise WireError(f"a reply of {size} bytes is over the limit of {limit}")
    return read_exactly(fd, size, deadline)


# ---------------------------------------------------------------- sandbox side


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def encode_tensor(value: torch.Tensor) -> dict:
    tensor = torch.Tensor.detach(value)
    node = {
        "t": "tensor",
        "dtype": TORCH_DTYPE_NAMES.get(tensor.dtype),
        "shape": list(tensor.shape),
        "device": tensor.device.type,
        "grad": bool(value.requires_grad),
    }
    if node["dtype"] is None:
        raise TypeError(f"tensors of dtype {tensor.dtype} cannot be sent")
    if tensor.device.type != "meta":
        tensor = tensor.cpu().contiguous()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.view(torch.int16)
        node["data"] = _b64(tensor.numpy().tobytes())
    return node


def encode(value, handle, depth: int = 0):
    """``value`` as a JSON tree; ``handle(obj)`` names an object that is not plain data."""
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        value = float(value)
        return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
    if isinstance(value, complex):
        return {"t": "complex", "re": encode(value.real, handle), "im": encode(value.imag, handle)}
    if isinstance(value, bytes):
        return {"t": "bytes", "data": _b64(bytes(value))}
    if isinstance(value, torch.Tensor):
        return encode_tensor(value)
    if isinstance(value, torch.Size):
        return {"t": "size", "v": [int(n) for n in value]}
    if isinstance(value, torch.device):
        return {"t": "device", "type": value.type, "index": value.index}
    if isinstance(value, torch.dtype):
        return {"t": "dtype", "name": TORCH_DTYPE_NAMES.get(value, str(value))}
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.str not in NUMPY_DTYPES:
            return {"t": "handle", **handle(value)}
        return {
            "t": "ndarray" if isinstance(value, np.ndarray) else "npscalar",
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "data": _b64(np.ascontiguousarray(array).tobytes()),
        }
    if isinstance(value, (list, tuple)):
        items = [encode(item, handle, depth + 1) for item in value]
        return items if isinstance(value, list) else {"t": "tuple", "v": items}
    if isinstance(value, dict):
        return {
            "t": "dict",
            "items": [[encode(k, handle, depth + 1), encode(v, handle, depth + 1)] for k, v in value.items()],
        }
    return {"t": "handle", **handle(value)}


def encode_error(error: BaseException, trace: str) -> dict:
    return {
        "t": "raised",
        "mro": [cls.__name__ for cls in type(error).__mro__][:32],
        "message": str(error)[:MAX_TEXT],
        "trace": trace[-MAX_TEXT:],
    }


def dumps(tree) -> bytes:
    return json.dumps(tree, separators=(",", ":")).encode()


# ---------------------------------------------------------------- grader side


class _Decoder:
    def __init__(self, make_handle, make_error, error_reply: bool):
        self.make_handle, self.make_error, self.nodes = make_handle, make_error, 0
        self.error_reply = error_reply  # an error may stand only at the top of an error reply

    def text(self, node, limit: int = MAX_TEXT) -> str:
        if not isinstance(node, str):
            raise WireError("expected text")
        return node[:limit]

    def ints(self, node) -> list[int]:
        if not isinstance(node, list) or not all(type(n) is int and 0 <= n < 2**40 for n in node) or len(node) > 32:
            raise WireError("expected a shape")
        if math.prod(node) > MAX_ELEMENTS:  # a test may compute with it: the grader never allocates more
            raise WireError(f"a shape of more than {MAX_ELEMENTS} elements")
        return node

    def raw(self, node, dtype, shape) -> np.ndarray:
        data = base64.b64decode(self.text(node, limit=1 << 40), validate=True)
        count = math.prod(shape)
        if len(data) != count * np.dtype(dtype).itemsize:
            raise WireError("array data does not match its shape")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()

    def tensor(self, node) -> torch.Tensor:
        if node.get("dtype") not in DTYPES or node.get("device") not in DEVICE_TYPES:
            raise WireError("unknown tensor dtype or device")
        torch_dtype, numpy_dtype = DTYPES[node["dtype"]]
        shape = self.ints(node.get("shape"))
        if node["device"] == "meta":
            tensor = torch.empty(shape, dtype=torch_dtype, device="meta")
        else:
            tensor = torch.from_numpy(self.raw(node.get("data"), numpy_dtype, shape))
            if torch_dtype == torch.bfloat16:
                tensor = tensor.view(torch.bfloat16)
            if node["device"] != "cpu":
                tensor = tensor.to(node["device"])
        if node.get("grad") is True and (tensor.is_floating_point() or tensor.is_complex()):
            tensor.requires_grad_(True)
        return tensor

    def __call__(self, node, depth: int = 0):
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise WireError("reply nested too deeply or too large")
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is list:
            return [self(item, depth + 1) for item in node]
        if type(node) is not dict:
            raise WireError("unexpected JSON value")
        tag = node.get("t")
        if tag == "tuple" and type(node.get("v")) is list:
            return tuple(self(item, depth + 1) for item in node["v"])
        if tag == "dict" and type(node.get("items")) is list:
            pairs = [self(pair, depth + 1) for pair in node["items"]]
            if not all(len(pair) == 2 for pair in pairs):
                raise WireError("bad dict item")
            try:
                return dict(pairs)
            except TypeError as error:
                raise WireError("unhashable dict key") from error
        if tag == "float" and node.get("v") in ("nan", "inf", "-inf"):
            return float(node["v"])
        if tag == "complex":
            return complex(self(node.get("re"), depth + 1), self(node.get("im"), depth + 1))
        if tag == "bytes":
            return base64.b64decode(self.text(node.get("data"), limit=1 << 40), validate=True)
        if tag == "tensor":
            return self.tensor(node)
        if tag == "size":
            return torch.Size(self.ints(node.get("v")))
        if (
            tag == "device"
            and node.get("type") in DEVICE_TYPES
            and (node.get("index") is None or type(node["index"]) is int)
        ):
            return (
                torch.device(node["type"], node["index"]) if node["index"] is not None else torch.device(node["type"])
            )
        if tag == "dtype" and node.get("name") in DTYPES:
            return DTYPES[node["name"]][0]
        if tag in ("ndarray", "npscalar") and node.get("dtype") in NUMPY_DTYPES:
            array = self.raw(node.get("data"), np.dtype(node["dtype"]), self.ints(node.get("shape")))
            return array if tag == "ndarray" else array[()]
        if tag == "handle" and type(node.get("id")) is int:
            return self.make_handle(node["id"], self.text(node.get("type", "object"), limit=100))
        if tag == "raised" and type(node.get("mro")) is list and depth == 0 and self.error_reply:
            return self.make_error(
                [self.text(n, limit=100) for n in node["mro"][:32]],
                self.text(node.get("message", "")),
                self.text(node.get("trace", "")),
            )
        raise WireError(f"unknown tag {str(tag)[:40]!r}")


def decode_reply(body: bytes, make_handle, make_error) -> tuple[str, object]:
    """A reply ``{"ok": value}`` or ``{"err": error}`` as ``(status, value)``; values are built
    from the tree, handles and errors by the given factories."""
    try:
        reply = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise WireError("a reply that is not JSON") from error
    if type(reply) is not dict or len(reply) != 1 or next(iter(reply)) not in ("ok", "err"):
        raise WireError("a reply that is neither a result nor an error")
    ((status, tree),) = reply.items()
    try:
        value = _Decoder(make_handle, make_error, error_reply=status == "err")(tree)
    except WireError:
        raise
    except Exception as error:  # whatever the tree holds, a malformed reply is only that call's error
        raise WireError(f"malformed reply: {type(error).__name__}") from error
    if status == "err" and not isinstance(value, BaseException):
        raise WireError("an error reply that holds no error")
    return status, value
