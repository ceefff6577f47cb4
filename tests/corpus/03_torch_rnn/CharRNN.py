# Learner answers for CharRNN. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: rows of an identity matrix on the indices' device
class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers=1):
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = nn.RNN(vocab_size, hidden_size, num_layers, batch_first=True)
        self.out = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices):
        x = torch.eye(self.vocab_size, device=indices.device)[indices]
        return self.out(self.rnn(x)[0])

# correct: scatter into zeros
class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers=1):
        super().__init__()
        self.V = vocab_size
        self.head = nn.Linear(hidden_size, vocab_size)
        self.rnn = nn.RNN(input_size=vocab_size, hidden_size=hidden_size, num_layers=num_layers, batch_first=True)

    def forward(self, indices):
        x = torch.zeros(*indices.shape, self.V, device=indices.device).scatter_(-1, indices.unsqueeze(-1), 1.0)
        output, _ = self.rnn(x)
        return self.head(output)

# mistake: one_hot guesses the width from the data
class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers=1):
        super().__init__()
        self.rnn = nn.RNN(vocab_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices):
        output, _ = self.rnn(nn.functional.one_hot(indices).float())
        return self.head(output)

# mistake: the identity matrix stays on the CPU
class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers=1):
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = nn.RNN(vocab_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices):
        output, _ = self.rnn(torch.eye(self.vocab_size)[indices])
        return self.head(output)

# mistake: num_layers ignored
class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers=1):
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = nn.RNN(vocab_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices):
        output, _ = self.rnn(nn.functional.one_hot(indices, self.vocab_size).float())
        return self.head(output)

# mistake: batch_first forgotten
class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers=1):
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = nn.RNN(vocab_size, hidden_size, num_layers=num_layers)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, indices):
        output, _ = self.rnn(nn.functional.one_hot(indices, self.vocab_size).float())
        return self.head(output)

# mistake: not written yet
# says: not written yet
class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers=1):
        super().__init__()
        raise NotImplementedError()

    def forward(self, indices):
        raise NotImplementedError()
