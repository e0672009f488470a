#!/usr/bin/python3
"""Forecasting (a forecasting model folder, default models/forecast-co2, on its series
tiled to about 24,000 rows with the trend carried on): `recur forecast --backtest` over
every window against bench/peer/torch_forecast.py, alternating runs, median of --reps;
forecasts/s counts windows of H steps, each tool's own time from the series in memory to
the forecasts in the series' units (the peer in chunks of 256 windows, as recur). The
peer runs as one process with N threads and as N single-threaded processes on N slices
of the windows; the ratio is against the faster. The forecasts are compared value by
value. Then training windows/s: `recur train` at the model's pipeline settings (batches
of max_rows windows, Adam, clipping; its log's windows/s, the first log window dropped)
against the peer's training loop on the same windows at N threads and at 1."""

import json
import os

import yaml

import common as c

ROWS, QUICK_ROWS = 24000, 2000
TRAIN_STEPS, QUICK_TRAIN_STEPS = 600, 60


def long_series(args, rows):
    """The series tiled to `rows` rows of its own step, each copy raised by the first's
    rise so the trend continues; monthly times from 0001-01-01."""
    with open(args.forecast_data, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header, body = lines[0], [l.split(",") for l in lines[1:] if l]
    width = len(body[0]) - 1
    values = [[float(v) if v else float("nan") for v in r[1:]] for r in body]
    rise = [values[-1][k] - values[0][k] for k in range(width)]
    path = os.path.join(args.work, f"forecast-series-{rows}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for t in range(rows):
            copy, i = divmod(t, len(values))
            vals = ["" if v != v else f"{v + copy * rise[k]:.4f}" for k, v in enumerate(values[i])]
            f.write(f"{1 + t // 12:04d}-{t % 12 + 1:02d}-01," + ",".join(vals) + "\n")
    return path


def model_settings(args):
    with open(os.path.join(args.forecast_model, "pipeline.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def recur_forecast(args, series, horizon, windows):
    def once(out):
        r = c.run([c.recur_bin(args), "forecast", "-m", args.forecast_model, "-i", series, "--horizon", str(horizon),
                   "--backtest", str(windows), "-o", out, "--threads", str(args.threads)])
        # "recur: W windows x H steps forecast in X s, R windows/s"
        stats = r.err.strip().splitlines()[-1]
        return c.Sample(float(stats.split(" forecast in ")[1].split(" s,")[0]), r.seconds, r.max_rss_mib)
    return once


def agreement(recur_csv, peer_txt):
    with open(recur_csv, encoding="utf-8") as f, open(peer_txt, encoding="utf-8") as g:
        a = [float(l.split(",")[4]) for l in f.read().splitlines()[1:]]
        b = [float(l.split(",")[2]) for l in g.read().splitlines()]
    if len(a) != len(b):
        return f"{len(a)} vs {len(b)} forecasts"
    return f"forecasts within {max(abs(x - y) / max(1.0, abs(x)) for x, y in zip(a, b)):.1g} (relative)"


def train_yaml(args, steps, log_every):
    """The pipeline recipe of the model folder (pipelines/<folder name>.yaml) with an
    absolute series path, no validation and a step budget."""
    name = os.path.basename(os.path.normpath(args.forecast_model))
    with open(os.path.join(c.REPO, "pipelines", name + ".yaml"), encoding="utf-8") as f:
        root = yaml.safe_load(f)
    t = root["train"]
    t["data"] = {"series": os.path.abspath(args.forecast_data), "valid_windows": 0}
    t.update({"max_steps": steps, "log_every": log_every, "valid_every": 10 * steps, "max_minutes": 0,
              "epochs": 100000, "metric": "loss", "patience": 1000,
              "checkpoint_dir": os.path.abspath(os.path.join(args.work, "forecast-ckpt"))})
    path = os.path.join(args.work, "forecast-train.yaml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(root, f, sort_keys=False)
    return path, t.get("max_rows", 32)


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    args.forecast_model = c.model_folder(args.forecast_model, "--forecast-model")
    c.data_file(args.forecast_data, "--forecast-data", "scripts/data/build_series_corpus.py")
    os.makedirs(args.work, exist_ok=True)
    pipe = model_settings(args)
    horizon, context = pipe["forecaster"].get("horizon", 1), pipe["forecaster"].get("context", 24)
    rows = QUICK_ROWS if args.quick else ROWS
    series = long_series(args, rows)
    windows = rows - context - horizon + 1
    peers = c.peer_configurations(args.threads)
    outs = {k: os.path.join(args.work, f"forecast.{k}") for k in ["recur", *peers]}
    cmd = lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_forecast.py"), "--model", args.forecast_model, "-i", series,
        "--horizon", str(horizon), "--backtest", str(windows), "-o", out, "--threads", str(threads),
        "--shard", shard]
    med = c.alternate(args, recur_forecast(args, series, horizon, windows), cmd, outs)
    agree = "; ".join(f"{peers[k]}: {agreement(outs['recur'], outs[k])}" for k in peers)
    rows_out = c.rate_rows("forecast: windows/s", "windows/s", windows, peers, med, "forecasting time", (
        f"; {windows} windows of {horizon} steps ({os.path.basename(args.forecast_model)}); {agree}",
        "; start-up and model loading included"))

    steps = QUICK_TRAIN_STEPS if args.quick else TRAIN_STEPS
    log_every = max(steps // 6, 1)
    path, batch = train_yaml(args, steps, log_every)
    settings = c.thread_settings(args.threads)
    rates = {k: [] for k in ["recur", *settings]}
    for _ in range(args.reps):
        r = c.run([c.recur_bin(args), "train", path, "-o", os.path.join(args.work, "forecast-train-model"),
                   "--threads", str(args.threads)])
        rates["recur"].append(c.steady(c.logged_rates(r.err, "windows/s")))
        for n in settings:
            r = c.run([c.PYTHON, os.path.join(c.PEER, "torch_forecast.py"), "--model", args.forecast_model, "-i",
                       args.forecast_data, "--train-steps", str(steps), "--batch", str(batch), "--threads", str(c.setting_threads(n))],
                      env=c.setting_env(n))
            s = json.loads(r.err.strip().splitlines()[-1])
            rates[n].append(s["windows"] / s["seconds"])
    rate = {k: c.median(v) for k, v in rates.items()}
    best = max(settings, key=lambda n: rate[n])
    others = "".join(f"; {c.setting_label(n)}: {c.fmt(rate[n])} windows/s" for n in settings if n != best)
    rows_out.append({"measure": "forecast training: windows/s", "unit": "windows/s", "recur": rate["recur"],
                     "torch": rate[best],
                     "note": f"{steps} steps of {batch} windows; PyTorch {c.setting_label(best)} (fastest){others}"})
    c.emit(rows_out)


if __name__ == "__main__":
    main()
