#!/usr/bin/python3
"""scripts/convert/torch_to_recur.py: a saved PyTorch model becomes a recur folder that
computes the same function; wrong inputs are clear errors.

Run: /usr/bin/python3 -m unittest discover -s scripts/reference
"""

import contextlib
import io
import os
import sys
import tempfile
import unittest

import torch
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "convert"))
import recur_pipeline  # noqa: E402
import recur_reference as ref  # noqa: E402
import torch_to_recur  # noqa: E402


def write_vocab(path, n, kind="word"):
    symbols = [f"w{i}" for i in range(n)] if kind == "word" else [chr(0x61 + i) for i in range(n)]
    recur_pipeline.write_vocab(path, symbols, kind)


class ConverterTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.d = self.dir.name
        torch.manual_seed(3)
        enc = ref.EncoderSettings(24, 8, 6, 2)
        dec = ref.DecoderSettings(14, 12, 12, "gru", 10, 10, 2, "mlp", 7, 0.2, True)
        self.model = ref.Seq2Seq(enc, dec)
        ref.recur_init_(self.model)
        self.model.eval()
        self.ckpt = os.path.join(self.d, "ckpt.pt")
        torch.save({"epoch": 7, "state_dict": {"module." + k: v for k, v in
                                               self.model.state_dict().items()}}, self.ckpt)
        write_vocab(os.path.join(self.d, "src.txt"), 20)
        write_vocab(os.path.join(self.d, "tgt.txt"), 10, "char")

    def tearDown(self):
        self.dir.cleanup()

    def convert(self, *extra, ckpt=None):
        out = os.path.join(self.d, "out")
        args = ["--state-dict", ckpt or self.ckpt, "--out", out,
                "--source-tokenizer", "whitespace:" + os.path.join(self.d, "src.txt"),
                "--target-tokenizer", "char:" + os.path.join(self.d, "tgt.txt"), *extra]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            torch_to_recur.main(args)
        return out

    def test_folder_computes_the_same(self):
        out = self.convert("--beam-size", "3", "--length-penalty", "1.0",
                           "--max-source-length", "50", "--check-text", "w1 w2 w3")
        with open(os.path.join(out, "pipeline.yaml"), encoding="utf-8") as f:
            cfg = yaml.safe_load(f)
        self.assertEqual(cfg["encoder"], {"plugin": "bilstm", "embedding_size": 8, "hidden_size": 6,
                                          "layers": 2, "dropout": 0.2})
        self.assertEqual(cfg["decoder"], {"plugin": "gru", "embedding_size": 10, "hidden_size": 10,
                                          "layers": 2, "attention": "mlp", "attention_size": 7,
                                          "dropout": 0.2, "tie_embeddings": True})
        self.assertEqual(cfg["search"], {"beam_size": 3, "length_penalty": 1.0})
        self.assertEqual(cfg["source"]["tokenizer"], {"plugin": "whitespace", "vocab": "source.vocab"})
        self.assertEqual(cfg["target"]["tokenizer"], {"plugin": "char", "vocab": "target.vocab"})
        self.assertEqual(cfg["max_source_length"], 50)
        loaded, src_tok, _, options = recur_pipeline.load_pipeline(os.path.join(out, "pipeline.yaml"))
        self.assertEqual(options.beam_size, 3)
        sources = [src_tok.encode("w1 w5 w19 zz") + [ref.EOS], [5, 6, ref.EOS]]
        src, lengths = ref.pad_batch(sources)
        tgt = torch.tensor([[1, 4, 5], [1, 6, 7]])
        with torch.no_grad():
            a, _ = self.model.decoder(self.model.encoder(src, lengths), tgt)
            b, _ = loaded.decoder(loaded.encoder(src, lengths.clone()), tgt)
        torch.testing.assert_close(b.float(), a, rtol=1e-5, atol=1e-5)

    def test_renamed_prefixes(self):
        sd = {k.replace("decoder.", "dec.", 1): v for k, v in self.model.state_dict().items()}
        path = os.path.join(self.d, "renamed.pt")
        torch.save(sd, path)
        with self.assertRaisesRegex(SystemExit, "reference's structure"):
            self.convert(ckpt=path)
        out = self.convert("--rename", "dec.=decoder.", ckpt=path)
        self.assertTrue(os.path.isfile(os.path.join(out, "model.safetensors")))

    def test_errors(self):
        write_vocab(os.path.join(self.d, "src.txt"), 19)
        with self.assertRaisesRegex(SystemExit, "23 ids .* 24 rows"):
            self.convert()
        write_vocab(os.path.join(self.d, "src.txt"), 20)
        sd = self.model.state_dict()
        sd["decoder.output.weight"] = torch.zeros(10, 5)
        path = os.path.join(self.d, "bad.pt")
        torch.save(sd, path)
        with self.assertRaisesRegex(SystemExit, "decoder"):
            self.convert(ckpt=path)
        sd = self.model.state_dict()
        sd["decoder.extra"] = torch.zeros(3)
        torch.save(sd, path)
        with self.assertRaisesRegex(SystemExit, "unexpected: \\['decoder.extra'\\]"):
            self.convert(ckpt=path)
        with self.assertRaisesRegex(SystemExit, "whitespace:FILE"):
            self.convert("--target-tokenizer", "bpe:x")


if __name__ == "__main__":
    unittest.main()
