# Learner answers for ScratchRNN. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: setattr in a loop, one step at a time, a docstring and comments that mention nn.RNN
class ScratchRNN(nn.Module):
    """Behaves like nn.RNN(input_size, hidden_size, ...), without nn.RNN( or nn.RNNCell( inside."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / hidden_size ** 0.5
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.rand(hidden_size, size) * 2 * k - k))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.rand(hidden_size, hidden_size) * 2 * k - k))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.rand(hidden_size) * 2 * k - k))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.rand(hidden_size) * 2 * k - k))

    def forward(self, x, h0=None):
        # nn.RNN( would do all of this in one call
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = torch.zeros(self.num_layers, x.shape[1], self.hidden_size, dtype=x.dtype, device=x.device)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# correct: nn.init in reset_parameters, F.linear, permute for batch_first
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.nonlinearity, self.bias, self.batch_first = nonlinearity, bias, batch_first
        for layer in range(num_layers):
            in_size = input_size if layer == 0 else hidden_size
            self.register_parameter(f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, in_size)))
            self.register_parameter(f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size)))
            if bias:
                self.register_parameter(f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size)))
                self.register_parameter(f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size)))
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1.0 / math.sqrt(self.hidden_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def forward(self, x, h0=None):
        unbatched = x.ndim == 2
        if unbatched:
            x, h0 = x[:, None], (None if h0 is None else h0[:, None])
        elif self.batch_first:
            x = x.permute(1, 0, 2)
        T, B, _ = x.shape
        if h0 is None:
            h0 = x.new_zeros((self.num_layers, B, self.hidden_size))
        act = torch.tanh if self.nonlinearity == "tanh" else torch.relu
        last = []
        for layer in range(self.num_layers):
            b_ih = getattr(self, f"bias_ih_l{layer}") if self.bias else None
            b_hh = getattr(self, f"bias_hh_l{layer}") if self.bias else None
            inputs = nn.functional.linear(x, getattr(self, f"weight_ih_l{layer}"), b_ih)
            h, steps = h0[layer], []
            for t in range(T):
                h = act(inputs[t] + nn.functional.linear(h, getattr(self, f"weight_hh_l{layer}"), b_hh))
                steps.append(h)
            x = torch.stack(steps)
            last.append(h)
        h_n = torch.stack(last)
        if unbatched:
            return x[:, 0], h_n[:, 0]
        return (x.permute(1, 0, 2) if self.batch_first else x), h_n

# mistake: normal initial values
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.randn(hidden_size, size)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.randn(hidden_size, hidden_size)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.randn(hidden_size)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.randn(hidden_size)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: the bound uses input_size
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(input_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: all weights registered before all biases
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
        for layer in range(num_layers if bias else 0):
            setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
            setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: the default h0 is float32 on the CPU
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = torch.zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: squeeze() without a dim for unbatched input
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(), h_n.squeeze()
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: PyTorch's own RNN under the course's name
class ScratchRNN(nn.RNN):
    pass

# mistake: biases start at zero
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.zeros(hidden_size)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.zeros(hidden_size)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: the biases' bound uses input_size
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-1 / math.sqrt(size), 1 / math.sqrt(size))))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-1 / math.sqrt(size), 1 / math.sqrt(size))))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: biases only on the positive side
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.rand(hidden_size) * k))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.rand(hidden_size) * k))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: recurrent weights start at zero
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.zeros(hidden_size, hidden_size)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: a normal spread clipped to the bound
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.randn(hidden_size, size).mul(k / 3).clamp(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.randn(hidden_size, hidden_size).mul(k / 3).clamp(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: h0 detached
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer].detach(), []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: x detached
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        x = x.detach()
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# mistake: h0 rebuilt with torch.tensor
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        k = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size).uniform_(-k, k)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size).uniform_(-k, k)))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        h0 = torch.tensor(h0.tolist(), dtype=x.dtype, device=x.device)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer], []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n

# correct: parameters drawn after they are registered, h0 cloned before the loop
class ScratchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False):
        super().__init__()
        self.hidden_size, self.num_layers, self.bias, self.batch_first = hidden_size, num_layers, bias, batch_first
        self.activation = torch.tanh if nonlinearity == "tanh" else torch.relu
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", nn.Parameter(torch.empty(hidden_size, size)))
            setattr(self, f"weight_hh_l{layer}", nn.Parameter(torch.empty(hidden_size, hidden_size)))
            if bias:
                setattr(self, f"bias_ih_l{layer}", nn.Parameter(torch.empty(hidden_size)))
                setattr(self, f"bias_hh_l{layer}", nn.Parameter(torch.empty(hidden_size)))
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -1 / math.sqrt(hidden_size), 1 / math.sqrt(hidden_size))

    def forward(self, x, h0=None):
        batched = x.dim() == 3
        if not batched:
            x = x.unsqueeze(1)
            if h0 is not None:
                h0 = h0.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if h0 is None:
            h0 = x.new_zeros(self.num_layers, x.shape[1], self.hidden_size)
        finals = []
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            h, outputs = h0[layer].clone(), []
            for x_t in x:
                pre = x_t @ W_ih.T + h @ W_hh.T
                if self.bias:
                    pre = pre + getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")
                h = self.activation(pre)
                outputs.append(h)
            x = torch.stack(outputs)
            finals.append(h)
        h_n = torch.stack(finals)
        if not batched:
            return x.squeeze(1), h_n.squeeze(1)
        return (x.transpose(0, 1) if self.batch_first else x), h_n
