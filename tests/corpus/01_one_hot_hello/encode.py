# Learner answers for encode. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: fill a zero array
def encode(words, vocab):
    if len({len(word) for word in words}) != 1:
        raise ValueError("words differ in length")
    batch = np.zeros((len(words), len(words[0]), len(vocab)), dtype=np.float32)
    for b, word in enumerate(words):
        for t, ch in enumerate(word):
            if ch not in vocab:
                raise ValueError(f"unknown character {ch}")
            batch[b, t, vocab[ch]] = 1.0
    return batch

# correct: index an identity matrix with a nested list
def encode(words, vocab):
    if any(len(word) != len(words[0]) for word in words):
        raise ValueError("all words need the same length")
    missing = sorted({ch for word in words for ch in word} - set(vocab))
    if missing:
        raise ValueError(f"characters not in the vocabulary: {missing}")
    return np.eye(len(vocab), dtype=np.float32)[[[vocab[ch] for ch in word] for word in words]]

# mistake: stacked time-major
def encode(words, vocab):
    for word in words:
        for ch in word:
            if ch not in vocab:
                raise ValueError(f"unknown character {ch}")
    return np.stack([one_hot([vocab[ch] for ch in word], len(vocab)) for word in words], axis=1)

# mistake: a missing character raises KeyError
def encode(words, vocab):
    return np.stack([one_hot([vocab[ch] for ch in word], len(vocab)) for word in words])

# mistake: the message does not name the character
def encode(words, vocab):
    for word in words:
        if any(ch not in vocab for ch in word):
            raise ValueError("a word uses a character outside the vocabulary")
    return np.stack([one_hot([vocab[ch] for ch in word], len(vocab)) for word in words])

# mistake: the position in the dict instead of the index
def encode(words, vocab):
    chars = list(vocab)
    for word in words:
        for ch in word:
            if ch not in vocab:
                raise ValueError(f"unknown character {ch}")
    return np.stack([one_hot([chars.index(ch) for ch in word], len(vocab)) for word in words])

# mistake: lengths never compared
def encode(words, vocab):
    batch = np.zeros((len(words), len(words[0]), len(vocab)), dtype=np.float32)
    for b, word in enumerate(words):
        for t, ch in enumerate(word):
            if ch not in vocab:
                raise ValueError(f"unknown character {ch}")
            if t < batch.shape[1]:
                batch[b, t, vocab[ch]] = 1.0
    return batch

# mistake: only the first and the last word's lengths compared
def encode(words, vocab):
    if len(words[0]) != len(words[-1]):
        raise ValueError("words differ in length")
    for word in words:
        for ch in word:
            if ch not in vocab:
                raise ValueError(f"unknown character {ch!r}")
    return np.eye(len(vocab), dtype=np.float32)[[[vocab[ch] for ch in word[: len(words[0])]] for word in words]]

# mistake: only the first word's characters checked
def encode(words, vocab):
    if len({len(word) for word in words}) > 1:
        raise ValueError("words differ in length")
    for ch in words[0]:
        if ch not in vocab:
            raise ValueError(f"unknown character {ch!r}")
    return np.stack([one_hot([vocab.get(ch, 0) for ch in word], len(vocab)) for word in words])

# mistake: lengths checked against the first two words only
def encode(words, vocab):
    if len(words) > 1 and len(words[0]) != len(words[1]):
        raise ValueError("words differ in length")
    for word in words:
        for ch in word:
            if ch not in vocab:
                raise ValueError(f"unknown character {ch!r}")
    T = len(words[0])
    return np.stack([one_hot([vocab[ch] for ch in word[:T].ljust(T, word[0])], len(vocab)) for word in words])

# mistake: not written yet
# says: not written yet
def encode(words, vocab):
    raise NotImplementedError()
