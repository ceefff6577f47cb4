# Learner answers for bptt_batches. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: d2l's sequential partitioning without the random offset
def bptt_batches(data, batch_size, num_steps):
    num_tokens = ((len(data) - 1) // batch_size) * batch_size
    xs = data[:num_tokens].reshape(batch_size, -1)
    ys = data[1 : num_tokens + 1].reshape(batch_size, -1)
    num_batches = xs.shape[1] // num_steps
    batches = []
    for i in range(0, num_steps * num_batches, num_steps):
        batches.append((xs[:, i : i + num_steps], ys[:, i : i + num_steps]))
    return batches

# correct: rows stacked by hand, then cut into windows
def bptt_batches(data, batch_size, num_steps):
    L = (len(data) - 1) // batch_size
    rows = torch.stack([data[b * L : (b + 1) * L] for b in range(batch_size)]) if L else data.new_zeros(batch_size, 0)
    after = torch.stack([data[b * L + 1 : (b + 1) * L + 1] for b in range(batch_size)]) if L else data.new_zeros(batch_size, 0)
    return [(rows[:, i * num_steps : (i + 1) * num_steps], after[:, i * num_steps : (i + 1) * num_steps]) for i in range(L // num_steps)]

# mistake: the targets are the inputs
# says: shifted by one
def bptt_batches(data, batch_size, num_steps):
    L = (len(data) - 1) // batch_size
    x = data[: batch_size * L].reshape(batch_size, L)
    return [(x[:, i : i + num_steps], x[:, i : i + num_steps]) for i in range(0, L - num_steps + 1, num_steps)]

# mistake: consecutive blocks, so rows do not continue from batch to batch
# says: row b of batch 1 continues row b of batch 0
def bptt_batches(data, batch_size, num_steps):
    size = batch_size * num_steps
    batches = []
    for start in range(0, len(data) - size, size):
        inputs = data[start : start + size].reshape(batch_size, num_steps)
        targets = data[start + 1 : start + size + 1].reshape(batch_size, num_steps)
        batches.append((inputs, targets))
    return batches

# mistake: the last, short batch kept
def bptt_batches(data, batch_size, num_steps):
    L = (len(data) - 1) // batch_size
    x = data[: batch_size * L].reshape(batch_size, L)
    y = data[1 : batch_size * L + 1].reshape(batch_size, L)
    return [(x[:, i : i + num_steps], y[:, i : i + num_steps]) for i in range(0, L, num_steps)]

# mistake: rows of len(data) // batch_size, one character too long for the targets
def bptt_batches(data, batch_size, num_steps):
    L = len(data) // batch_size
    x = data[: batch_size * L].reshape(batch_size, L)
    y = torch.cat([data[1 : batch_size * L], data[:1]]).reshape(batch_size, L)
    return [(x[:, i : i + num_steps], y[:, i : i + num_steps]) for i in range(0, L - num_steps + 1, num_steps)]

# mistake: the text laid out column by column
def bptt_batches(data, batch_size, num_steps):
    L = (len(data) - 1) // batch_size
    x = data[: batch_size * L].reshape(L, batch_size).T
    y = data[1 : batch_size * L + 1].reshape(L, batch_size).T
    return [(x[:, i : i + num_steps], y[:, i : i + num_steps]) for i in range(0, L - num_steps + 1, num_steps)]
