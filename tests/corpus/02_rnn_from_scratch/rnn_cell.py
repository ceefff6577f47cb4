# Learner answers for rnn_cell. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: .t() and one combined bias
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x_t @ W_ih.t() + h_prev @ W_hh.t() + (b_ih + b_hh))

# correct: two linear maps
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(nn.functional.linear(x_t, W_ih, b_ih) + nn.functional.linear(h_prev, W_hh, b_hh))

# correct: einsum, with comments that mention the modules it must not use
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    """What nn.RNNCell(I, H) computes, without calling nn.RNNCell(...)."""
    # like nn.RNN( ... ) for one step
    return torch.tanh(torch.einsum("bi,hi->bh", x_t, W_ih) + b_ih + torch.einsum("bj,hj->bh", h_prev, W_hh) + b_hh)

# mistake: sigmoid instead of tanh
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return torch.sigmoid(x_t @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh)

# mistake: b_hh left out
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x_t @ W_ih.T + b_ih + h_prev @ W_hh.T)

# mistake: W_hh not transposed
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x_t @ W_ih.T + b_ih + h_prev @ W_hh + b_hh)

# mistake: W_ih not transposed
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x_t @ W_ih + b_ih + h_prev @ W_hh.T + b_hh)

# mistake: PyTorch's own cell
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    cell = nn.RNNCell(W_ih.shape[1], W_ih.shape[0]).to(x_t.dtype)
    cell.load_state_dict({"weight_ih": W_ih, "weight_hh": W_hh, "bias_ih": b_ih, "bias_hh": b_hh})
    return cell(x_t, h_prev)

# mistake: not written yet
# says: not written yet
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    raise NotImplementedError()

# mistake: the batch read from h_prev's rows, x_t's first row for every sequence
def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x_t[:1] @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh)
