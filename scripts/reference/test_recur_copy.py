"""Self-consistency of the copy / coverage reference (recur_copy.py) and of the search
options no_repeat_ngram and coverage_penalty (recur_search.py)."""

import json
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recur_pipeline  # noqa: E402
import recur_reference as ref  # noqa: E402
import recur_search  # noqa: E402
import safetensors_io  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "tests", "data", "fixtures", "copy")


def model(attention="mlp", cell="lstm", seed=3):
    torch.manual_seed(seed)
    enc = ref.EncoderSettings(20, 6, 5, 1, 0.0)
    dec = ref.DecoderSettings(20, 10, 10, cell, 6, 8, 1, attention, 7, 0.0, False,
                              copy=True, coverage=True, coverage_loss=0.5)
    if attention == "dot":
        dec.hidden_size = 10
    m = ref.Seq2Seq(enc, dec).double()
    ref.recur_init_(m, torch.Generator().manual_seed(seed))
    return m.eval()


def batch():
    src, lengths = ref.pad_batch([[5, 6, 5, 7, ref.EOS], [8, 9, ref.EOS]])
    tgt_in = torch.tensor([[ref.BOS, 5, 9, 6], [ref.BOS, 8, ref.PAD, ref.PAD]])
    return src, lengths, tgt_in


class CopyCoverageTest(unittest.TestCase):
    def test_step_reproduces_forward_and_p_sums_to_one(self):
        for attention in ("dot", "general", "mlp"):
            m = model(attention)
            src, lengths, tgt_in = batch()
            with torch.no_grad():
                memory = m.encoder(src, lengths)
                memory.source_ids = src
                out, att = m.decoder(memory, tgt_in)
                state = m.decoder.init(memory)
                steps = [m.decoder.step(state, tgt_in[:, t]) for t in range(tgt_in.shape[1])]
            step_lp = torch.stack([s[0] for s in steps], 1)
            self.assertLess((step_lp - out).abs().max().item(), 1e-12, attention)
            self.assertLess((out.exp().sum(-1) - 1).abs().max().item(), 1e-8, attention)
            self.assertGreater(m.decoder.auxiliary_loss.item(), 0.0)

    def test_gradients_match_finite_differences(self):
        m = model("mlp")
        src, lengths, tgt_in = batch()
        w = m.decoder.attention.w_coverage
        c = m.decoder.copy.weight

        def loss(wc, cw):
            with torch.no_grad():
                w.copy_(wc)
                c.copy_(cw)
            memory = m.encoder(src, lengths)
            memory.source_ids = src
            out, _ = m.decoder(memory, tgt_in)
            return out.sum() + m.decoder.auxiliary_loss

        for p in (w, c):
            m.zero_grad()
            loss(w.detach().clone(), c.detach().clone()).backward()
            analytic = p.grad.clone()
            base = p.detach().clone()
            for i in range(min(p.numel(), 6)):
                d = torch.zeros_like(base).view(-1)
                d[i] = 1e-6
                args = [w.detach().clone(), c.detach().clone()]
                k = 0 if p is w else 1
                args[k] = base + d.view_as(base)
                with torch.no_grad():
                    up = loss(*args).item()
                args[k] = base - d.view_as(base)
                with torch.no_grad():
                    down = loss(*args).item()
                with torch.no_grad():
                    p.copy_(base)
                self.assertAlmostEqual(analytic.view(-1)[i].item(), (up - down) / 2e-6, places=5)

    def test_extended_ids_take_the_copied_mass_of_their_positions(self):
        m = model("general")
        src, lengths, tgt_in = batch()
        ext = src.clone()
        ext[0, 0], ext[0, 2], ext[1, 1] = 20, 20, 21  # OOV words: ids V, V + 1 (V = 20)
        plain = src.clone()
        plain[0, 0], plain[0, 2], plain[1, 1] = ref.UNK, ref.UNK, ref.UNK
        with torch.no_grad():
            memory = m.encoder(src, lengths)
            memory.source_ids = ext
            fed = torch.where(tgt_in == 5, torch.tensor(21), tgt_in)  # an OOV input: fed as unk
            out, _ = m.decoder(memory, fed)
            state = m.decoder.init(memory)
            steps = torch.stack([m.decoder.step(state, fed[:, t])[0] for t in range(4)], 1)
            memory.source_ids = plain
            base, _ = m.decoder(memory, torch.where(tgt_in == 5, torch.tensor(ref.UNK), tgt_in))
        self.assertEqual(out.shape[-1], 22)
        self.assertLess((steps - out).abs().max().item(), 1e-12)
        self.assertLess((out.exp().sum(-1) - 1).abs().max().item(), 1e-8)
        p, q = out.exp(), base.exp()
        self.assertLess((p[..., ref.UNK] + p[..., 20] + p[..., 21] - q[..., ref.UNK]).abs().max().item(), 1e-10)
        self.assertLess((p[..., 4:20] - q[..., 4:20]).abs().max().item(), 1e-10)

    def test_copy_needs_target_ids(self):
        m = model("general")
        src, lengths, tgt_in = batch()
        memory = m.encoder(src, lengths)
        with self.assertRaises(ValueError):
            m.decoder(memory, tgt_in)  # no source ids
        memory.source_ids = src + 100
        with self.assertRaises(ValueError):
            m.decoder(memory, tgt_in)


class SearchOptionsTest(unittest.TestCase):
    def test_banned_tokens(self):
        self.assertEqual(recur_search.banned_tokens([3, 3, 4], 0), [])
        self.assertEqual(recur_search.banned_tokens([3, 3, 4], 1), [3, 4])
        self.assertEqual(recur_search.banned_tokens([3, 3, 4, 3], 2), [3, 4])
        self.assertEqual(recur_search.banned_tokens([3, 4, 5, 3, 4], 3), [5])

    def test_coverage_penalty(self):
        cov = np.array([0.5, 2.0, 0.0], np.float32)
        want = 0.2 * (np.log(0.5) + 0 + np.log(recur_search.COVERAGE_FLOOR))
        self.assertAlmostEqual(float(recur_search.coverage_penalty(cov, 0.2)), want, places=5)


class CopyFixturesTest(unittest.TestCase):
    """The checked-in copy fixtures are what the reference computes from their weights."""

    def test_copy_fixtures_are_current(self):
        with open(os.path.join(FIXTURES, "sentences.json"), encoding="utf-8") as f:
            pairs = json.load(f)
        for name in ("gru_general", "lstm_mlp_blocking", "gru_dot_blocking"):
            folder = os.path.join(FIXTURES, name)
            model, _, _, options = recur_pipeline.load_pipeline(os.path.join(folder, "pipeline.yaml"))
            self.assertTrue(model.decoder.settings.copy and model.decoder.settings.coverage)
            expected, _ = safetensors_io.read(os.path.join(folder, "expected.safetensors"))
            src = torch.from_numpy(expected["encoder.src"])
            with torch.no_grad():
                memory = model.encoder(src, torch.from_numpy(expected["encoder.lengths"]))
                memory.source_ids = src
                out, _ = model.decoder(memory, torch.from_numpy(expected["decoder.tgt_in"]))
            np.testing.assert_allclose(expected["decoder.forward.log_probs"], out.numpy(),
                                       rtol=1e-6, atol=1e-6, err_msg=name)
            with open(os.path.join(folder, "search.json"), encoding="utf-8") as f:
                results = json.load(f)
            sources = [p["source_ids"] for p in pairs]
            beam = model.translate(sources, options)
            self.assertEqual([[h.ids for h in hs] for hs in beam],
                             [[h["ids"] for h in hs] for hs in results["beam"]], name)

    def test_extended_fixture_is_current(self):
        folder = os.path.join(FIXTURES, "gru_general_extended")
        model, _, _, _ = recur_pipeline.load_pipeline(os.path.join(folder, "pipeline.yaml"))
        expected, _ = safetensors_io.read(os.path.join(folder, "expected.safetensors"))
        with torch.no_grad():
            memory = model.encoder(torch.from_numpy(expected["encoder.src"]),
                                   torch.from_numpy(expected["encoder.lengths"]))
            memory.source_ids = torch.from_numpy(expected["decoder.source_ids"])
            out, _ = model.decoder(memory, torch.from_numpy(expected["decoder.tgt_in"]))
        self.assertGreater(out.shape[-1], model.decoder.vocab_size)
        np.testing.assert_allclose(expected["decoder.forward.log_probs"], out.numpy(), rtol=1e-6, atol=1e-6)


if __name__ == "__main__":
    torch.set_num_threads(1)
    unittest.main()
