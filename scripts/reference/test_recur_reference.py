#!/usr/bin/python3
"""Self-consistency of the PyTorch reference (needs python3-torch):
  * safetensors write/read round trip, and recur names/layouts round trip of a model;
  * the encoder's packed batch equals each sentence alone; mask and summary as specified;
  * step-by-step decoding equals teacher forcing (log-probs and attention), every config;
  * search: beam with K = 1 equals greedy (alpha 0), batch rows are independent, beam
    with a huge K equals exhaustive search, n-best is sorted by score;
  * the checked-in fixtures (tests/data/fixtures/seq2seq) are what the reference computes;
  * the cnn encoder / captioning model (recur_cnn.py): recur's names without torch's
    num_batches_tracked, a round trip keeping running statistics, the grid, and the
    caption fixtures (tests/data/fixtures/caption) are current.

Run: /usr/bin/python3 -m unittest discover -s scripts/reference
"""

import itertools
import json
import math
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import recur_cnn  # noqa: E402
import recur_pipeline  # noqa: E402
import recur_reference as ref  # noqa: E402
import recur_search  # noqa: E402
import safetensors_io  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "data", "fixtures", "seq2seq")
CONFIGS = ["gru_general", "lstm_mlp", "gru_dot", "lstm2_tied", "rnn_general"]
SOURCES = [[5, 6, 7, 2], [8, 2], [9, 10, 11, 12, 13, 2], [14, 15, 16, 2]]


def small_model(cell, attention, dec_layers=1, tied=False, enc_layers=2, seed=0):
    """The encoder's cell is lstm, but rnn (tanh) with an rnn decoder."""
    torch.manual_seed(seed)
    enc = ref.EncoderSettings(30, 8, 6, enc_layers, 0.2, "rnn" if cell == "rnn" else "lstm")
    dec = ref.DecoderSettings(25, 12, 12, cell, 10 if tied else 7, 10 if tied else 12,
                              dec_layers, attention, 9 if attention == "mlp" else 0, 0.2, tied)
    if attention == "dot":
        dec.hidden_size = 12
        dec.embedding_size = 12 if tied else 7
    model = ref.Seq2Seq(enc, dec).double()
    ref.recur_init_(model)
    with torch.no_grad():  # peaked distributions, like the fixtures
        if tied:
            model.decoder.embedding.weight.mul_(4.0)
        else:
            model.decoder.projection.weight.mul_(8.0)
        model.decoder.output.weight.mul_(3.0)
    return model.eval()


MODELS = [("gru", "general", 1, False), ("lstm", "mlp", 1, False), ("gru", "dot", 2, False),
          ("lstm", "general", 2, True), ("gru", "mlp", 2, True), ("rnn", "general", 2, False)]


class SafetensorsTest(unittest.TestCase):
    def test_round_trip(self):
        tensors = {"a": np.arange(12, dtype=np.float32).reshape(3, 4),
                   "b.ids": np.array([[1, -2], [3, 4]], np.int64),
                   "c": np.array([0.5, -1.25], np.float16), "empty": np.zeros((0, 3), np.float32)}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.safetensors")
            safetensors_io.write(path, tensors, {"k": "v"})
            with open(path, "rb") as f:
                n = int.from_bytes(f.read(8), "little")
                header = json.loads(f.read(n))
            self.assertEqual((8 + n) % 8, 0)
            self.assertEqual(header["b.ids"], {"dtype": "I64", "shape": [2, 2], "data_offsets": [48, 80]})
            back, meta = safetensors_io.read(path)
        self.assertEqual(meta, {"k": "v"})
        self.assertEqual(list(back), list(tensors))
        for k, v in tensors.items():
            self.assertEqual(back[k].dtype, v.dtype)
            np.testing.assert_array_equal(back[k], v)

    def test_reads_other_writers_files(self):
        tensors, meta = safetensors_io.read(
            os.path.join(ROOT, "tests", "data", "fixtures", "rnn", "lstm_bi_l2.safetensors"))
        self.assertEqual(meta["cell"], "lstm")
        self.assertEqual(tensors["lengths"].tolist(), [5, 3, 1, 4])

    def test_defects_are_errors(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.safetensors")
            safetensors_io.write(path, {"a": np.ones(4, np.float32)})
            with open(path, "rb") as f:
                data = f.read()
            for bad in (data[:5], data[:-4], data[:8] + b"[" + data[9:], b"\xff" * 8 + data[8:]):
                with open(path, "wb") as f:
                    f.write(bad)
                with self.assertRaises(ValueError):
                    safetensors_io.read(path)


class RecurNamesTest(unittest.TestCase):
    def test_names_follow_the_spec(self):
        model = small_model("lstm", "mlp", dec_layers=2, enc_layers=2)
        names = set(ref.recur_state_dict(model))
        expected = {"encoder.embedding.weight", "decoder.embedding.weight",
                    "decoder.bridge.weight", "decoder.bridge.bias",
                    "decoder.attention.w_key", "decoder.attention.w_query",
                    "decoder.attention.b_query", "decoder.attention.v",
                    "decoder.output.weight", "decoder.output.bias",
                    "decoder.projection.weight", "decoder.projection.bias"}
        for layer in (0, 1):
            for kind in ("w_ih", "w_hh", "bias"):
                expected |= {f"encoder.rnn.l{layer}.fwd.{kind}", f"encoder.rnn.l{layer}.bwd.{kind}",
                             f"decoder.rnn.l{layer}.{kind}"}
        self.assertEqual(names, expected)
        sd = ref.recur_state_dict(small_model("gru", "dot", tied=True, enc_layers=1))
        expected = {"encoder.embedding.weight", "decoder.embedding.weight",
                    "decoder.bridge.weight", "decoder.bridge.bias", "decoder.output.weight",
                    "decoder.output.bias", "decoder.projection.bias"}
        for kind in ("w_ih", "w_hh", "bias"):
            expected |= {f"encoder.rnn.l0.fwd.{kind}", f"encoder.rnn.l0.bwd.{kind}",
                         f"decoder.rnn.l0.{kind}"}
        self.assertEqual(set(sd), expected)
        self.assertEqual(sd["decoder.rnn.l0.bias"].shape, (4 * 12,))    # GRU: 4H
        self.assertEqual(sd["decoder.rnn.l0.w_ih"].shape, (12, 3 * 12))  # [in, 3H]
        self.assertEqual(sd["encoder.rnn.l0.bwd.w_ih"].shape, (8, 4 * 6))
        self.assertEqual(ref.recur_state_dict(model)["encoder.rnn.l1.bwd.w_ih"].shape, (12, 4 * 6))

    def test_save_load_round_trip(self):
        src, lengths = ref.pad_batch(SOURCES)
        tgt = torch.tensor([[1, 5, 6], [1, 7, 0], [1, 8, 9], [1, 4, 4]])
        for cell, attention, layers, tied in MODELS:
            model = small_model(cell, attention, layers, tied).float()
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "model.safetensors")
                ref.save_recur(model, path)
                back = ref.load_recur(path, dtype=torch.float32)
                with self.assertRaisesRegex(ValueError, f"hold a {cell} decoder"):
                    ref.load_recur(path, {"gru": "lstm", "lstm": "gru", "rnn": "gru"}[cell])
                self.assertEqual(back.decoder.settings, model.decoder.settings)
                self.assertEqual(back.encoder.settings.cell, model.encoder.settings.cell)
                self.assertEqual(back.encoder.settings.layers, model.encoder.settings.layers)
                tensors, _ = safetensors_io.read(path)
            with torch.no_grad():
                a, _ = model.decoder(model.encoder(src, lengths), tgt)
                b, _ = back.decoder(back.encoder(src, lengths), tgt)
            # Merged RNN biases may round differently; the function is the same.
            self.assertLess((a - b).abs().max().item(), 1e-5, (cell, attention))
            again = ref.recur_state_dict(back)
            for k, v in tensors.items():
                np.testing.assert_array_equal(again[k], v, k)

    def test_wrong_weights_are_errors(self):
        model = small_model("gru", "general")
        sd = ref.recur_state_dict(model)
        del sd["decoder.output.bias"]
        with self.assertRaisesRegex(ValueError, "missing.*decoder.output.bias"):
            ref.load_recur_state_dict(small_model("gru", "general"), sd)


class EncoderTest(unittest.TestCase):
    def test_packed_batch_equals_single_sentences(self):
        model = small_model("gru", "general", enc_layers=2)
        src, lengths = ref.pad_batch(SOURCES)
        with torch.no_grad():
            m = model.encoder(src, lengths)
            for b, s in enumerate(SOURCES):
                one = model.encoder(torch.tensor([s]), torch.tensor([len(s)]))
                n = len(s)
                torch.testing.assert_close(m.states[b, :n], one.states[0], rtol=0, atol=1e-12)
                self.assertEqual(m.states[b, n:].abs().max().item() if n < src.shape[1] else 0, 0)
                self.assertEqual(m.mask[b].tolist(), [1.0] * n + [0.0] * (src.shape[1] - n))
                torch.testing.assert_close(m.summary[b], one.summary[0], rtol=0, atol=1e-12)
                H = model.encoder.settings.hidden_size
                # summary = [forward after the last token ; backward after the first]
                torch.testing.assert_close(m.summary[b, :H], m.states[b, n - 1, :H], rtol=0, atol=0)
                torch.testing.assert_close(m.summary[b, H:], m.states[b, 0, H:], rtol=0, atol=0)


class DecoderTest(unittest.TestCase):
    def test_step_equals_teacher_forcing(self):
        src, lengths = ref.pad_batch(SOURCES)
        tgt = torch.tensor([[1, 5, 6, 7, 8], [1, 9, 2, 0, 0], [1, 10, 10, 3, 2], [1, 4, 5, 6, 2]])
        for cell, attention, layers, tied in MODELS:
            model = small_model(cell, attention, layers, tied)
            with torch.no_grad():
                memory = model.encoder(src, lengths)
                logits, att = model.decoder(memory, tgt)
                state = model.decoder.init(memory)
                for t in range(tgt.shape[1]):
                    lp, a = model.decoder.step(state, tgt[:, t].tolist())
                    torch.testing.assert_close(lp, torch.log_softmax(logits[:, t], -1), rtol=0, atol=1e-12)
                    torch.testing.assert_close(a, att[:, t], rtol=0, atol=1e-12)
            self.assertEqual(att[memory.mask[:, None, :].expand_as(att) == 0].abs().max().item(), 0)

    def test_reorder_follows_rows(self):
        model = small_model("lstm", "mlp", 2)
        src, lengths = ref.pad_batch(SOURCES)
        with torch.no_grad():
            memory = model.encoder(src, lengths)
            state = model.decoder.init(memory)
            model.decoder.step(state, [1, 1, 1, 1])
            lp, _ = model.decoder.step(state, [5, 6, 7, 8])
            state = model.decoder.init(memory)
            model.decoder.step(state, [1, 1, 1, 1])
            model.decoder.reorder(state, [2, 0, 2])
            lp2, _ = model.decoder.step(state, [7, 5, 7])
        torch.testing.assert_close(lp2, lp[[2, 0, 2]], rtol=0, atol=1e-12)


class ToyDecoder:
    """log p(token | prefix) from a fixed hash of the prefix; V = 5 (3 and 4 are words)."""
    V = 5

    def init(self, memory):
        return [[] for _ in range(memory)]

    def step(self, state, prev):
        out = []
        for r, p in enumerate(prev):
            state[r] = state[r] + [p]
            rng = np.random.default_rng(abs(hash(tuple(state[r]))) % (2 ** 32))
            out.append(torch.log_softmax(torch.tensor(rng.normal(0, 1.5, self.V)), 0))
        return torch.stack(out), None

    def reorder(self, state, index):
        state[:] = [list(state[i]) for i in index]


class SearchTest(unittest.TestCase):
    def test_length_rules(self):
        o = recur_search.Options(max_length_a=1.5, max_length_b=10, max_length_cap=20)
        self.assertEqual(recur_search.max_output_length(o, 3), 14)
        self.assertEqual(recur_search.max_output_length(o, 30), 20)
        o = recur_search.Options(max_length_a=0.0, max_length_b=0)
        self.assertEqual(recur_search.max_output_length(o, 7), 1)
        self.assertAlmostEqual(float(recur_search.length_penalty(7, 0.6)), 2 ** 0.6, places=6)
        self.assertEqual(recur_search.length_penalty(7, 0.0), 1.0)

    def test_beam_one_equals_greedy(self):
        src, lengths = ref.pad_batch(SOURCES)
        lens = [len(s) for s in SOURCES]
        for cell, attention, layers, tied in MODELS:
            model = small_model(cell, attention, layers, tied)
            with torch.no_grad():
                memory = model.encoder(src, lengths)
                o = recur_search.Options(beam_size=1, n_best=1, length_penalty=0.0)
                greedy = recur_search.greedy(model.decoder, memory, lens, o)
                beam = recur_search.beam(model.decoder, memory, lens, o)
            for g, b in zip(greedy, beam):
                self.assertEqual((g[0].ids, g[0].score, g[0].log_prob),
                                 (b[0].ids, b[0].score, b[0].log_prob))

    def test_rows_are_independent(self):
        model = small_model("lstm", "general", 2, True)
        src, lengths = ref.pad_batch(SOURCES)
        lens = [len(s) for s in SOURCES]
        for k in (1, 4):
            o = recur_search.Options(beam_size=k, n_best=k, max_length_b=6)
            with torch.no_grad():
                batch = recur_search.decode(model.decoder, model.encoder(src, lengths), lens, o)
                for b, s in enumerate(SOURCES):
                    one = recur_search.decode(model.decoder, model.encoder(*ref.pad_batch([s])), [len(s)], o)
                    self.assertEqual([(h.ids, h.score) for h in one[0]],
                                     [(h.ids, h.score) for h in batch[b]])
                    scores = [h.score for h in batch[b]]
                    self.assertEqual(scores, sorted(scores, reverse=True))
                    for h in batch[b]:
                        lp = recur_search.length_penalty(len(h.ids) + 1, o.length_penalty)
                        self.assertEqual(h.score, np.float32(h.log_prob / lp))

    def test_huge_beam_is_exhaustive(self):
        toy, limit = ToyDecoder(), 3
        o = recur_search.Options(beam_size=400, n_best=400, max_length_a=0.0, max_length_b=limit)
        found = recur_search.decode(toy, 1, [1], o)[0]
        expected = []
        for n in range(limit + 1):
            for words in itertools.product(range(ToyDecoder.V), repeat=n):
                if o.eos_id in words:
                    continue
                seq = list(words) + ([o.eos_id] if n < limit else [])
                state, lp = toy.init(1), 0.0
                for prev, tok in zip([o.bos_id] + seq, seq):
                    lp += toy.step(state, [prev])[0][0, tok].item()
                expected.append((lp / math.pow((5 + n + 1) / 6, 0.6), list(words)))
        expected.sort(key=lambda e: -e[0])
        self.assertEqual(len(found), len(expected))
        self.assertEqual([h.ids for h in found[:20]], [e[1] for e in expected[:20]])
        for h, (score, _) in zip(found, expected):
            self.assertAlmostEqual(float(h.score), score, places=5)


class FixtureTest(unittest.TestCase):
    """The checked-in fixtures are what the reference computes from their weights."""

    def test_fixtures_are_current(self):
        with open(os.path.join(FIXTURES, "sentences.json"), encoding="utf-8") as f:
            pairs = json.load(f)
        for name in CONFIGS:
            folder = os.path.join(FIXTURES, name)
            model, src_tok, tgt_tok, options = recur_pipeline.load_pipeline(
                os.path.join(folder, "pipeline.yaml"))
            for p in pairs:
                self.assertEqual(src_tok.encode(p["source"]) + [ref.EOS], p["source_ids"])
                self.assertEqual(tgt_tok.encode(p["target"]) + [ref.EOS], p["target_ids"])
            expected, _ = safetensors_io.read(os.path.join(folder, "expected.safetensors"))
            src = torch.from_numpy(expected["encoder.src"])
            with torch.no_grad():
                memory = model.encoder(src, torch.from_numpy(expected["encoder.lengths"]))
                logits, att = model.decoder(memory, torch.from_numpy(expected["decoder.tgt_in"]))
            for key, value in (("memory.states", memory.states), ("memory.mask", memory.mask),
                               ("memory.summary", memory.summary),
                               ("decoder.forward.log_probs", torch.log_softmax(logits, -1)),
                               ("decoder.forward.attention", att)):
                np.testing.assert_allclose(expected[key], value.numpy(), rtol=1e-6, atol=1e-6,
                                           err_msg=f"{name}: {key}")
            for what in ("log_probs", "attention"):
                np.testing.assert_allclose(expected["decoder.step." + what],
                                           expected["decoder.forward." + what], rtol=1e-6, atol=1e-6)
            with open(os.path.join(folder, "search.json"), encoding="utf-8") as f:
                results = json.load(f)
            sources = [p["source_ids"] for p in pairs]
            beam = model.translate(sources, options)
            options.beam_size, options.n_best = 1, 1
            greedy = model.translate(sources, options)
            self.assertEqual([h[0].ids for h in greedy], [g["ids"] for g in results["greedy"]])
            self.assertEqual([[h.ids for h in hs] for hs in beam],
                             [[h["ids"] for h in hs] for hs in results["beam"]])
            self.assertEqual([float(h[0].score) for h in greedy],
                             [g["score"] for g in results["greedy"]])
            self.assertEqual([[float(h.score) for h in hs] for hs in beam],
                             [[h["score"] for h in hs] for hs in results["beam"]])


class CaptionTest(unittest.TestCase):
    SETTINGS = recur_cnn.CnnSettings(3, [recur_cnn.CnnStage(4, 1, 3, 2, 2),
                                         recur_cnn.CnnStage(6, 2, 5, 1, 1)], "avg", True, 5, 0.0)

    def model(self):
        torch.manual_seed(0)
        enc = recur_cnn.CnnEncoder(self.SETTINGS)
        model = recur_cnn.CaptionModel(self.SETTINGS, recur_cnn.decoder_settings(enc, 9, hidden_size=6))
        recur_cnn.recur_init_(model, torch.Generator().manual_seed(1))
        return model.double()

    def test_names_and_round_trip_keep_running_statistics(self):
        model = self.model()
        model.train()
        model.encoder(torch.rand(2, 3, 11, 9, dtype=torch.float64))  # moves running stats
        tensors = recur_cnn.recur_state_dict(model)
        self.assertIn("encoder.stages.1.1.norm.running_var", tensors)
        self.assertIn("encoder.projection.weight", tensors)
        self.assertIn("decoder.rnn.l0.w_hh", tensors)
        self.assertFalse([k for k in tensors if "num_batches" in k])
        other = self.model()
        recur_cnn.load_recur_state_dict(other, tensors)
        again = recur_cnn.recur_state_dict(other)
        for k, v in tensors.items():
            np.testing.assert_array_equal(v, again[k], err_msg=k)
        with self.assertRaises(ValueError):
            recur_cnn.load_recur_state_dict(other, {k: v for k, v in tensors.items() if "norm" not in k})

    def test_states_flatten_the_grid(self):
        model = self.model().eval()
        for h, w in ((11, 9), (16, 30), (7, 4)):
            with torch.no_grad():
                m = model.encoder(torch.rand(2, 3, h, w, dtype=torch.float64))
            gh, gw = model.encoder.grid(h, w)
            self.assertEqual(tuple(m.states.shape), (2, gh * gw, 5))
            torch.testing.assert_close(m.summary, m.states.mean(1))

    def test_caption_fixtures_are_current(self):
        folder = os.path.join(ROOT, "tests", "data", "fixtures", "caption")
        model, pre, tok, options = recur_pipeline.load_pipeline(os.path.join(folder, "pipeline.yaml"))
        self.assertEqual(pre["plugin"], "opencv")
        expected, _ = safetensors_io.read(os.path.join(folder, "expected.safetensors"))
        images = torch.from_numpy(expected["images"]).double()
        with torch.no_grad():
            m = model.encoder(images[:4])
            logits, _ = model.decoder(m, torch.from_numpy(expected["tgt_in"]))
        np.testing.assert_allclose(expected["eval.states"], m.states.numpy(), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(expected["model.log_probs"], torch.log_softmax(logits, -1).numpy(),
                                   rtol=1e-6, atol=1e-6)
        with open(os.path.join(folder, "captions.json"), encoding="utf-8") as f:
            results = json.load(f)
        beam = model.caption(images, options)
        self.assertEqual([[h.ids for h in hs] for hs in beam],
                         [[h["ids"] for h in hs] for hs in results["beam"]])
        self.assertEqual([tok.decode(hs[0].ids) for hs in beam], [g["text"] for g in results["greedy"]])


if __name__ == "__main__":
    unittest.main()
