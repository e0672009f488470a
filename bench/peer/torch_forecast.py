#!/usr/bin/python3
"""PyTorch peer of `recur forecast --backtest` and of `recur train` for a forecasting
model folder (task forecasting, tasks/forecast/): the same network as plain torch modules
(float32, the folder's weights and fitted scalers) and the same windows.

  forecast: /usr/bin/python3 bench/peer/torch_forecast.py --model DIR -i SERIES.csv \\
                --horizon H --backtest N -o OUT [--threads T] [--shard K/N]
      the last N origins' H-step forecasts in chunks of 256 windows (recur's), one line
      `origin,step,forecast` each (the forecast as recur writes it, %.10g), timed from
      the series in memory to the forecasts in the series' units (features, model,
      inverse scaling); stderr's last line: {"windows", "seconds", "load_seconds"}
  train:    ... --model DIR -i SERIES.csv --train-steps K --batch B [--threads T]
      K steps of Adam (lr 0.003, clipping at norm 1) on batches of B windows from a
      seeded shuffle, the model's own loss; stderr: {"windows", "seconds"}

The network (tasks/forecast/forecast_model.h): window rows [o - L, o) of the scaled
columns minus their value at row o - 1 (`relative`), sin/cos of the row's position in
the season (`calendar`) -> nn.LSTM / GRU / RNN (batch first, layers, directions) ->
the top layer's last states [B, D*H] -> Linear(D*H, horizon * Q) (direct) or a one-layer
RNN of size D*H started there, reading the previous target and the step's calendar,
then Linear(D*H, Q) (autoregressive; its own median fed back when forecasting).
"""

import argparse
import calendar as _calendar
import csv
import datetime
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "reference"))
sys.path.insert(0, os.path.join(REPO, "scripts", "convert"))
sys.path.insert(0, HERE)
from batching import shard  # noqa: E402
import safetensors_io  # noqa: E402
import torch_rnn  # noqa: E402
import yaml  # noqa: E402

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}
CHUNK = 256


def ordinals(times):
    """Each row's position in steps (recur's TimeAxis::ordinal): integers / step, dates
    in months / step when every stamp has the same day of the month, else days / step."""
    if all(t.lstrip("+-").isdigit() for t in times):
        units = [int(t) for t in times]
    else:
        dates = [datetime.date.fromisoformat(t) for t in times]
        if len({d.day for d in dates}) == 1:
            units = [d.year * 12 + d.month - 1 for d in dates]
        else:
            units = [(d - datetime.date(1970, 1, 1)).days for d in dates]
    step = units[1] - units[0]
    return np.array([u // step for u in units], dtype=np.int64)


def read_series(path, time_column, columns):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    t = header.index(time_column)
    idx = [header.index(c) for c in columns]
    body = [r for r in rows[1:] if r]
    times = [r[t] for r in body]
    values = np.array([[float(r[i]) if r[i].strip() not in ("", "NA", "NaN", "nan", "null") else np.nan
                        for i in idx] for r in body], dtype=np.float64)
    for c in range(values.shape[1]):  # linear interpolation, nearest at the ends
        v = values[:, c]
        ok = ~np.isnan(v)
        v[~ok] = np.interp(np.flatnonzero(~ok), np.flatnonzero(ok), v[ok])
    return times, values


def scaler_apply(kind, shift, scale, x):
    if kind == "none":
        return x
    if kind == "log":
        x = np.log1p(x)
    return (x - shift) / scale


def scaler_invert(kind, shift, scale, y):
    if kind == "none":
        return y
    x = y * scale + shift
    return np.expm1(x) if kind == "log" else x


class Model(nn.Module):
    def __init__(self, f, input_size, dec_size):
        super().__init__()
        self.cell, self.head = f.get("cell", "lstm"), f.get("head", "direct")
        self.d = 2 if f.get("bidirectional", False) else 1
        self.hidden, self.layers = f.get("hidden_size", 32), f.get("layers", 1)
        self.horizon = f.get("horizon", 1)
        self.quantiles = f.get("quantiles", [0.1, 0.5, 0.9]) if f.get("loss", "mse") == "quantile" else []
        self.q = max(1, len(self.quantiles))
        self.point = self.quantiles.index(0.5) if self.quantiles else 0
        self.encoder = CELLS[self.cell](input_size, self.hidden, num_layers=self.layers, batch_first=True,
                                        bidirectional=self.d == 2)
        size = self.d * self.hidden
        if self.head == "direct":
            self.output = nn.Linear(size, self.horizon * self.q)
        else:
            self.decoder = CELLS[self.cell](dec_size, size, num_layers=1, batch_first=True)
            self.output = nn.Linear(size, self.q)

    def flatten(self, states):
        top = states[-self.d:]
        return top.permute(1, 0, 2).reshape(top.shape[1], -1)

    def start(self, x):
        _, state = self.encoder(x)
        if self.cell == "lstm":
            return self.flatten(state[0]), (self.flatten(state[0]).unsqueeze(0), self.flatten(state[1]).unsqueeze(0))
        return self.flatten(state), self.flatten(state).unsqueeze(0)

    def forward(self, x, d):
        summary, state = self.start(x)
        if self.head == "direct":
            return self.output(summary).reshape(x.shape[0], self.horizon, self.q)
        out, _ = self.decoder(d, state)
        return self.output(out)

    def generate(self, x, d):
        summary, state = self.start(x)
        if self.head == "direct":
            return self.output(summary).reshape(x.shape[0], self.horizon, self.q)
        outs, prev = [], None
        for k in range(d.shape[1]):
            step = d[:, k:k + 1].clone()
            if prev is not None:
                step[:, 0, 0] = prev
            out, state = self.decoder(step, state)
            y = self.output(out[:, 0])
            outs.append(y)
            prev = y[:, self.point]
        return torch.stack(outs, 1)

    def load(self, tensors):
        own = {"output.weight": tensors["head.output.weight"], "output.bias": tensors["head.output.bias"]}
        parts = [("encoder", self.encoder, self.layers, self.d == 2)]
        if self.head != "direct":
            parts.append(("decoder", self.decoder, 1, False))
        for prefix, module, layers, bi in parts:
            recur_names = {}
            for k, s in torch_rnn._suffixes(layers, bi):
                direction = (".bwd" if s else ".fwd") if bi else ""
                for kind in ("w_ih", "w_hh", "bias"):
                    recur_names[f"{kind}_l{k}{s}"] = tensors[f"head.{prefix}.l{k}{direction}.{kind}"]
            for name, v in torch_rnn.recur_to_torch(recur_names, self.cell, layers, bi).items():
                own[f"{prefix}.{name}"] = v
        self.load_state_dict({k: torch.tensor(np.asarray(v, dtype=np.float32)) for k, v in own.items()})


class Windows:
    """tasks/forecast/forecast_windows.h in numpy."""

    def __init__(self, s, context, times, values, scalers):
        self.context, self.relative = context, s.get("relative", True)
        self.season, self.calendar = s.get("season", 1), s.get("calendar", False)
        self.scaled = np.stack([scaler_apply(k, a, b, values[:, c]) for c, (k, a, b) in enumerate(scalers)], 1)
        self.scalers = scalers
        self.ordinal = ordinals(times)
        self.n = len(times)

    def cal(self, rows):
        phase = np.mod(self.ordinal[0] + rows, self.season)
        angle = 2 * math.pi * phase / self.season
        return np.stack([np.sin(angle), np.cos(angle)], -1)

    def batch(self, origins, horizon):
        o = np.asarray(origins)
        rows = o[:, None] - self.context + np.arange(self.context)[None, :]            # [B, L]
        level = self.scaled[o - 1] if self.relative else np.zeros((len(o), self.scaled.shape[1]))
        x = self.scaled[rows] - level[:, None, :]
        fut = o[:, None] + np.arange(horizon)[None, :]                                   # [B, H]
        prev = np.minimum(fut - 1, self.n - 1)
        dec = np.where((fut - 1 < self.n)[..., None], self.scaled[prev, :1] - level[:, None, :1], 0.0)
        if self.calendar:
            x = np.concatenate([x, self.cal(rows)], -1)
            dec = np.concatenate([dec, self.cal(fut)], -1)
        y = self.scaled[np.minimum(fut, self.n - 1), 0] - level[:, None, 0]
        f32 = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))
        return f32(x), f32(dec), f32(y), level[:, 0]

    def unscale(self, out, level):
        kind, a, b = self.scalers[0]
        return scaler_invert(kind, a, b, level[:, None] + out.numpy().astype(np.float64))


def loss_of(model, kind, out, y):
    e = y.unsqueeze(2) - out
    if kind == "mse":
        return (e * e).mean()
    if kind == "mae":
        return e.abs().mean()
    q = torch.tensor(model.quantiles, dtype=torch.float32)
    return torch.maximum(q * e, (q - 1) * e).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("-i", "--input", required=True)
    p.add_argument("-o", "--output")
    p.add_argument("--horizon", type=int)
    p.add_argument("--backtest", type=int)
    p.add_argument("--train-steps", type=int, default=0)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--shard", default="0/1")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    with open(os.path.join(args.model, "pipeline.yaml"), encoding="utf-8") as f:
        pipe = yaml.safe_load(f)
    s, fc = pipe["series"], pipe.get("forecaster", {})
    columns = [s["target"]] + list(s.get("inputs", []))
    tensors, _ = safetensors_io.read(os.path.join(args.model, pipe.get("weights", "model.safetensors")))
    bits = np.asarray(tensors["head.scalers"], dtype=np.int64).view(np.float64)
    per = s.get("scalers", {}) or {}
    scalers = [(per.get(c, s.get("scaler", "standard")), bits[i, 0], bits[i, 1]) for i, c in enumerate(columns)]
    cal = 2 if s.get("calendar", False) else 0
    model = Model(fc, len(columns) + cal, 1 + cal)
    model.load(tensors)
    times, values = read_series(args.input, s.get("time", "time"), columns)
    windows = Windows(s, fc.get("context", 24), times, values, scalers)
    load_seconds = time.perf_counter() - start

    if args.train_steps:
        model.train()
        horizon = model.horizon
        origins = np.arange(windows.context, windows.n - horizon + 1)
        rng = np.random.default_rng(1)
        opt = torch.optim.Adam(model.parameters(), lr=0.003)
        t0 = time.perf_counter()
        order = rng.permutation(origins)
        for step in range(args.train_steps):
            k = (step * args.batch) % max(1, len(order) - args.batch)
            x, d, y, _ = windows.batch(order[k:k + args.batch], horizon)
            loss = loss_of(model, fc.get("loss", "mse"), model(x, d), y)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        seconds = time.perf_counter() - t0
        print(json.dumps({"windows": args.train_steps * args.batch, "seconds": seconds}), file=sys.stderr)
        return

    n = windows.n
    first = n - args.horizon - (args.backtest - 1)
    origins = shard(list(range(first, n - args.horizon + 1)), args.shard)
    model.eval()
    lines = []
    t0 = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(origins), CHUNK):
            chunk = origins[i:i + CHUNK]
            x, d, _, level = windows.batch(chunk, args.horizon)
            out = model.generate(x, d)[:, :args.horizon, model.point]
            for o, row in zip(chunk, windows.unscale(out, level)):
                lines += [f"{o},{k + 1},{v:.10g}" for k, v in enumerate(row)]
    seconds = time.perf_counter() - t0
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + ("\n" if lines else ""))
    print(json.dumps({"windows": len(origins), "seconds": seconds, "load_seconds": load_seconds}), file=sys.stderr)


if __name__ == "__main__":
    main()
