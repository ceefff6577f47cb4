# Learner answers for CharModel. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: the layer looked up with if/elif
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        if kind == "rnn":
            self.rnn = nn.RNN(embed_size, hidden_size, num_layers, batch_first=True)
        elif kind == "lstm":
            self.rnn = nn.LSTM(embed_size, hidden_size, num_layers, batch_first=True)
        elif kind == "gru":
            self.rnn = nn.GRU(embed_size, hidden_size, num_layers, batch_first=True)
        else:
            raise ValueError(f"unknown kind {kind}")
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices, state=None):
        x = self.embedding(indices)
        out, state = self.rnn(x, state)
        return self.head(out), state

# correct: getattr on nn with the upper-case name, the state passed only when given
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        if kind not in ("rnn", "lstm", "gru"):
            raise ValueError(f"kind {kind!r} is not one of rnn, lstm, gru")
        self.embedding = nn.Embedding(num_embeddings=vocab_size, embedding_dim=embed_size)
        self.rnn = getattr(nn, kind.upper())(input_size=embed_size, hidden_size=hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(in_features=hidden_size, out_features=vocab_size)

    def forward(self, indices, state=None):
        if state is None:
            output, state = self.rnn(self.embedding(indices))
        else:
            output, state = self.rnn(self.embedding(indices), state)
        return self.head(output), state

# mistake: one-hot vectors instead of an embedding
# says: state_dict()
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](vocab_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices, state=None):
        output, state = self.rnn(nn.functional.one_hot(indices, self.vocab_size).float(), state)
        return self.head(output), state

# mistake: a time-major recurrent layer
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](embed_size, hidden_size, num_layers)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices, state=None):
        output, state = self.rnn(self.embedding(indices), state)
        return self.head(output), state

# mistake: the state passed in is ignored
# says: start the recurrent layer from the state passed in
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](embed_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices, state=None):
        output, state = self.rnn(self.embedding(indices))
        return self.head(output), state

# mistake: an LSTM's state returned as h_n alone
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](embed_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices, state=None):
        output, state = self.rnn(self.embedding(indices), state)
        if isinstance(state, tuple):
            state = state[0]
        return self.head(output), state

# mistake: num_layers never reaches the recurrent layer
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](embed_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices, state=None):
        output, state = self.rnn(self.embedding(indices), state)
        return self.head(output), state

# mistake: an unknown kind quietly becomes a GRU
class CharModel(nn.Module):
    def __init__(self, vocab_size, embed_size, hidden_size, kind="gru", num_layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        layer = {"rnn": nn.RNN, "lstm": nn.LSTM}.get(kind, nn.GRU)
        self.rnn = layer(embed_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices, state=None):
        output, state = self.rnn(self.embedding(indices), state)
        return self.head(output), state
