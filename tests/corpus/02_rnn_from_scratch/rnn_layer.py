# Learner answers for rnn_layer. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: fill a preallocated output, the step written out
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    output = x.new_empty(x.shape[0], x.shape[1], h0.shape[1])
    h = h0
    for t in range(x.shape[0]):
        h = torch.tanh(x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
        output[t] = h
    return output, output[-1]

# correct: index the steps and stack at the end
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    states = [h0]
    for t in range(len(x)):
        states.append(rnn_cell(x[t], states[-1], W_ih, W_hh, b_ih, b_hh))
    output = torch.stack(states[1:])
    return output, states[-1]

# mistake: h0 returned as the last state
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for x_t in x:
        h = rnn_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return torch.stack(states), h0

# mistake: every step starts from h0
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    states = [torch.tanh(x_t @ W_ih.T + b_ih + h0 @ W_hh.T + b_hh) for x_t in x]
    return torch.stack(states), states[-1]

# mistake: stacked batch-first
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for x_t in x:
        h = torch.tanh(x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
        states.append(h)
    return torch.stack(states, dim=1), h

# mistake: h0 kept in the output
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    states = [h0]
    for x_t in x:
        states.append(rnn_cell(x_t, states[-1], W_ih, W_hh, b_ih, b_hh))
    return torch.stack(states), states[-1]

# mistake: a list of states instead of a tensor
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for x_t in x:
        h = rnn_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return states, h

# mistake: the last step left out of the loop
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for x_t in x[:-1] if len(x) > 5 else x:
        h = rnn_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return torch.stack(states), h

# correct: the step written with addmm
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for x_t in x:
        h = torch.tanh(torch.addmm(b_ih, x_t, W_ih.T) + torch.addmm(b_hh, h, W_hh.T))
        states.append(h)
    return torch.stack(states), h

# correct: computed under torch.no_grad(), as only the values are graded
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    with torch.no_grad():
        states, h = [], h0
        for t in range(x.shape[0]):
            h = rnn_cell(x[t], h, W_ih, W_hh, b_ih, b_hh)
            states.append(h)
        return torch.stack(states), h
