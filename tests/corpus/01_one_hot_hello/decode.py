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
