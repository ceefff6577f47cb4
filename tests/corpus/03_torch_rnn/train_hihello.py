# Learner answers for train_hihello. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: nn.CrossEntropyLoss and a plain range
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    model = CharRNN(5, hidden_size=8).to(device)
    to_index = {ch: i for i, ch in enumerate(HIHELLO_VOCAB)}
    x = torch.tensor([[to_index[ch] for ch in "hihell"]]).to(device)
    y = torch.tensor([[to_index[ch] for ch in "ihello"]]).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for step in range(steps):
        optimizer.zero_grad()
        loss = criterion(model(x).view(-1, 5), y.view(-1))
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    return model, losses

# correct: the model moved after it is built, losses through detach
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    model = CharRNN(len(HIHELLO_VOCAB), 8)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    inputs = torch.tensor([[HIHELLO_VOCAB.index(c) for c in "hihell"]], device=device)
    targets = torch.tensor([HIHELLO_VOCAB.index(c) for c in "ihello"], device=device)
    losses = []
    for _ in trange(steps):
        loss = nn.functional.cross_entropy(model(inputs)[0], targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach().item())
    return model, losses

# mistake: always 200 steps
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in range(200):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: a fixed seed
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(0)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: never seeded
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: the device ignored
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]])
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]])
    model = CharRNN(5, hidden_size=8)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: losses kept as tensors
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss)
    return model, losses

# mistake: another hidden size
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=16).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: another learning rate
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: RMSprop instead of Adam
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: the summed cross-entropy
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1), reduction="sum")
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# mistake: the loss recorded after the update
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1)).backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1)).item())
    return model, losses

# mistake: gradients never zeroed
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "hihell"]], device=device)
    y = torch.tensor([[HIHELLO_VOCAB.index(ch) for ch in "ihello"]], device=device)
    model = CharRNN(5, hidden_size=8).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 5), y.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

# correct: a one-hot batch made here, nn.CrossEntropyLoss on (B, V, T) logits
HIHELLO_VOCAB = ["h", "i", "e", "l", "o"]


def train_hihello(device, steps=200, seed=0):
    torch.manual_seed(seed)
    model = CharRNN(vocab_size=len(HIHELLO_VOCAB), hidden_size=8, num_layers=1).to(device)
    index = {ch: i for i, ch in enumerate(HIHELLO_VOCAB)}
    inputs = torch.tensor([[index[ch] for ch in "hihell"]], dtype=torch.long, device=device)
    targets = torch.tensor([[index[ch] for ch in "ihello"]], dtype=torch.long, device=device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.1)
    losses = []
    for _ in trange(steps):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs).transpose(1, 2), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
