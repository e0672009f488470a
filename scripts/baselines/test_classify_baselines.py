"""Tests for the classification baselines: metrics on hand-computed examples, the
softmax regression's gradient against finite differences, and a run end to end.

    /usr/bin/python3 -m unittest discover -s scripts/baselines -p 'test_*.py'
"""

import contextlib
import io
import pathlib
import sys
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import classify_baselines as cb  # noqa: E402


class MetricTest(unittest.TestCase):
    def test_hand_computed_macro_f1(self):
        refs = ["a", "a", "a", "b", "b", "c"]
        preds = ["a", "a", "b", "b", "c", "c"]
        # a: TP 2 FP 0 FN 1 -> 4/5; b: TP 1 FP 1 FN 1 -> 2/4; c: TP 1 FP 1 FN 0 -> 2/3
        self.assertEqual(cb.per_class_f1(refs, preds), {"a": 0.8, "b": 0.5, "c": 2 / 3})
        self.assertAlmostEqual(cb.macro_f1(refs, preds), (0.8 + 0.5 + 2 / 3) / 3)
        self.assertAlmostEqual(cb.accuracy(refs, preds), 4 / 6)

    def test_labels_of_references_or_predictions_count(self):
        # d is only predicted (F1 0); e occurs in neither and is not averaged.
        self.assertAlmostEqual(cb.macro_f1(["a", "a"], ["a", "d"]), (2 / 3 + 0) / 2)
        # majority on a balanced binary set: F1 2/3 for the class, 0 for the other.
        self.assertAlmostEqual(cb.macro_f1(["x", "y", "y", "x"], ["x"] * 4), 1 / 3)

    def test_majority_breaks_ties_alphabetically(self):
        self.assertEqual(cb.majority_label(["pos", "neg", "pos", "neg"]), "neg")
        self.assertEqual(cb.majority_label(["b", "a", "b"]), "b")


TEXTS = ["Great film!", "great acting, great fun", "Awful film.", "awful, boring",
         "fun and great", "boring plot"]
LABELS = ["pos", "pos", "neg", "neg", "pos", "neg"]


class ModelTest(unittest.TestCase):
    def test_features_follow_the_tokenizer(self):
        bow = cb.BagOfWords(["Great film!", "great"], binary=False)
        self.assertEqual(bow.index, {"great": 0, "film": 1, "!": 2})
        self.assertEqual(bow.rows(["GREAT great, film"]), [([0, 1], [2.0, 1.0])])
        self.assertEqual(cb.BagOfWords(["a b", "a"], min_count=2).index, {"a": 0})

    def test_gradient_matches_finite_differences(self):
        for binary in (True, False):
            bow = cb.BagOfWords(TEXTS, binary=binary)
            model = cb.SoftmaxRegression(["neg", "pos", "zzz"], len(bow.index))
            rows = bow.rows(TEXTS)
            objective = model.objective(rows, [1, 1, 0, 0, 2, 0], l2=0.1)
            params = [0.01 * ((7 * i) % 11 - 5) for i in range(len(model.params))]
            _, grad = objective(params)
            for i in range(0, len(params), 3):
                up, down = list(params), list(params)
                up[i] += 1e-6
                down[i] -= 1e-6
                numeric = (objective(up)[0] - objective(down)[0]) / 2e-6
                self.assertAlmostEqual(grad[i], numeric, delta=1e-6)

    def test_fit_separates_and_is_deterministic(self):
        bow = cb.BagOfWords(TEXTS)
        fitted = []
        for _ in range(2):
            model = cb.SoftmaxRegression(["neg", "pos"], len(bow.index))
            model.fit(bow.rows(TEXTS), LABELS, l2=1e-3)
            fitted.append(model.params)
            self.assertEqual(model.predict(bow.rows(TEXTS)), LABELS)
            self.assertEqual(model.predict(bow.rows(["great fun", "so boring"])),
                             ["pos", "neg"])
        self.assertEqual(fitted[0], fitted[1])

    def test_lbfgs_on_a_quadratic(self):
        def objective(x):
            return (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2, [2 * (x[0] - 3), 20 * (x[1] + 1)]
        x, value, _ = cb.lbfgs(objective, [0.0, 0.0], gtol=1e-9, ftol=0)
        self.assertAlmostEqual(x[0], 3, places=6)
        self.assertAlmostEqual(x[1], -1, places=6)


class MainTest(unittest.TestCase):
    def test_table_and_predictions(self):
        tmp = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory()))
        files = {"train": (TEXTS, LABELS), "valid": (["great", "awful"], ["pos", "neg"]),
                 "test": (["great film", "boring, awful", "fun"], ["pos", "neg", "neg"])}
        argv = ["classify_baselines.py", "--predict-out", str(tmp / "pred")]
        for split, (texts, labels) in files.items():
            (tmp / f"{split}.text").write_text("\n".join(texts) + "\n")
            (tmp / f"{split}.label").write_text("\n".join(labels) + "\n")
            argv += [f"--{split}-text", str(tmp / f"{split}.text"),
                     f"--{split}-label", str(tmp / f"{split}.label")]
        log = io.StringIO()
        with mock.patch.object(sys, "argv", argv), contextlib.redirect_stdout(log):
            cb.main()
        self.assertEqual((tmp / "pred").read_text(), "pos\nneg\npos\n")
        # majority: train has 3 neg / 3 pos -> neg; test refs pos neg neg.
        self.assertIn("| majority (neg) | 0.6667 | 0.4000 |", log.getvalue())
        self.assertIn("chosen on valid: l2 0.01", log.getvalue())  # all tie: strongest
        self.assertRegex(log.getvalue(), r"\| BoW-LR \(binary, l2 0\.01\) \| 0\.6667 \| 0\.6667 \|")


if __name__ == "__main__":
    unittest.main()
