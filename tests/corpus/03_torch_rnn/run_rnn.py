# Learner answers for run_rnn. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: the module moved in place
def run_rnn(rnn, x, device):
    x = x.to(device)
    rnn.to(device)
    return rnn(x)

# correct: one line
def run_rnn(rnn, x, device):
    return rnn.to(device)(x.to(device))

# mistake: x.to(device) without keeping the result
def run_rnn(rnn, x, device):
    rnn.to(device)
    x.to(device)
    return rnn(x)

# mistake: only the input moved
def run_rnn(rnn, x, device):
    return rnn(x.to(device))

# mistake: the device ignored
def run_rnn(rnn, x, device):
    return rnn(x)

# mistake: .cuda() for any device but the CPU
def run_rnn(rnn, x, device):
    if device.type == "cpu":
        return rnn(x)
    return rnn.cuda()(x.cuda())
