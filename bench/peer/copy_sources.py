"""What recur's seq2seq tasks give a copying decoder (tasks/seq2seq/extended_vocabulary.h),
for the PyTorch peer: each source's ids with its words outside the vocabulary (unknown
pieces) numbered V, V+1, ... in order of first appearance, and output text in which such
an id is written as its word. With a sentencepiece model a word is the unknown piece's
characters; with recur's whitespace / char tokenizers, the word or character itself.
"""


class CopySources:
    def __init__(self, tokenizer, vocab_size, unk):
        self.tok, self.vocab_size, self.unk = tokenizer, vocab_size, unk

    def surfaces(self, line):
        sp = getattr(self.tok, "sp", None)
        if sp is not None:
            return [p.piece for p in sp.encode(line, out_type="immutable_proto").pieces]
        return line.split() if self.tok.kind == "word" else list(line)

    def extend(self, line, ids):
        """ids (encode(line), cropped, + eos) -> (extended ids, OOV words)."""
        if self.unk not in ids:
            return list(ids), []
        oovs, out = [], list(ids)
        for i, word in enumerate(self.surfaces(line)[:len(ids)]):
            if ids[i] == self.unk:
                if word not in oovs:
                    oovs.append(word)
                out[i] = self.vocab_size + oovs.index(word)
        return out, oovs

    def decode(self, ids, oovs):
        if all(i < self.vocab_size for i in ids):
            return self.tok.decode(ids)
        sp = getattr(self.tok, "sp", None)
        if sp is None:
            words = [oovs[i - self.vocab_size] if i >= self.vocab_size else self.tok.decode([i]) for i in ids]
            return (" " if self.tok.kind == "word" else "").join(w for w in words if w)
        specials = (self.tok.pad, self.tok.bos, self.tok.eos)
        pieces = [oovs[i - self.vocab_size] if i >= self.vocab_size else sp.id_to_piece(i)
                  for i in ids if i not in specials]
        return sp.decode_pieces(pieces)
