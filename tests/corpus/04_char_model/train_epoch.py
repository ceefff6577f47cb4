# Learner answers for train_epoch. Each section below is one answer cell, graded by tests/test_corpus.py.

# correct: nn.CrossEntropyLoss, the state detached at the start of each batch
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    criterion = nn.CrossEntropyLoss()
    state, losses = None, []
    for inputs, targets in batches:
        if state is not None:
            state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        scores, state = model(inputs, state)
        loss = criterion(scores.flatten(0, 1), targets.flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses

# correct: the scores transposed to (B, V, T) for cross_entropy, detach_ in place
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses = []
    state = None
    for inputs, targets in batches:
        optimizer.zero_grad()
        scores, state = model(inputs, state)
        loss = nn.functional.cross_entropy(scores.transpose(1, 2), targets)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        for s in state if isinstance(state, tuple) else (state,):
            s.detach_()
        losses.append(loss.item())
    return losses

# mistake: the state never detached
# says: detach the state
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses, state = [], None
    for inputs, targets in batches:
        optimizer.zero_grad()
        scores, state = model(inputs, state)
        loss = nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        losses.append(loss.item())
    return losses

# mistake: clipping after the step
# says: clip between backward() and step()
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses, state = [], None
    for inputs, targets in batches:
        optimizer.zero_grad()
        scores, state = model(inputs, state)
        loss = nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1))
        loss.backward()
        optimizer.step()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        losses.append(loss.item())
    return losses

# mistake: the gradients never cleared
# says: zero_grad
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses, state = [], None
    for inputs, targets in batches:
        scores, state = model(inputs, state)
        loss = nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        losses.append(loss.item())
    return losses

# mistake: a fresh state for every batch
# says: pass each batch's final state
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses = []
    for inputs, targets in batches:
        optimizer.zero_grad()
        scores, _ = model(inputs)
        loss = nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        losses.append(loss.item())
    return losses

# mistake: the loss summed over the batch
# says: not the sum
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses, state = [], None
    for inputs, targets in batches:
        optimizer.zero_grad()
        scores, state = model(inputs, state)
        loss = nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1), reduction="sum")
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        losses.append(loss.item())
    return losses

# mistake: clipping each value instead of the norm
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses, state = [], None
    for inputs, targets in batches:
        optimizer.zero_grad()
        scores, state = model(inputs, state)
        loss = nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), max_norm)
        optimizer.step()
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        losses.append(loss.item())
    return losses

# mistake: losses kept as tensors
def train_epoch(model, optimizer, batches, max_norm=MAX_NORM):
    losses, state = [], None
    for inputs, targets in batches:
        optimizer.zero_grad()
        scores, state = model(inputs, state)
        loss = nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        losses.append(loss.detach())
    return losses
