# Learner answers for hello_batch. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: torch.tensor of encode with the vocabulary written out
def hello_batch():
    return torch.tensor(encode(["hello", "eolll", "lleel"], {"h": 0, "e": 1, "l": 2, "o": 3}))

# correct: rows of a float32 identity matrix
def hello_batch():
    vocab = "helo"
    indices = [[vocab.index(ch) for ch in word] for word in ("hello", "eolll", "lleel")]
    return torch.eye(4)[torch.tensor(indices)]

# mistake: float64 from NumPy's default dtype
def hello_batch():
    vocab = "helo"
    indices = [[vocab.index(ch) for ch in word] for word in ("hello", "eolll", "lleel")]
    return torch.tensor(np.eye(4)[indices])

# mistake: a NumPy array, not a tensor
def hello_batch():
    words = ["hello", "eolll", "lleel"]
    return encode(words, build_vocab(words))

# mistake: a sorted vocabulary
def hello_batch():
    words = ["hello", "eolll", "lleel"]
    vocab = {ch: i for i, ch in enumerate(sorted(set("".join(words))))}
    return torch.from_numpy(encode(words, vocab))

# mistake: time-major, as nn.RNN expects by default
def hello_batch():
    words = ["hello", "eolll", "lleel"]
    return torch.from_numpy(encode(words, build_vocab(words))).permute(1, 0, 2)
