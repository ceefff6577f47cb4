# Learner answers for one_hot. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: zeros, then a 1 per row
def one_hot(indices, num_classes):
    rows = np.zeros((len(indices), num_classes), dtype=np.float32)
    for row, index in enumerate(indices):
        if index < 0 or index >= num_classes:
            raise ValueError(f"bad index {index}")
        rows[row, index] = 1
    return rows

# correct: PyTorch's one_hot, converted to NumPy
def one_hot(indices, num_classes):
    bad = [i for i in indices if not 0 <= i < num_classes]
    if bad:
        raise ValueError(f"indices {bad} are not below {num_classes} and non-negative")
    encoded = torch.nn.functional.one_hot(torch.tensor(indices, dtype=torch.long), num_classes)
    return encoded.numpy().astype(np.float32)

# mistake: float64 rows
def one_hot(indices, num_classes):
    for index in indices:
        if not 0 <= index < num_classes:
            raise ValueError(f"index {index} out of range")
    return np.eye(num_classes)[indices]

# mistake: negative indices wrap around
def one_hot(indices, num_classes):
    for index in indices:
        if index >= num_classes:
            raise ValueError(f"index {index} out of range")
    return np.eye(num_classes, dtype=np.float32)[indices]

# mistake: an index equal to num_classes passes the check
def one_hot(indices, num_classes):
    rows = np.zeros((len(indices), num_classes + 1), dtype=np.float32)
    for row, index in enumerate(indices):
        if index < 0 or index > num_classes:
            raise ValueError(f"index {index} out of range")
        rows[row, index] = 1
    return rows[:, :num_classes]

# mistake: the message does not name the index
def one_hot(indices, num_classes):
    if any(not 0 <= index < num_classes for index in indices):
        raise ValueError("an index is out of range")
    return np.eye(num_classes, dtype=np.float32)[indices]

# mistake: stacking rows fails for an empty list
def one_hot(indices, num_classes):
    rows = []
    for index in indices:
        if not 0 <= index < num_classes:
            raise ValueError(f"index {index} out of range")
        rows.append(np.eye(num_classes, dtype=np.float32)[index])
    return np.stack(rows)

# mistake: only the last index checked
def one_hot(indices, num_classes):
    if indices and not 0 <= indices[-1] < num_classes:
        raise ValueError(f"index {indices[-1]} is outside [0, {num_classes})")
    return np.eye(num_classes, dtype=np.float32)[list(indices)].reshape(len(indices), num_classes)

# mistake: only the first index checked
def one_hot(indices, num_classes):
    if indices and not 0 <= indices[0] < num_classes:
        raise ValueError(f"index {indices[0]} is outside [0, {num_classes})")
    return np.eye(num_classes, dtype=np.float32)[list(indices)].reshape(len(indices), num_classes)

# mistake: the message names the largest index, not the bad one
def one_hot(indices, num_classes):
    if any(not 0 <= index < num_classes for index in indices):
        raise ValueError(f"index {max(indices)} is outside [0, {num_classes})")
    return np.eye(num_classes, dtype=np.float32)[list(indices)].reshape(len(indices), num_classes)

# mistake: every call refused
def one_hot(indices, num_classes):
    raise ValueError(f"index {indices} is outside [0, {num_classes})")
