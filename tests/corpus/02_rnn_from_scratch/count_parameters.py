# Learner answers for count_parameters. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: a loop over layers
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    total = 0
    layer_input = input_size
    for _ in range(num_layers):
        total += hidden_size * layer_input + hidden_size * hidden_size
        if bias:
            total += 2 * hidden_size
        layer_input = hidden_size
    return total

# correct: one expression with a bool as 0 or 1
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    H = hidden_size
    return H * (input_size + H + 2 * bias) + (num_layers - 1) * H * (2 * H + 2 * bias)

# mistake: one bias per layer
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    H = hidden_size
    per_bias = H if bias else 0
    return (H * input_size + H * H + per_bias) + (num_layers - 1) * (2 * H * H + per_bias)

# mistake: later layers read input_size
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    H = hidden_size
    return num_layers * (H * input_size + H * H + (2 * H if bias else 0))

# mistake: bias=False still counts biases
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    H = hidden_size
    return (H * input_size + H * H + 2 * H) + (num_layers - 1) * (2 * H * H + 2 * H)

# mistake: a NumPy integer
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    shapes = [(hidden_size, input_size), (hidden_size, hidden_size)] + [(hidden_size, hidden_size)] * (2 * (num_layers - 1))
    if bias:
        shapes += [(hidden_size,)] * (2 * num_layers)
    return sum(np.prod(shape) for shape in shapes)

# mistake: num_layers ignored
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    return hidden_size * input_size + hidden_size * hidden_size + (2 * hidden_size if bias else 0)

# mistake: the module built and counted
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    return sum(p.numel() for p in nn.RNN(input_size, hidden_size, num_layers=num_layers, bias=bias).parameters())

# mistake: a float from true division
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    H = hidden_size
    return H * (input_size + H + 2 * bias) + (num_layers - 1) * (2 * H * H * (1 + bias / H))

# correct: the shapes listed per layer
def count_parameters(input_size, hidden_size, num_layers=1, bias=True):
    shapes = []
    for layer in range(num_layers):
        shapes += [(hidden_size, input_size if layer == 0 else hidden_size), (hidden_size, hidden_size)]
        shapes += [(hidden_size,), (hidden_size,)] if bias else []
    return sum(math.prod(shape) for shape in shapes)
