# Learner answers for perplexity. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: nn.CrossEntropyLoss with a sum, eval mode, the count from the targets
def perplexity(model, batches):
    criterion = nn.CrossEntropyLoss(reduction="sum")
    model.eval()
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for inputs, targets in batches:
            scores, state = model(inputs, state)
            total += criterion(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1)).item()
            count += targets.numel()
    return math.exp(total / count)

# correct: each batch's mean weighted by its size, torch.exp at the end
def perplexity(model, batches):
    state = None
    weighted, characters = 0.0, 0
    with torch.inference_mode():
        for inputs, targets in batches:
            scores, state = model(inputs, state)
            mean = nn.functional.cross_entropy(scores.flatten(0, 1), targets.flatten())
            weighted += mean.item() * targets.numel()
            characters += targets.numel()
    return torch.exp(torch.tensor(weighted / characters, dtype=torch.float64)).item()

# mistake: the summed loss never divided
# says: an undivided sum overflows
def perplexity(model, batches):
    total, state = 0.0, None
    with torch.no_grad():
        for inputs, targets in batches:
            scores, state = model(inputs, state)
            total += nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1), reduction="sum").item()
    return math.exp(min(total, 700.0))

# mistake: the state reset for every batch
# says: carry the state
def perplexity(model, batches):
    total, count = 0.0, 0
    with torch.no_grad():
        for inputs, targets in batches:
            scores, _ = model(inputs)
            total += nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1), reduction="sum").item()
            count += targets.numel()
    return math.exp(total / count)

# mistake: the mean of the batches' perplexities
# says: not the mean of per-batch perplexities
def perplexity(model, batches):
    values, state = [], None
    with torch.no_grad():
        for inputs, targets in batches:
            scores, state = model(inputs, state)
            values.append(math.exp(nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1)).item()))
    return sum(values) / len(values)

# mistake: the mean over batches, not over characters
# says: not batch by batch
def perplexity(model, batches):
    means, state = [], None
    with torch.no_grad():
        for inputs, targets in batches:
            scores, state = model(inputs, state)
            means.append(nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1)).item())
    return math.exp(sum(means) / len(means))

# mistake: base 2
def perplexity(model, batches):
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for inputs, targets in batches:
            scores, state = model(inputs, state)
            total += nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1), reduction="sum").item()
            count += targets.numel()
    return 2 ** (total / count)

# mistake: the mean cross-entropy returned as it is
def perplexity(model, batches):
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for inputs, targets in batches:
            scores, state = model(inputs, state)
            total += nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1), reduction="sum").item()
            count += targets.numel()
    return total / count
