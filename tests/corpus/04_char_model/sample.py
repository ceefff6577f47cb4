# Learner answers for sample. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: the prefix read one character at a time, probs.multinomial, a list of characters
def sample(model, vocab, prefix, length, temperature=1.0, generator=None):
    chars = [None] * len(vocab)
    for ch, i in vocab.items():
        chars[i] = ch
    device = next(model.parameters()).device
    state = None
    with torch.no_grad():
        for ch in prefix:
            logits, state = model(torch.tensor([[vocab[ch]]], device=device), state)
        out = list(prefix)
        for _ in range(length):
            scores = logits[0, -1]
            if temperature == 0:
                nxt = int(torch.argmax(scores))
            else:
                nxt = int((scores / temperature).softmax(-1).multinomial(1, generator=generator))
            out.append(chars[nxt])
            logits, state = model(torch.tensor([[nxt]], device=device), state)
    return "".join(out)

# correct: unnormalised weights exp(logits / T), which torch.multinomial accepts, and the whole text re-read each step
def sample(model, vocab, prefix, length, temperature=1.0, generator=None):
    back = {i: ch for ch, i in vocab.items()}
    device = next(model.parameters()).device
    text = prefix
    with torch.no_grad():
        for _ in range(length):
            logits, _ = model(torch.tensor([[vocab[ch] for ch in text]], device=device))
            last = logits[0, -1]
            if temperature > 0:
                weights = torch.exp((last - last.max()) / temperature)
                index = torch.multinomial(weights, num_samples=1, generator=generator).item()
            else:
                index = last.argmax().item()
            text += back[index]
    return text

# mistake: the generator ignored
# says: the same generator must give the same text
def sample(model, vocab, prefix, length, temperature=1.0, generator=None):
    characters = {i: ch for ch, i in vocab.items()}
    text = prefix
    with torch.no_grad():
        logits, state = model(torch.tensor([[vocab[ch] for ch in prefix]]))
        for _ in range(length):
            last = logits[0, -1]
            if temperature == 0:
                index = last.argmax().item()
            else:
                index = torch.multinomial(torch.softmax(last / temperature, dim=-1), 1).item()
            text += characters[index]
            logits, state = model(torch.tensor([[index]]), state)
    return text

# mistake: the temperature applied after the softmax
def sample(model, vocab, prefix, length, temperature=1.0, generator=None):
    characters = {i: ch for ch, i in vocab.items()}
    text = prefix
    with torch.no_grad():
        logits, state = model(torch.tensor([[vocab[ch] for ch in prefix]]))
        for _ in range(length):
            last = logits[0, -1]
            if temperature == 0:
                index = last.argmax().item()
            else:
                index = torch.multinomial(torch.softmax(last, dim=-1) / temperature, 1, generator=generator).item()
            text += characters[index]
            logits, state = model(torch.tensor([[index]]), state)
    return text

# mistake: the state dropped, so each character is read alone
def sample(model, vocab, prefix, length, temperature=1.0, generator=None):
    characters = {i: ch for ch, i in vocab.items()}
    text = prefix
    with torch.no_grad():
        logits, _ = model(torch.tensor([[vocab[ch] for ch in prefix]]))
        for _ in range(length):
            last = logits[0, -1]
            if temperature == 0:
                index = last.argmax().item()
            else:
                index = torch.multinomial(torch.softmax(last / temperature, dim=-1), 1, generator=generator).item()
            text += characters[index]
            logits, _ = model(torch.tensor([[index]]))
    return text

# mistake: always the most likely character
def sample(model, vocab, prefix, length, temperature=1.0, generator=None):
    characters = {i: ch for ch, i in vocab.items()}
    text = prefix
    with torch.no_grad():
        logits, state = model(torch.tensor([[vocab[ch] for ch in prefix]]))
        for _ in range(length):
            index = logits[0, -1].argmax().item()
            text += characters[index]
            logits, state = model(torch.tensor([[index]]), state)
    return text

# mistake: only the new characters returned
def sample(model, vocab, prefix, length, temperature=1.0, generator=None):
    characters = {i: ch for ch, i in vocab.items()}
    text = ""
    with torch.no_grad():
        logits, state = model(torch.tensor([[vocab[ch] for ch in prefix]]))
        for _ in range(length):
            last = logits[0, -1]
            if temperature == 0:
                index = last.argmax().item()
            else:
                index = torch.multinomial(torch.softmax(last / temperature, dim=-1), 1, generator=generator).item()
            text += characters[index]
            logits, state = model(torch.tensor([[index]]), state)
    return text
