# Learner answers for build_vocab. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: dict.fromkeys keeps first appearances in order
def build_vocab(words):
    if not words:
        raise ValueError("no words")
    return {ch: i for i, ch in enumerate(dict.fromkeys("".join(words)))}

# correct: an OrderedDict filled with setdefault
from collections import OrderedDict


def build_vocab(words):
    if len(words) == 0:
        raise ValueError("empty list of words")
    vocab = OrderedDict()
    for word in words:
        for ch in word:
            vocab.setdefault(ch, len(vocab))
    return vocab

# mistake: characters in alphabetical order
def build_vocab(words):
    if not words:
        raise ValueError("no words")
    return {ch: i for i, ch in enumerate(sorted(set("".join(words))))}

# mistake: the index of the last appearance
def build_vocab(words):
    if not words:
        raise ValueError("no words")
    return {ch: i for i, ch in enumerate("".join(words))}

# mistake: an empty list gives an empty vocabulary
def build_vocab(words):
    vocab = {}
    for word in words:
        for ch in word:
            if ch not in vocab:
                vocab[ch] = len(vocab)
    return vocab

# mistake: only the first word is read
def build_vocab(words):
    if not words:
        raise ValueError("no words")
    vocab = {}
    for ch in words[0]:
        if ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab

# mistake: NumPy integers as indices
def build_vocab(words):
    if not words:
        raise ValueError("no words")
    chars = list(dict.fromkeys("".join(words)))
    return dict(zip(chars, np.arange(len(chars))))

# mistake: not written yet
# says: not written yet
def build_vocab(words):
    raise NotImplementedError()

# mistake: an endless loop
# says: ran past its 30-second limit (look for an endless loop)
def build_vocab(words):
    vocab, position = {}, 0
    while position < len(words):
        for ch in words[position]:
            vocab.setdefault(ch, len(vocab))
    return vocab
