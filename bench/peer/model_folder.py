"""A recur model folder (pipeline.yaml + model.safetensors + tokenizer files) loaded into
the PyTorch reference (scripts/reference/recur_reference.py) in float32, the precision
recur computes in. Unlike recur_pipeline.load_pipeline it also reads `sentencepiece`
tokenizers (python3-sentencepiece), which the shipped models use.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "reference"))

import torch  # noqa: E402

import recur_pipeline  # noqa: E402
import recur_reference as ref  # noqa: E402


class SpmTokenizer:
    """recur's sentencepiece plugin: the model's own bos / eos ids; decode drops
    pad, bos and eos."""

    def __init__(self, path):
        import sentencepiece

        self.sp = sentencepiece.SentencePieceProcessor(model_file=path)
        self.bos, self.eos = self.sp.bos_id(), self.sp.eos_id()
        pieces = self.sp.get_piece_size()
        self.pad = self.sp.pad_id() if self.sp.pad_id() >= 0 else pieces

    def encode(self, text):
        return self.sp.encode(text)

    def decode(self, ids):
        return self.sp.decode([i for i in ids if i not in (self.pad, self.bos, self.eos)])


class VocabTokenizer(recur_pipeline.Tokenizer):
    bos, eos, pad = ref.BOS, ref.EOS, ref.PAD


def tokenizer(section, base_dir):
    plugin = section["plugin"]
    if plugin == "sentencepiece":
        return SpmTokenizer(os.path.join(base_dir, section["model"]))
    if plugin in ("whitespace", "char") and "vocab" in section:
        kind = "word" if plugin == "whitespace" else "char"
        return VocabTokenizer(recur_pipeline.read_vocab(os.path.join(base_dir, section["vocab"]), kind), kind)
    raise ValueError(f"unsupported tokenizer {section}")


class ModelFolder:
    def __init__(self, folder):
        import yaml

        path = os.path.join(folder, "pipeline.yaml")
        with open(path, encoding="utf-8") as f:
            root = yaml.safe_load(f)
        self.source = tokenizer(root["source"]["tokenizer"], folder)
        self.target = tokenizer(root["target"]["tokenizer"], folder)
        self.model = ref.load_recur(os.path.join(folder, root.get("weights", "model.safetensors")),
                                    root["decoder"]["plugin"], dtype=torch.float32)
        self.options = recur_pipeline.search_options(root.get("search") or {})
        self.options.bos_id, self.options.eos_id = self.target.bos, self.target.eos
        self.max_source_length = int(root.get("max_source_length", 256))

    def source_ids(self, line):
        """recur's translator: blank line -> [], else ids cropped to leave room for eos."""
        if not line.strip():
            return []
        return self.source.encode(line)[: self.max_source_length - 1] + [self.source.eos]
