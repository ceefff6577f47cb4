# Learner answers for rnn_shapes. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: torch.Size objects
def rnn_shapes(batch_size, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=False):
    D = 2 if bidirectional else 1
    outer = [batch_size, seq_len] if batch_first else [seq_len, batch_size]
    return torch.Size(outer + [D * hidden_size]), torch.Size([D * num_layers, batch_size, hidden_size])

# correct: ask a real RNN
def rnn_shapes(batch_size, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=False):
    rnn = nn.RNN(input_size, hidden_size, num_layers, bidirectional=bidirectional, batch_first=batch_first)
    x = torch.zeros((batch_size, seq_len, input_size) if batch_first else (seq_len, batch_size, input_size))
    output, h_n = rnn(x)
    return tuple(output.shape), tuple(h_n.shape)

# mistake: h_n batch-first too
def rnn_shapes(batch_size, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=False):
    D = 2 if bidirectional else 1
    if batch_first:
        return (batch_size, seq_len, D * hidden_size), (batch_size, D * num_layers, hidden_size)
    return (seq_len, batch_size, D * hidden_size), (D * num_layers, batch_size, hidden_size)

# mistake: bidirectional doubles h_n only
def rnn_shapes(batch_size, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=False):
    D = 2 if bidirectional else 1
    output = (batch_size, seq_len, hidden_size) if batch_first else (seq_len, batch_size, hidden_size)
    return output, (D * num_layers, batch_size, hidden_size)

# mistake: lists instead of tuples
def rnn_shapes(batch_size, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=False):
    D = 2 if bidirectional else 1
    output = [batch_size, seq_len, D * hidden_size] if batch_first else [seq_len, batch_size, D * hidden_size]
    return output, [D * num_layers, batch_size, hidden_size]

# mistake: bidirectional ignored
def rnn_shapes(batch_size, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=False):
    output = (batch_size, seq_len, hidden_size) if batch_first else (seq_len, batch_size, hidden_size)
    return output, (num_layers, batch_size, hidden_size)
