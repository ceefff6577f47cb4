# Learner answers for SequenceClassifier. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: the last step of the output
class SequenceClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.fc(output[:, -1, :])

# correct: a time-major RNN and a transpose
class SequenceClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.encoder = nn.RNN(input_size, hidden_size)
        self.classify = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        _, h_n = self.encoder(x.transpose(0, 1))
        return self.classify(h_n.squeeze(0))

# mistake: the first step instead of the last
class SequenceClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.fc(output[:, 0])

# mistake: batch_first forgotten
# says: create the RNN with batch_first=True
class SequenceClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        _, h_n = self.rnn(x)
        return self.fc(h_n[-1])

# mistake: squeeze() drops a batch of one
class SequenceClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        _, h_n = self.rnn(x)
        return self.fc(h_n.squeeze())

# mistake: a plain tensor attribute for h0 stays on the CPU
class SequenceClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)
        self.h0 = torch.zeros(1, 1, hidden_size)

    def forward(self, x):
        _, h_n = self.rnn(x, self.h0.expand(1, x.shape[0], -1).contiguous())
        return self.fc(h_n[-1])

# mistake: scores for every step
class SequenceClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.fc(output)
