# Learner answers for sine_sequence. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: all in PyTorch
def sine_sequence(seq_length=20, input_size=1):
    t = torch.linspace(0, math.pi, seq_length * input_size)
    return torch.sin(t).reshape(1, seq_length, input_size)

# correct: float32 NumPy, batch axis by indexing
def sine_sequence(seq_length=20, input_size=1):
    samples = np.sin(np.linspace(0, np.pi, seq_length * input_size, dtype=np.float32))
    return torch.from_numpy(samples.reshape(seq_length, input_size)[None])

# mistake: float64
def sine_sequence(seq_length=20, input_size=1):
    samples = np.sin(np.linspace(0, np.pi, seq_length * input_size))
    return torch.from_numpy(samples.reshape(1, seq_length, input_size))

# mistake: filled column by column
def sine_sequence(seq_length=20, input_size=1):
    samples = np.sin(np.linspace(0, np.pi, seq_length * input_size))
    return torch.tensor(samples.reshape(input_size, seq_length).T, dtype=torch.float32).unsqueeze(0)

# mistake: pi left out
def sine_sequence(seq_length=20, input_size=1):
    samples = np.sin(np.linspace(0, np.pi, seq_length * input_size, endpoint=False))
    return torch.tensor(samples, dtype=torch.float32).reshape(1, seq_length, input_size)

# mistake: no batch axis
def sine_sequence(seq_length=20, input_size=1):
    samples = np.sin(np.linspace(0, np.pi, seq_length * input_size))
    return torch.tensor(samples.reshape(seq_length, input_size), dtype=torch.float32)
