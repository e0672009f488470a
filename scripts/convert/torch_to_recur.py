#!/usr/bin/python3
"""Converts a PyTorch state dict of a model with the reference's structure
(scripts/reference/recur_reference.py: Seq2Seq = BiLstmEncoder + AttentionDecoder) into a
recur model folder: model.safetensors (recur's names and layouts, float32),
pipeline.yaml and the tokenizer files. See docs/importing-pytorch-models.md.

Every setting is read off the tensors' names and shapes (layers, sizes, gru / lstm,
attention kind, tied embeddings). The state dict may be a file saved with
torch.save(model.state_dict()), or a checkpoint dict holding it under "state_dict" or
"model"; a "module." prefix (DataParallel) is dropped, and --rename maps other prefixes.

  /usr/bin/python3 scripts/convert/torch_to_recur.py --state-dict model.pt --out en-fr \\
      --source-tokenizer whitespace:en.vocab --target-tokenizer whitespace:fr.vocab \\
      [--beam-size 5 --length-penalty 0.6 ...] [--check-text "a sentence"]

Tokenizers are PLUGIN:FILE with plugin whitespace, char (vocab files) or sentencepiece
(a .model file); the file is copied into the folder.
"""

import argparse
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "reference"))
import recur_pipeline  # noqa: E402
import recur_reference as ref  # noqa: E402
import safetensors_io  # noqa: E402

SEARCH_KEYS = ("beam_size", "n_best", "length_penalty", "max_length_a", "max_length_b",
               "max_length_cap")


def load_state_dict(path, renames=()):
    """A state dict (name -> float tensor) from a torch.save file."""
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # torch without weights_only
        obj = torch.load(path, map_location="cpu")
    for key in ("state_dict", "model"):
        if isinstance(obj, dict) and isinstance(obj.get(key), dict):
            obj = obj[key]
    if isinstance(obj, torch.nn.Module):
        obj = obj.state_dict()
    if not isinstance(obj, dict) or not all(torch.is_tensor(v) for v in obj.values()):
        raise SystemExit(f"{path}: not a state dict (a dict of tensors)")
    out = {}
    for name, value in obj.items():
        name = name[len("module."):] if name.startswith("module.") else name
        for old, new in renames:
            if name.startswith(old):
                name = new + name[len(old):]
                break
        out[name] = value
    return out


def build_model(sd, dropout):
    """The reference Seq2Seq holding exactly these tensors (SystemExit naming what does
    not fit the reference's structure)."""
    try:
        enc, dec = ref.settings_from_state_dict(sd, dropout=dropout)
        model = ref.Seq2Seq(enc, dec).double()
    except (KeyError, ValueError, RuntimeError) as e:
        raise SystemExit(f"state dict does not have the reference's structure: {e}") from None
    own = model.state_dict()
    missing, extra = sorted(set(own) - set(sd)), sorted(set(sd) - set(own))
    if missing or extra:
        raise SystemExit("state dict does not have the reference's structure:"
                         f"\n  missing: {missing}\n  unexpected: {extra}"
                         "\n(use --rename OLD=NEW to map name prefixes)")
    for k, v in sd.items():
        if tuple(v.shape) != tuple(own[k].shape):
            raise SystemExit(f"{k}: shape {list(v.shape)}, expected {list(own[k].shape)} "
                             "from the other tensors")
    model.load_state_dict({k: v.double() for k, v in sd.items()})
    return model.eval()


def tokenizer_setting(spec, out_dir, side, vocab_size):
    """PLUGIN:FILE -> pipeline settings; copies FILE into out_dir and checks its size."""
    plugin, sep, path = spec.partition(":")
    if not sep or plugin not in ("whitespace", "char", "sentencepiece"):
        raise SystemExit(f"--{side}-tokenizer: expected whitespace:FILE, char:FILE or "
                         f"sentencepiece:FILE, got '{spec}'")
    if not os.path.isfile(path):
        raise SystemExit(f"--{side}-tokenizer: no file {path}")
    name = f"{side}.{'model' if plugin == 'sentencepiece' else 'vocab'}"
    shutil.copyfile(path, os.path.join(out_dir, name))
    if plugin == "sentencepiece":
        print(f"note: {side} vocabulary size not checked (sentencepiece model); it must be "
              f"{vocab_size} including pad", file=sys.stderr)
        return {"plugin": plugin, "model": name}, None
    kind = "word" if plugin == "whitespace" else "char"
    try:
        tok = recur_pipeline.Tokenizer(recur_pipeline.read_vocab(path, kind), kind)
    except (ValueError, UnicodeDecodeError) as e:
        raise SystemExit(f"--{side}-tokenizer: {e}") from None
    if tok.vocab_size != vocab_size:
        raise SystemExit(f"{path}: {tok.vocab_size} ids (4 specials + {tok.vocab_size - 4} "
                         f"symbols) but the model's {side} embedding has {vocab_size} rows")
    return {"plugin": plugin, "vocab": name}, tok


def check_folder(model, out_dir, sentences, src_tok):
    """Reloads the folder with the reference and compares it with the torch model."""
    loaded, src_tok2, tgt_tok, options = recur_pipeline.load_pipeline(
        os.path.join(out_dir, "pipeline.yaml"))
    sources = [src_tok.encode(s) + [ref.EOS] for s in sentences]
    src, lengths = ref.pad_batch(sources)
    tgt_in = torch.full((len(sources), 4), ref.BOS, dtype=torch.int64)
    with torch.no_grad():
        a, _ = model.decoder(model.encoder(src, lengths), tgt_in)
        b, _ = loaded.decoder(loaded.encoder(src, lengths), tgt_in)
    diff = (torch.log_softmax(a, -1) - torch.log_softmax(b, -1)).abs().max().item()
    print(f"check: max |log-prob difference| torch vs recur folder = {diff:.3g}")
    for s, hyps in zip(sentences, loaded.translate(sources, options)):
        print(f"check: {s!r} -> {tgt_tok.decode(hyps[0].ids)!r} (score {hyps[0].score:.4f})")
    return diff


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--state-dict", required=True, help="torch.save file of the state dict")
    p.add_argument("--out", required=True, help="model folder to write (created)")
    p.add_argument("--source-tokenizer", required=True, metavar="PLUGIN:FILE")
    p.add_argument("--target-tokenizer", required=True, metavar="PLUGIN:FILE")
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                   help="map a name prefix, e.g. enc.=encoder.")
    p.add_argument("--task", default="translation", choices=["translation", "summarization"])
    p.add_argument("--dropout", type=float, default=0.2, help="written for further training")
    p.add_argument("--max-source-length", type=int, default=0)
    p.add_argument("--beam-size", type=int)
    p.add_argument("--n-best", type=int)
    p.add_argument("--length-penalty", type=float)
    p.add_argument("--max-length-a", type=float)
    p.add_argument("--max-length-b", type=int)
    p.add_argument("--max-length-cap", type=int)
    p.add_argument("--check-text", action="append", default=[],
                   help="translate this sentence with the written folder (reference)")
    args = p.parse_args(argv)

    renames = [tuple(r.split("=", 1)) for r in args.rename if "=" in r]
    if len(renames) != len(args.rename):
        raise SystemExit("--rename: expected OLD=NEW")
    model = build_model(load_state_dict(args.state_dict, renames), args.dropout)
    enc, dec = model.encoder.settings, model.decoder.settings
    os.makedirs(args.out, exist_ok=True)
    src_setting, src_tok = tokenizer_setting(args.source_tokenizer, args.out, "source", enc.vocab_size)
    tgt_setting, _ = tokenizer_setting(args.target_tokenizer, args.out, "target", dec.vocab_size)
    ref.save_recur(model, os.path.join(args.out, "model.safetensors"),
                   {"converted_from": os.path.basename(args.state_dict)})
    search = {k: getattr(args, k) for k in SEARCH_KEYS if getattr(args, k) is not None}
    text = recur_pipeline.pipeline_yaml(
        enc, dec, src_setting, tgt_setting, search, task=args.task,
        comment="Converted from a PyTorch state dict by scripts/convert/torch_to_recur.py.")
    if args.max_source_length:
        text += f"max_source_length: {args.max_source_length}\n"
    with open(os.path.join(args.out, "pipeline.yaml"), "w", encoding="utf-8") as f:
        f.write(text)
    n = sum(v.size for v in safetensors_io.read(os.path.join(args.out, "model.safetensors"))[0].values())
    print(f"wrote {args.out}: bilstm {enc.layers}x{enc.hidden_size} -> {dec.cell} "
          f"{dec.layers}x{dec.hidden_size} ({dec.attention} attention"
          f"{', tied embeddings' if dec.tie_embeddings else ''}), {n} parameters")
    if args.check_text:
        if src_tok is None:
            raise SystemExit("--check-text needs whitespace or char tokenizers")
        if check_folder(model, args.out, args.check_text, src_tok) > 1e-4:
            raise SystemExit("check failed: the folder computes something else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
