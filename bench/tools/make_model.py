#!/usr/bin/python3
"""A stand-in model folder for trying the harness before a trained one exists: a joint
SentencePiece vocabulary trained on a corpus with recur's special ids (0 pad, 1 bos,
2 eos, 3 unk) and a reference model with recur's initialisation, at the shipped sizes
(pipelines/translate-en-fr.yaml: 1-layer bilstm 256/256, gru 256/256, general
attention, tied embeddings) or smaller. Random weights decode to long outputs, so
timings differ from a trained model's; the code paths are the same.

  /usr/bin/python3 bench/tools/make_model.py --corpus train.en --corpus train.fr \
      --out /tmp/model [--vocab 8000] [--hidden 256] [--layers 1] [--beam 5]
      [--max-length-a 1.5] [--max-length-b 10]
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "peer"))

import torch  # noqa: E402

from model_folder import ref  # noqa: E402
import recur_pipeline  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", action="append", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--vocab", type=int, default=8000)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--beam", type=int, default=5)
    p.add_argument("--max-length-a", type=float, default=1.5)
    p.add_argument("--max-length-b", type=int, default=10)
    args = p.parse_args()
    import sentencepiece

    os.makedirs(args.out, exist_ok=True)
    sentencepiece.SentencePieceTrainer.train(
        input=",".join(args.corpus), model_prefix=os.path.join(args.out, "spm"),
        vocab_size=args.vocab, hard_vocab_limit=False, pad_id=0, bos_id=1, eos_id=2, unk_id=3,
        pad_piece="<pad>", minloglevel=2, input_sentence_size=200000, shuffle_input_sentence=True)
    pieces = sentencepiece.SentencePieceProcessor(model_file=os.path.join(args.out, "spm.model")).get_piece_size()

    h = args.hidden
    enc = ref.EncoderSettings(vocab_size=pieces, embedding_size=h, hidden_size=h, layers=args.layers, dropout=0.2)
    dec = ref.DecoderSettings(vocab_size=pieces, memory_size=2 * h, summary_size=2 * h, cell="gru",
                              embedding_size=h, hidden_size=h, layers=1, attention="general",
                              dropout=0.2, tie_embeddings=True)
    model = ref.Seq2Seq(enc, dec)
    ref.recur_init_(model, torch.Generator().manual_seed(args.seed))
    ref.save_recur(model, os.path.join(args.out, "model.safetensors"))
    tok = {"plugin": "sentencepiece", "model": "spm.model"}
    search = {"beam_size": args.beam, "length_penalty": 0.6, "max_length_a": args.max_length_a,
              "max_length_b": args.max_length_b}
    with open(os.path.join(args.out, "pipeline.yaml"), "w", encoding="utf-8") as f:
        f.write(recur_pipeline.pipeline_yaml(enc, dec, tok, tok, search,
                                             comment="stand-in model for bench/ (random weights)"))
        f.write("max_source_length: 200\n")
    print(f"{args.out}: {pieces} pieces, hidden {h}")


if __name__ == "__main__":
    main()
