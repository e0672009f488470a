"""PyTorch nn.LSTM / nn.GRU / nn.RNN parameters <-> recur's recurrent-layer layout.

This module is the one place that knows how the two layouts relate (see
framework/include/recur/ops/rnn.h for recur's). It works on plain numpy arrays, so a
torch state dict converts with {k: v.detach().numpy() for k, v in sd.items()}.

Names, for layer k and direction suffix s ("" forward, "_reverse" backward):
    torch                                   recur
    weight_ih_l{k}{s}  [G*H, I_k]           w_ih_l{k}{s}  [I_k, G*H]
    weight_hh_l{k}{s}  [G*H, H]             w_hh_l{k}{s}  [H, G*H]
    bias_ih_l{k}{s}    [G*H]   \
    bias_hh_l{k}{s}    [G*H]   /            bias_l{k}{s}  [Gb*H]  (LSTM, GRU: 4*H; RNN: H)

LSTM: gate order (i, f, g, o) in both; recur's bias is b_ih + b_hh.
GRU: torch's gate blocks (r, z, n) become oneDNN's linear-before-reset (u=z, r, o=n);
recur's bias is [b_iz + b_hz, b_ir + b_hr, b_in, b_hn] (b_in and b_hn cannot merge: b_hn
sits inside r * (W_hn h + b_hn)).
RNN ("rnn": nn.RNN with nonlinearity "tanh", recur's RnnCell::tanh): one gate block;
recur's bias is b_ih + b_hh, exactly as for LSTM.

Merging biases loses nothing for the function, but the split back is not unique:
recur_to_torch puts the merged part into bias_ih and zeros into bias_hh. For gradients
the merge means both torch biases receive the same gradient of a merged entry, which is
what recur_grads_to_torch produces (and what torch computes).
"""

import numpy as np

GATES = {"lstm": 4, "gru": 3, "rnn": 1}
# Cells whose biases merge whole (b_ih + b_hh): every cell but the GRU.
_MERGED = ("lstm", "rnn")
# Index of recur's gate block g in torch's gate order.
_GRU_TORCH_BLOCK = [1, 0, 2]  # u=z, r, o=n from torch (r, z, n)


def _suffixes(num_layers, bidirectional):
    for k in range(num_layers):
        for s in (["", "_reverse"] if bidirectional else [""]):
            yield k, s


def _blocks(a, n):
    """Split the leading axis of `a` into n equal gate blocks."""
    return np.split(np.asarray(a), n, axis=0)


def _torch_weight_to_recur(w, cell):
    """torch [G*H, in] -> recur [in, G*H] (gate blocks reordered for GRU)."""
    blocks = _blocks(w, GATES[cell])
    if cell == "gru":
        blocks = [blocks[i] for i in _GRU_TORCH_BLOCK]
    return np.ascontiguousarray(np.concatenate(blocks, axis=0).T)


def _recur_weight_to_torch(w, cell):
    blocks = _blocks(np.asarray(w).T, GATES[cell])
    if cell == "gru":  # the permutation is its own inverse
        blocks = [blocks[i] for i in _GRU_TORCH_BLOCK]
    return np.ascontiguousarray(np.concatenate(blocks, axis=0))


def _merge_bias(b_ih, b_hh, cell):
    if cell in _MERGED:
        return np.asarray(b_ih) + np.asarray(b_hh)
    ir, iz, i_n = _blocks(b_ih, 3)
    hr, hz, hn = _blocks(b_hh, 3)
    return np.concatenate([iz + hz, ir + hr, i_n, hn])


def torch_to_recur(params, cell, num_layers, bidirectional):
    """torch nn.LSTM/nn.GRU/nn.RNN parameters (numpy) -> recur parameters (numpy)."""
    out = {}
    for k, s in _suffixes(num_layers, bidirectional):
        out[f"w_ih_l{k}{s}"] = _torch_weight_to_recur(params[f"weight_ih_l{k}{s}"], cell)
        out[f"w_hh_l{k}{s}"] = _torch_weight_to_recur(params[f"weight_hh_l{k}{s}"], cell)
        out[f"bias_l{k}{s}"] = _merge_bias(params[f"bias_ih_l{k}{s}"],
                                           params[f"bias_hh_l{k}{s}"], cell)
    return out


def recur_to_torch(params, cell, num_layers, bidirectional):
    """recur parameters -> torch parameters of an equivalent module (bias_hh gets only
    what cannot merge: zeros for LSTM, b_hn for GRU)."""
    out = {}
    for k, s in _suffixes(num_layers, bidirectional):
        out[f"weight_ih_l{k}{s}"] = _recur_weight_to_torch(params[f"w_ih_l{k}{s}"], cell)
        out[f"weight_hh_l{k}{s}"] = _recur_weight_to_torch(params[f"w_hh_l{k}{s}"], cell)
        b = np.asarray(params[f"bias_l{k}{s}"])
        if cell in _MERGED:
            out[f"bias_ih_l{k}{s}"], out[f"bias_hh_l{k}{s}"] = b.copy(), np.zeros_like(b)
        else:
            u, r, o, hn = _blocks(b, 4)
            out[f"bias_ih_l{k}{s}"] = np.concatenate([r, u, o])
            out[f"bias_hh_l{k}{s}"] = np.concatenate([np.zeros_like(r), np.zeros_like(u), hn])
    return out


def torch_grads_to_recur(grads, cell, num_layers, bidirectional):
    """Gradients of torch's parameters -> gradients of recur's. Weights map like the
    weights; a merged bias entry's gradient equals that of either torch bias it came
    from (torch_grads_consistent checks they agree)."""
    out = {}
    for k, s in _suffixes(num_layers, bidirectional):
        out[f"w_ih_l{k}{s}"] = _torch_weight_to_recur(grads[f"weight_ih_l{k}{s}"], cell)
        out[f"w_hh_l{k}{s}"] = _torch_weight_to_recur(grads[f"weight_hh_l{k}{s}"], cell)
        g_ih = np.asarray(grads[f"bias_ih_l{k}{s}"])
        if cell in _MERGED:
            out[f"bias_l{k}{s}"] = g_ih.copy()
        else:
            ir, iz, i_n = _blocks(g_ih, 3)
            hn = _blocks(grads[f"bias_hh_l{k}{s}"], 3)[2]
            out[f"bias_l{k}{s}"] = np.concatenate([iz, ir, i_n, hn])
    return out


def recur_grads_to_torch(grads, cell, num_layers, bidirectional):
    """Gradients of recur's parameters -> gradients of torch's (both biases of a merged
    entry get its gradient)."""
    out = {}
    for k, s in _suffixes(num_layers, bidirectional):
        out[f"weight_ih_l{k}{s}"] = _recur_weight_to_torch(grads[f"w_ih_l{k}{s}"], cell)
        out[f"weight_hh_l{k}{s}"] = _recur_weight_to_torch(grads[f"w_hh_l{k}{s}"], cell)
        g = np.asarray(grads[f"bias_l{k}{s}"])
        if cell in _MERGED:
            out[f"bias_ih_l{k}{s}"], out[f"bias_hh_l{k}{s}"] = g.copy(), g.copy()
        else:
            u, r, o, hn = _blocks(g, 4)
            out[f"bias_ih_l{k}{s}"] = np.concatenate([r, u, o])
            out[f"bias_hh_l{k}{s}"] = np.concatenate([r, u, hn])
    return out


def torch_grads_consistent(grads, cell, num_layers, bidirectional, rtol=1e-10):
    """True if the torch gradients are what the bias merge implies: bias_ih and bias_hh
    agree on every merged entry (all of LSTM's and RNN's; r and z of GRU's)."""
    for k, s in _suffixes(num_layers, bidirectional):
        g_ih = np.asarray(grads[f"bias_ih_l{k}{s}"])
        g_hh = np.asarray(grads[f"bias_hh_l{k}{s}"])
        n = g_ih.shape[0] if cell in _MERGED else 2 * g_ih.shape[0] // 3
        scale = max(1.0, float(np.abs(g_ih).max()))
        if not np.allclose(g_ih[:n], g_hh[:n], rtol=0, atol=rtol * scale):
            return False
    return True
