# Learner answers for encode_text. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: dict.setdefault and slicing from the end
def encode_text(text, valid_fraction=VALID_FRACTION):
    vocab = {}
    for ch in text:
        vocab.setdefault(ch, len(vocab))
    indices = torch.tensor([vocab[ch] for ch in text], dtype=torch.long)
    k = int(len(text) * valid_fraction)
    return vocab, indices[: len(indices) - k], indices[len(indices) - k :]

# correct: dict.fromkeys keeps the order of first appearance, torch.split
def encode_text(text, valid_fraction=VALID_FRACTION):
    vocab = {ch: i for i, ch in enumerate(dict.fromkeys(text))}
    indices = torch.as_tensor([vocab[ch] for ch in text], dtype=torch.int64)
    valid_count = int(len(text) * valid_fraction)
    train, valid = torch.split(indices, [len(text) - valid_count, valid_count])
    return vocab, train, valid

# mistake: a sorted vocabulary, as many tutorials build it
# says: order of first appearance
def encode_text(text, valid_fraction=VALID_FRACTION):
    vocab = {ch: i for i, ch in enumerate(sorted(set(text)))}
    indices = torch.tensor([vocab[ch] for ch in text])
    cut = len(text) - int(len(text) * valid_fraction)
    return vocab, indices[:cut], indices[cut:]

# mistake: the validation part rounded instead of rounded down
def encode_text(text, valid_fraction=VALID_FRACTION):
    vocab = {}
    for ch in text:
        if ch not in vocab:
            vocab[ch] = len(vocab)
    indices = torch.tensor([vocab[ch] for ch in text])
    cut = len(text) - round(len(text) * valid_fraction)
    return vocab, indices[:cut], indices[cut:]

# mistake: the validation part taken from the start of the text
def encode_text(text, valid_fraction=VALID_FRACTION):
    vocab = {}
    for ch in text:
        if ch not in vocab:
            vocab[ch] = len(vocab)
    indices = torch.tensor([vocab[ch] for ch in text])
    k = int(len(text) * valid_fraction)
    return vocab, indices[k:], indices[:k]

# mistake: the vocabulary read from the training part only
def encode_text(text, valid_fraction=VALID_FRACTION):
    cut = len(text) - int(len(text) * valid_fraction)
    vocab = {}
    for ch in text[:cut]:
        if ch not in vocab:
            vocab[ch] = len(vocab)
    train = torch.tensor([vocab[ch] for ch in text[:cut]])
    valid = torch.tensor([vocab.get(ch, 0) for ch in text[cut:]])
    return vocab, train, valid

# mistake: float indices
def encode_text(text, valid_fraction=VALID_FRACTION):
    vocab = {}
    for ch in text:
        if ch not in vocab:
            vocab[ch] = len(vocab)
    indices = torch.tensor([float(vocab[ch]) for ch in text])
    cut = len(text) - int(len(text) * valid_fraction)
    return vocab, indices[:cut], indices[cut:]
