#!/usr/bin/python3
"""Text-classification baselines: the majority class and a bag-of-words logistic
regression. A classifier that does not beat both has learned nothing beyond word
counts.

  /usr/bin/python3 scripts/baselines/classify_baselines.py \\
      [--train-text data/sentiment/train.text --train-label data/sentiment/train.label] \\
      [--valid-text data/sentiment/valid.text --valid-label data/sentiment/valid.label] \\
      [--test-text data/sentiment/test.text --test-label data/sentiment/test.label] \\
      [--predict-out FILE]

Inputs are one record per line: line i of the .text file has its class on line i
of the .label file. Prints, for the test split, a markdown table of accuracy and
macro-F1 of:

- majority: the most frequent train label (ties: alphabetically first);
- BoW-LR: multinomial (softmax) logistic regression over the train vocabulary,
  tokens by scripts/data/word_tokens.py (the whitespace tokenizer with
  lowercase and split_punctuation), binary features (or counts with --features
  count) and a bias per class. Objective: mean cross-entropy + l2/2 * |W|^2 (bias
  not regularised), minimised by full-batch L-BFGS from zero, which is
  deterministic. With --valid-* the L2 strength is the one of --l2-grid with the
  best valid accuracy (ties: better macro-F1, then the stronger L2), each
  grid point warm-started from the previous (stronger) one; otherwise --l2.

Macro-F1 is sklearn's f1_score(average='macro', zero_division=0): the mean of the
per-class F1 = 2TP / (2TP + FP + FN) over the labels that occur in the references
or the predictions. --predict-out writes BoW-LR's test predictions, one label per
line. Standard library only.
"""

import argparse
import collections
import math
import operator
import os
import pathlib
import sys
import time

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "data"))
import word_tokens  # noqa: E402


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def read_split(text_path, label_path):
    texts, labels = read_lines(text_path), read_lines(label_path)
    if len(texts) != len(labels):
        sys.exit(f"error: {text_path} has {len(texts)} lines, {label_path} {len(labels)}")
    for number, label in enumerate(labels, 1):
        if not label.strip():
            sys.exit(f"error: {label_path}:{number}: empty label")
    return texts, labels


# --- metrics ---------------------------------------------------------------

def accuracy(references, predictions):
    return sum(r == p for r, p in zip(references, predictions)) / len(references)


def per_class_f1(references, predictions):
    """{label: F1} over the labels in references or predictions; F1 is
    2TP / (2TP + FP + FN), which is 0 when TP is 0 (zero_division=0)."""
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    for r, p in zip(references, predictions):
        if r == p:
            tp[r] += 1
        else:
            fp[p] += 1
            fn[r] += 1
    labels = set(references) | set(predictions)
    return {c: 2 * tp[c] / (2 * tp[c] + fp[c] + fn[c]) for c in sorted(labels)}


def macro_f1(references, predictions):
    scores = per_class_f1(references, predictions)
    return sum(scores.values()) / len(scores)


def majority_label(labels):
    counts = collections.Counter(labels)
    return min(counts, key=lambda label: (-counts[label], label))


# --- features --------------------------------------------------------------

class BagOfWords:
    """Token -> feature id over the train tokens seen at least min_count times
    (ids in order of first appearance); other tokens are ignored."""

    def __init__(self, texts, min_count=1, binary=True):
        counts = collections.Counter(t for text in texts for t in word_tokens.tokens(text))
        self.index = {}
        for text in texts:
            for token in word_tokens.tokens(text):
                if counts[token] >= min_count and token not in self.index:
                    self.index[token] = len(self.index)
        self.binary = binary

    def rows(self, texts):
        """Per text: (feature ids, values) with ids ascending; values None for
        binary features (every value 1)."""
        result = []
        for text in texts:
            counts = collections.Counter(self.index[t] for t in word_tokens.tokens(text)
                                         if t in self.index)
            ids = sorted(counts)
            result.append((ids, None if self.binary else [float(counts[i]) for i in ids]))
        return result


# --- optimiser -------------------------------------------------------------

def dot(a, b):
    return sum(map(operator.mul, a, b))


def axpy(alpha, x, y):
    """alpha * x + y."""
    return [alpha * xi + yi for xi, yi in zip(x, y)]


def lbfgs(objective, x, max_iter=500, memory=8, gtol=1e-6, ftol=1e-10):
    """Minimises objective(x) -> (value, gradient) by L-BFGS with a backtracking
    Armijo line search. Returns (x, value, iterations). Deterministic."""
    value, grad = objective(x)
    history = collections.deque(maxlen=memory)  # (s, y, 1 / y.s)
    for iteration in range(1, max_iter + 1):
        if max(map(abs, grad)) < gtol:
            return x, value, iteration - 1
        q, alphas = list(grad), []
        for s, y, rho in reversed(history):
            alphas.append(rho * dot(s, q))
            q = axpy(-alphas[-1], y, q)
        if history:
            s, y, _ = history[-1]
            gamma = dot(s, y) / dot(y, y)
        else:
            gamma = 1.0 / max(1.0, math.sqrt(dot(grad, grad)))
        q = [gamma * qi for qi in q]
        for (s, y, rho), alpha in zip(history, reversed(alphas)):
            q = axpy(alpha - rho * dot(y, q), s, q)
        slope = -dot(grad, q)
        if slope >= 0:  # not a descent direction: restart from the gradient
            history.clear()
            q, slope = list(grad), -dot(grad, grad)
        step = 1.0
        while True:
            candidate = axpy(-step, q, x)
            new_value, new_grad = objective(candidate)
            if new_value <= value + 1e-4 * step * slope:
                break
            step *= 0.5
            if step < 1e-12:
                return x, value, iteration
        s = [c - xi for c, xi in zip(candidate, x)]
        y = [ng - g for ng, g in zip(new_grad, grad)]
        sy = dot(s, y)
        if sy > 1e-12:
            history.append((s, y, 1.0 / sy))
        converged = value - new_value <= ftol * max(1.0, abs(value))
        x, value, grad = candidate, new_value, new_grad
        if converged:
            return x, value, iteration
    return x, value, max_iter


# --- softmax regression ----------------------------------------------------

class SoftmaxRegression:
    """Parameters: one block of n_features weights and a bias per class, flat."""

    def __init__(self, classes, n_features):
        self.classes, self.n_features = list(classes), n_features
        self.params = [0.0] * (len(self.classes) * (n_features + 1))

    def blocks(self, params):
        width = self.n_features + 1
        return [params[k * width:(k + 1) * width] for k in range(len(self.classes))]

    def scores(self, params, rows):
        """[class][row] linear scores."""
        result = []
        for block in self.blocks(params):
            get, bias = block.__getitem__, block[-1]
            result.append([bias + (sum(map(get, ids)) if values is None
                                   else dot(map(get, ids), values)) for ids, values in rows])
        return result

    def objective(self, rows, targets, l2):
        """(params -> (loss, gradient)) for rows with class indices targets."""
        n, k_count = len(rows), len(self.classes)
        by_feature = [[] for _ in range(self.n_features)]  # the transpose: (rows, values)
        for r, (ids, values) in enumerate(rows):
            for position, j in enumerate(ids):
                by_feature[j].append((r, 1.0 if values is None else values[position]))
        columns = [([r for r, _ in pairs], [v for _, v in pairs]) for pairs in by_feature]
        binary = all(values is None for _, values in rows)

        def evaluate(params):
            scores = self.scores(params, rows)
            loss, residual = 0.0, [[0.0] * n for _ in range(k_count)]
            for r in range(n):
                top = max(scores[k][r] for k in range(k_count))
                exps = [math.exp(scores[k][r] - top) for k in range(k_count)]
                total = sum(exps)
                loss -= scores[targets[r]][r] - top - math.log(total)
                for k in range(k_count):
                    residual[k][r] = (exps[k] / total - (k == targets[r])) / n
            grad = []
            for block, res in zip(self.blocks(params), residual):
                get = res.__getitem__
                grad += [(sum(map(get, rs)) if binary else dot(map(get, rs), vs)) + l2 * w
                         for (rs, vs), w in zip(columns, block)]
                grad.append(sum(res))
                loss += 0.5 * l2 * n * (dot(block, block) - block[-1] ** 2)
            return loss / n, grad

        return evaluate

    def fit(self, rows, labels, l2, max_iter=500):
        index = {c: k for k, c in enumerate(self.classes)}
        targets = [index[label] for label in labels]
        self.params, loss, iterations = lbfgs(self.objective(rows, targets, l2), self.params,
                                              max_iter=max_iter)
        return loss, iterations

    def predict(self, rows):
        scores = self.scores(self.params, rows)
        return [self.classes[max(range(len(self.classes)), key=lambda k: scores[k][r])]
                for r in range(len(rows))]


# --- driver ----------------------------------------------------------------

def fit_lr(args, train, valid):
    """The BoW-LR model (selected on valid if given) and a description."""
    bow = BagOfWords(train[0], args.min_count, args.features == "binary")
    model = SoftmaxRegression(sorted(set(train[1])), len(bow.index))
    rows = bow.rows(train[0])
    print(f"{len(train[0])} train records, {len(model.classes)} classes, "
          f"{len(bow.index)} features ({args.features})")
    grid = sorted(args.l2_grid, reverse=True) if valid else [args.l2]
    best = None
    for l2 in grid:
        start = time.monotonic()
        loss, iterations = model.fit(rows, train[1], l2, args.max_iter)
        line = (f"l2 {l2:g}: train loss {loss:.4f} after {iterations} L-BFGS iterations "
                f"({time.monotonic() - start:.1f} s)")
        if valid:
            predicted = model.predict(bow.rows(valid[0]))
            key = (accuracy(valid[1], predicted), macro_f1(valid[1], predicted))
            line += f"; valid accuracy {key[0]:.4f}, macro-F1 {key[1]:.4f}"
            if best is None or key > best[0]:
                best = (key, l2, list(model.params))
        print(line)
    if best:
        model.params, l2 = best[2], best[1]
        print(f"chosen on valid: l2 {l2:g}")
    return bow, model, f"BoW-LR ({args.features}, l2 {l2:g})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for split, default in (("train", "train"), ("valid", None), ("test", "test")):
        for kind in ("text", "label"):
            parser.add_argument(f"--{split}-{kind}", type=pathlib.Path,
                                default=DATA / "sentiment" / f"{default}.{kind}" if default
                                else None)
    parser.add_argument("--features", choices=("binary", "count"), default="binary")
    parser.add_argument("--min-count", type=int, default=1,
                        help="train occurrences a token needs to be a feature (default 1)")
    parser.add_argument("--l2", type=float, default=1e-3,
                        help="L2 strength without a valid split (default 1e-3)")
    parser.add_argument("--l2-grid", type=lambda s: [float(x) for x in s.split(",")],
                        default=[1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5],
                        help="L2 strengths tried on the valid split (default 1e-2,3e-3,...,1e-5)")
    parser.add_argument("--max-iter", type=int, default=500)
    parser.add_argument("--predict-out", type=pathlib.Path,
                        help="write BoW-LR's test predictions here, one label per line")
    args = parser.parse_args()
    if (args.valid_text is None) != (args.valid_label is None):
        parser.error("--valid-text and --valid-label go together")

    train = read_split(args.train_text, args.train_label)
    valid = read_split(args.valid_text, args.valid_label) if args.valid_text else None
    test_texts, test_labels = read_split(args.test_text, args.test_label)
    majority = majority_label(train[1])
    bow, model, name = fit_lr(args, train, valid)
    predicted = model.predict(bow.rows(test_texts))
    if args.predict_out:
        args.predict_out.write_text("".join(p + "\n" for p in predicted), encoding="utf-8")

    print(f"\ntest: {len(test_texts)} records ({os.path.relpath(args.test_text)})\n")
    print("| model | accuracy | macro-F1 |\n|---|---:|---:|")
    for label, output in ((f"majority ({majority})", [majority] * len(test_labels)),
                          (name, predicted)):
        print(f"| {label} | {accuracy(test_labels, output):.4f} | "
              f"{macro_f1(test_labels, output):.4f} |")


if __name__ == "__main__":
    main()
