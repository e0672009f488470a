#!/usr/bin/python3
"""The forecasting peer's network (torch_forecast.Model) reads recur's parameter names
and gives the outputs of the forecasting parity fixtures (tests/data/fixtures/forecast,
made by scripts/fixtures/make_forecast_fixtures.py), teacher-forced and generated; and
its windows reproduce the task's features on a hand-checked series.

  /usr/bin/python3 -m unittest discover -s bench/peer
"""

import os
import sys
import unittest

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import torch_forecast  # noqa: E402
import safetensors_io  # noqa: E402  (on sys.path through torch_forecast)

FIXTURES = os.path.join(REPO, "tests", "data", "fixtures", "forecast")


class ModelTest(unittest.TestCase):
    def test_fixtures(self):
        names = sorted(n for n in os.listdir(FIXTURES) if n.endswith(".safetensors"))
        self.assertEqual(len(names), 4)
        for name in names:
            tensors, meta = safetensors_io.read(os.path.join(FIXTURES, name))
            settings = {"cell": meta["cell"], "layers": int(meta["layers"]), "hidden_size": int(meta["hidden_size"]),
                        "bidirectional": meta["bidirectional"] == "1", "head": meta["head"], "loss": meta["loss"],
                        "horizon": int(meta["horizon"])}
            if meta["quantiles"]:
                settings["quantiles"] = [float(q) for q in meta["quantiles"].split(",")]
            x = torch.tensor(np.asarray(tensors["x"]))
            d = torch.tensor(np.asarray(tensors["decoder_inputs"]))
            model = torch_forecast.Model(settings, x.shape[2], d.shape[2])
            model.load({"head." + k: v for k, v in tensors.items()})
            with torch.no_grad():
                np.testing.assert_allclose(model(x, d).numpy(), tensors["outputs"], atol=1e-5, err_msg=name)
                if "generated" in tensors:
                    np.testing.assert_allclose(model.generate(x, d).numpy(), tensors["generated"], atol=1e-5,
                                               err_msg=name)


class WindowsTest(unittest.TestCase):
    def test_relative_features_and_calendar(self):
        times = ["2019-11-01", "2019-12-01", "2020-01-01", "2020-02-01"]
        values = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0]])
        w = torch_forecast.Windows({"relative": True, "season": 12, "calendar": True}, 2, times, values,
                                   [("none", 0.0, 1.0), ("none", 0.0, 1.0)])
        x, d, y, level = w.batch([3], 1)
        # Rows 1, 2 minus row 2; row 2 is January: phase 0, (sin, cos) = (0, 1).
        np.testing.assert_allclose(x[0, :, :2].numpy(), [[-1, -10], [0, 0]])
        np.testing.assert_allclose(x[0, 1, 2:].numpy(), [0, 1], atol=1e-6)
        np.testing.assert_allclose(y.numpy(), [[1]])
        np.testing.assert_allclose(d[0, 0, 0].item(), 0)
        self.assertEqual(level.tolist(), [3.0])
        np.testing.assert_allclose(w.unscale(torch.tensor([[1.0]]), level), [[4.0]])


if __name__ == "__main__":
    unittest.main()
