#!/usr/bin/python3
"""The generation peer's decoder (torch_generate.LmDecoder), stepped one token at a time,
gives the logits of the language-model parity fixtures (tests/data/fixtures/lm, made by
scripts/fixtures/make_lm_fixtures.py from plain nn.Embedding / RNN / nn.Linear) for
LSTM, GRU and RNN; and the classification peer's Classifier reads recur's unidirectional
encoder names and agrees with a hand-written forward pass.

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
import torch_classify  # noqa: E402
import torch_generate  # noqa: E402
import safetensors_io  # noqa: E402  (on sys.path through torch_generate)
import torch_rnn  # noqa: E402

FIXTURES = os.path.join(REPO, "tests", "data", "fixtures", "lm")


class LmDecoderTest(unittest.TestCase):
    def test_steps_match_fixture_logits(self):
        for cell in ("lstm", "gru", "rnn"):
            tensors, _ = safetensors_io.read(os.path.join(FIXTURES, f"{cell}.safetensors"))
            params = {"decoder." + k: v for k, v in tensors.items()
                      if k.startswith(("embedding.", "rnn.", "projection."))}
            model = torch_generate.LmDecoder(params, cell).eval()
            state = None
            with torch.inference_mode():
                for name in ("ids1", "ids2"):  # the state carried from chunk 1 to chunk 2
                    ids = torch.as_tensor(tensors[name])
                    want = torch.log_softmax(torch.as_tensor(tensors["logits" + name[-1]]), dim=-1)
                    for t in range(ids.shape[1]):
                        lp, state = model.step(ids[:, t], state)
                        np.testing.assert_allclose(lp.numpy(), want[:, t].numpy(), atol=1e-5,
                                                   err_msg=f"{cell} {name} step {t}")


class ClassifierTest(unittest.TestCase):
    def test_last_hidden_state_head(self):
        g = torch.Generator().manual_seed(0)
        vocab, emb, hidden, classes = 9, 4, 5, 3
        lstm = torch.nn.LSTM(emb, hidden, batch_first=True)
        torch_params = {k: v.detach().numpy() for k, v in lstm.named_parameters()}
        tensors = {"encoder.embedding.weight": torch.randn(vocab, emb, generator=g).numpy(),
                   "head.output.weight": torch.randn(classes, hidden, generator=g).numpy(),
                   "head.output.bias": torch.randn(classes, generator=g).numpy()}
        for name, v in torch_rnn.torch_to_recur(torch_params, "lstm", 1, False).items():
            kind, layer = name.split("_l", 1)
            tensors[f"encoder.rnn.l{layer}.{kind}"] = v
        model = torch_classify.Classifier(tensors, "lstm", 1, False).eval()
        src = torch.tensor([[5, 6, 7, 2], [4, 2, 0, 0]])
        with torch.inference_mode():
            got = model(src, torch.tensor([4, 2]))
            table = torch.as_tensor(tensors["encoder.embedding.weight"])
            for b, n in enumerate((4, 2)):
                out, _ = lstm(table[src[b, :n]][None])
                want = torch.softmax(torch.as_tensor(tensors["head.output.weight"]) @ out[0, -1]
                                     + torch.as_tensor(tensors["head.output.bias"]), dim=-1)
                np.testing.assert_allclose(got[b].numpy(), want.numpy(), atol=1e-6)


if __name__ == "__main__":
    unittest.main()
