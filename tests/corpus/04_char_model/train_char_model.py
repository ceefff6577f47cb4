# Learner answers for train_char_model. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: the data moved to the device before it is cut, a plain range
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(seed)
    model = CharModel(vocab_size, EMBED_SIZE, HIDDEN_SIZE, kind=kind)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    batches = bptt_batches(data.to(device), BATCH_SIZE, NUM_STEPS)
    losses = []
    for epoch in range(epochs):
        losses.extend(train_epoch(model, optimizer, batches, max_norm=MAX_NORM))
    return model, losses

# correct: keyword arguments, model.train() before each epoch
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(seed)
    model = CharModel(vocab_size=vocab_size, embed_size=EMBED_SIZE, hidden_size=HIDDEN_SIZE, kind=kind, num_layers=1).to(device)
    optimizer = torch.optim.Adam(params=model.parameters(), lr=LEARNING_RATE)
    batches = [(x.to(device), y.to(device)) for x, y in bptt_batches(data, batch_size=BATCH_SIZE, num_steps=NUM_STEPS)]
    losses = []
    for _ in trange(epochs):
        model.train()
        for loss in train_epoch(model, optimizer, batches, MAX_NORM):
            losses.append(loss)
    return model, losses

# mistake: trained on the course's text, whatever data it is given
# says: perplexity below
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(seed)
    text = course_text()
    vocab = {}
    for ch in text:
        vocab.setdefault(ch, len(vocab))
    everything = torch.tensor([vocab[ch] for ch in text])
    model = CharModel(vocab_size, EMBED_SIZE, HIDDEN_SIZE, kind=kind).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    batches = [(x.to(device), y.to(device)) for x, y in bptt_batches(everything, BATCH_SIZE, NUM_STEPS)]
    losses = []
    for _ in range(epochs):
        losses += train_epoch(model, optimizer, batches, MAX_NORM)
    return model, losses[: epochs * len(bptt_batches(data, BATCH_SIZE, NUM_STEPS))]

# mistake: a fixed seed
# says: seed with the seed argument
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(0)
    model = CharModel(vocab_size, EMBED_SIZE, HIDDEN_SIZE, kind=kind).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    batches = [(x.to(device), y.to(device)) for x, y in bptt_batches(data, BATCH_SIZE, NUM_STEPS)]
    losses = []
    for _ in range(epochs):
        losses += train_epoch(model, optimizer, batches, MAX_NORM)
    return model, losses

# mistake: the kind never reaches the model
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(seed)
    model = CharModel(vocab_size, EMBED_SIZE, HIDDEN_SIZE).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    batches = [(x.to(device), y.to(device)) for x, y in bptt_batches(data, BATCH_SIZE, NUM_STEPS)]
    losses = []
    for _ in range(epochs):
        losses += train_epoch(model, optimizer, batches, MAX_NORM)
    return model, losses

# mistake: the model left on the CPU
# says: build the model with .to(device)
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(seed)
    model = CharModel(vocab_size, EMBED_SIZE, HIDDEN_SIZE, kind=kind)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    batches = bptt_batches(data, BATCH_SIZE, NUM_STEPS)
    losses = []
    for _ in range(epochs):
        losses += train_epoch(model, optimizer, batches, MAX_NORM)
    return model, losses

# mistake: one loss per epoch
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(seed)
    model = CharModel(vocab_size, EMBED_SIZE, HIDDEN_SIZE, kind=kind).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    batches = [(x.to(device), y.to(device)) for x, y in bptt_batches(data, BATCH_SIZE, NUM_STEPS)]
    losses = []
    for _ in range(epochs):
        epoch_losses = train_epoch(model, optimizer, batches, MAX_NORM)
        losses.append(sum(epoch_losses) / len(epoch_losses))
    return model, losses

# mistake: a learning rate far too small to learn in a short run
# says: perplexity below
def train_char_model(data, vocab_size, device, kind="gru", epochs=2, seed=0):
    torch.manual_seed(seed)
    model = CharModel(vocab_size, EMBED_SIZE, HIDDEN_SIZE, kind=kind).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
    batches = [(x.to(device), y.to(device)) for x, y in bptt_batches(data, BATCH_SIZE, NUM_STEPS)]
    losses = []
    for _ in range(epochs):
        losses += train_epoch(model, optimizer, batches, MAX_NORM)
    return model, losses
