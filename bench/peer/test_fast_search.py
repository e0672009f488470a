#!/usr/bin/python3
"""The benchmark's batched search gives the same hypotheses (ids and scores) as the
exact port of recur's search, on the checked-in parity fixture models.

  /usr/bin/python3 -m unittest discover -s bench/peer
"""

import json
import os
import sys
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fast_search  # noqa: E402
from model_folder import ModelFolder, ref  # noqa: E402
import recur_search  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "tests", "data", "fixtures", "seq2seq")


class FastSearchTest(unittest.TestCase):
    def test_same_hypotheses_as_reference_search(self):
        with open(os.path.join(FIXTURES, "sentences.json"), encoding="utf-8") as f:
            sentences = [s["source"] for s in json.load(f)]
        torch.set_grad_enabled(False)
        for name in ("gru_dot", "gru_general", "lstm2_tied", "lstm_mlp"):
            folder = ModelFolder(os.path.join(FIXTURES, name))
            rows = [folder.source_ids(s) for s in sentences]
            src, lengths = ref.pad_batch(rows)
            for beam in (1, 2, 5):
                o = folder.options
                o.beam_size, o.n_best = beam, 1
                memory = folder.model.encoder(src, lengths)
                want = recur_search.decode(folder.model.decoder, memory, [len(r) for r in rows], o)
                memory = folder.model.encoder(src, lengths)
                got = fast_search.decode(folder.model.decoder, memory, [len(r) for r in rows], o)
                for w, g in zip(want, got):
                    with self.subTest(model=name, beam=beam):
                        self.assertEqual(list(w[0].ids), list(g[0].ids))
                        self.assertEqual(float(w[0].score), float(g[0].score))


if __name__ == "__main__":
    unittest.main()
