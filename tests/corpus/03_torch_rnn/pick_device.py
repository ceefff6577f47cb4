# Learner answers for pick_device. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: checks imported by name
from torch.cuda import is_available as cuda_is_available
from torch.backends.mps import is_available as mps_is_available


def pick_device():
    if cuda_is_available():
        return torch.device("cuda")
    return torch.device("mps" if mps_is_available() else "cpu")

# correct: torch.accelerator, asked whether its device is there
def pick_device():
    accelerator = torch.accelerator.current_accelerator(check_available=True)
    return accelerator if accelerator is not None else torch.device("cpu")

# correct: device_count and MPS's is_built
def pick_device():
    if torch.cuda.device_count() > 0:
        return torch.device("cuda")
    if torch.backends.mps.is_built() and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")

# mistake: a string, not a torch.device
def pick_device():
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"

# mistake: mps before cuda
def pick_device():
    if torch.backends.mps.is_available():
        return torch.device("mps")
    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")

# mistake: mps never considered
def pick_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")

# mistake: always the CPU
def pick_device():
    return torch.device("cpu")

# mistake: whether CUDA and MPS support is built, not whether a device is there
# says: on a simulated machine with a CUDA build with no CUDA device and no MPS
def pick_device():
    if torch.backends.cuda.is_built():
        return torch.device("cuda")
    if torch.backends.mps.is_built():
        return torch.device("mps")
    return torch.device("cpu")

# mistake: the accelerator PyTorch was built for
def pick_device():
    accelerator = torch.accelerator.current_accelerator()
    return accelerator if accelerator is not None else torch.device("cpu")

# mistake: CUDA by availability, MPS by its build
def pick_device():
    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("mps" if torch.backends.mps.is_built() else "cpu")

# mistake: any accelerator at all, then the build decides which
def pick_device():
    if not torch.accelerator.is_available():
        return torch.device("cpu")
    return torch.device("cuda" if torch.backends.cuda.is_built() else "mps")

# correct: torch.mps and device_count
def pick_device():
    if torch.cuda.device_count():
        return torch.device("cuda")
    if torch.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
