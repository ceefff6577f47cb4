# Learner answers for decode. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: argmax in PyTorch
def decode(batch, vocab):
    index_to_char = {i: ch for ch, i in vocab.items()}
    indices = torch.as_tensor(batch).detach().argmax(dim=-1)
    return ["".join(index_to_char[i] for i in row) for row in indices.tolist()]

# correct: characters sorted by index
def decode(batch, vocab):
    chars = sorted(vocab, key=vocab.get)
    if isinstance(batch, torch.Tensor):
        batch = batch.detach().cpu().numpy()
    words = []
    for word_scores in batch:
        words.append("".join(chars[int(np.argmax(step))] for step in word_scores))
    return words

# mistake: the position in the dict instead of the index
def decode(batch, vocab):
    chars = list(vocab)
    if isinstance(batch, torch.Tensor):
        batch = batch.detach().cpu().numpy()
    return ["".join(chars[i] for i in row) for row in batch.argmax(axis=-1)]

# mistake: a tensor that requires grad is given to NumPy
def decode(batch, vocab):
    index_to_char = {i: ch for ch, i in vocab.items()}
    return ["".join(index_to_char[int(i)] for i in row) for row in np.asarray(batch).argmax(axis=-1)]

# mistake: squeeze() drops a batch of one
def decode(batch, vocab):
    index_to_char = {i: ch for ch, i in vocab.items()}
    if isinstance(batch, torch.Tensor):
        batch = batch.detach().numpy()
    indices = batch.argmax(axis=-1).squeeze()
    return ["".join(index_to_char[int(i)] for i in row) for row in indices]

# mistake: argmax over the time axis
def decode(batch, vocab):
    index_to_char = {i: ch for ch, i in vocab.items()}
    if isinstance(batch, torch.Tensor):
        batch = batch.detach().numpy()
    return ["".join(index_to_char[int(i)] for i in row) for row in batch.argmax(axis=1)]

# mistake: lists of characters instead of strings
def decode(batch, vocab):
    index_to_char = {i: ch for ch, i in vocab.items()}
    if isinstance(batch, torch.Tensor):
        batch = batch.detach().numpy()
    return [[index_to_char[int(i)] for i in row] for row in batch.argmax(axis=-1)]

# mistake: only one-hot rows read: the column that holds a 1
def decode(batch, vocab):
    index_to_char = {i: ch for ch, i in vocab.items()}
    scores = batch.detach().numpy() if isinstance(batch, torch.Tensor) else np.asarray(batch)
    return ["".join(index_to_char[int(np.flatnonzero(step == 1)[0]) if (step == 1).any() else 0] for step in word) for word in scores]

# correct: torch.as_tensor for both kinds, detach first
def decode(batch, vocab):
    chars = {index: ch for ch, index in vocab.items()}
    rows = torch.as_tensor(batch).detach().argmax(-1)
    return ["".join(map(chars.__getitem__, row)) for row in rows.tolist()]
