#!/usr/bin/python3
"""The scripted (and frozen) decoder step gives the same log-probabilities and the same
search results as the reference decoder, on the checked-in parity fixture models; a model
it does not cover (mlp attention) runs eagerly.

  /usr/bin/python3 -m unittest discover -s bench/peer
"""

import json
import os
import sys
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fast_search  # noqa: E402
import jit_decoder  # noqa: E402
from model_folder import ModelFolder, ref  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "tests", "data", "fixtures", "seq2seq")


def load(name):
    folder = ModelFolder(os.path.join(FIXTURES, name))
    with open(os.path.join(FIXTURES, "sentences.json"), encoding="utf-8") as f:
        rows = [folder.source_ids(s["source"]) for s in json.load(f)]
    return folder, rows


class JitDecoderTest(unittest.TestCase):
    def test_same_step_and_hypotheses(self):
        torch.set_grad_enabled(False)
        for name in ("gru_dot", "gru_general", "lstm2_tied"):
            folder, rows = load(name)
            src, lengths = ref.pad_batch(rows)
            memory = folder.model.encoder(src, lengths)
            for mode in ("script", "freeze"):
                dec, ran = jit_decoder.wrap(folder.model.decoder, mode)
                self.assertEqual(ran, mode)
                prev = [folder.options.bos_id] * len(rows)
                want_state, got_state = folder.model.decoder.init(memory), dec.init(memory)
                for _ in range(3):  # a few steps: the recurrent state is carried over too
                    want, _ = folder.model.decoder.step(want_state, prev)
                    got, _ = dec.step(got_state, prev)
                    with self.subTest(model=name, mode=mode):
                        torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
                    prev = want.argmax(dim=1).tolist()
                for beam in (1, 5):
                    o = folder.options
                    o.beam_size, o.n_best = beam, 1
                    want = fast_search.decode(folder.model.decoder, memory, [len(r) for r in rows], o)
                    got = fast_search.decode(dec, memory, [len(r) for r in rows], o)
                    with self.subTest(model=name, mode=mode, beam=beam):
                        self.assertEqual([list(h[0].ids) for h in want], [list(h[0].ids) for h in got])

    def test_uncovered_model_runs_eagerly(self):
        folder, _ = load("lstm_mlp")
        dec, ran = jit_decoder.wrap(folder.model.decoder, "freeze")
        self.assertIs(dec, folder.model.decoder)
        self.assertIn("mlp attention", ran)


if __name__ == "__main__":
    unittest.main()
