#!/usr/bin/python3
"""Checks scripts/convert/torch_rnn.py against PyTorch (needs python3-torch):

  * a numpy step of recur's documented cell equations, fed recur-layout parameters,
    reproduces torch's nn.LSTM / nn.GRU / nn.RNN (tanh);
  * recur -> torch -> recur is the identity, torch -> recur -> torch an equivalent module;
  * torch's bias gradients agree on merged entries, and gradients survive
    torch -> recur -> torch unchanged.

Run: /usr/bin/python3 scripts/convert/test_torch_rnn.py   (exit status 0 on success)
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_rnn  # noqa: E402

MODULES = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def recur_step(cell, x, h, c, w_ih, w_hh, bias):
    """One step of recur's cells as rnn.h documents them (oneDNN's equations)."""
    H = h.shape[-1]
    if cell == "lstm":
        z = x @ w_ih + h @ w_hh + bias
        i, f, g, o = (z[:, j * H:(j + 1) * H] for j in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        return sigmoid(o) * np.tanh(c), c
    if cell == "rnn":
        return np.tanh(x @ w_ih + h @ w_hh + bias), None
    a, b = x @ w_ih, h @ w_hh
    u = sigmoid(a[:, :H] + b[:, :H] + bias[:H])
    r = sigmoid(a[:, H:2 * H] + b[:, H:2 * H] + bias[H:2 * H])
    o = np.tanh(a[:, 2 * H:] + bias[2 * H:3 * H] + r * (b[:, 2 * H:] + bias[3 * H:]))
    return u * h + (1 - u) * o, None


def numpy_params(module):
    return {k: v.detach().double().numpy() for k, v in module.named_parameters()}


def check_cell_equations(cell):
    torch.manual_seed(1)
    m = MODULES[cell](5, 4, batch_first=True).double()
    x = torch.randn(3, 1, 5, dtype=torch.double)
    h0 = torch.randn(1, 3, 4, dtype=torch.double)
    c0 = torch.randn(1, 3, 4, dtype=torch.double)
    out, state = m(x, (h0, c0)) if cell == "lstm" else m(x, h0)
    p = torch_rnn.torch_to_recur(numpy_params(m), cell, 1, False)
    h, _ = recur_step(cell, x[:, 0].numpy(), h0[0].numpy(), c0[0].numpy(),
                      p["w_ih_l0"], p["w_hh_l0"], p["bias_l0"])
    assert np.allclose(h, out[:, 0].detach().numpy(), atol=1e-12), cell


def check_round_trips(cell, layers, bidirectional):
    torch.manual_seed(2)
    ctor = MODULES[cell]
    m = ctor(3, 5, num_layers=layers, bidirectional=bidirectional, batch_first=True).double()
    p = torch_rnn.torch_to_recur(numpy_params(m), cell, layers, bidirectional)
    back = torch_rnn.torch_to_recur(torch_rnn.recur_to_torch(p, cell, layers, bidirectional),
                                    cell, layers, bidirectional)
    assert all(np.array_equal(p[k], back[k]) for k in p)

    m2 = ctor(3, 5, num_layers=layers, bidirectional=bidirectional, batch_first=True).double()
    with torch.no_grad():
        for k, v in torch_rnn.recur_to_torch(p, cell, layers, bidirectional).items():
            getattr(m2, k).copy_(torch.from_numpy(v))
    x = torch.randn(2, 4, 3, dtype=torch.double)
    assert torch.allclose(m(x)[0], m2(x)[0], atol=1e-12)

    loss = (m(x)[0] * torch.randn(2, 4, 5 * (2 if bidirectional else 1),
                                   dtype=torch.double)).sum()
    loss.backward()
    grads = {k: v.grad.numpy() for k, v in m.named_parameters()}
    assert torch_rnn.torch_grads_consistent(grads, cell, layers, bidirectional)
    again = torch_rnn.recur_grads_to_torch(
        torch_rnn.torch_grads_to_recur(grads, cell, layers, bidirectional),
        cell, layers, bidirectional)
    assert all(np.allclose(grads[k], again[k], atol=1e-12) for k in grads), (cell, layers)


def main():
    for cell in MODULES:
        check_cell_equations(cell)
        for layers in (1, 2):
            for bidirectional in (False, True):
                check_round_trips(cell, layers, bidirectional)
    print("torch_rnn: all checks passed")


if __name__ == "__main__":
    main()
