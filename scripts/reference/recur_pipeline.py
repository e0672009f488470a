"""recur model folders from Python: the char / whitespace tokenizers' vocab files
(recur/text/vocab.h), pipeline.yaml (recur/pipeline/pipeline.h) and loading a folder into
the reference model (recur_reference.py).
"""

import os
from collections import Counter

import recur_reference as ref
import recur_search

SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]
_CHAR_ESCAPES = {" ": "\\s", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"}


def split_symbols(text, kind):
    """'word': whitespace-separated tokens (Python's str.isspace); 'char': code points."""
    return text.split() if kind == "word" else list(text)


def _unescape(line):
    if len(line) == 2 and line[0] == "\\":
        for ch, esc in _CHAR_ESCAPES.items():
            if esc == line:
                return ch
    return line


def read_vocab(path, kind):
    """Symbols of a vocab file in id order (ids start at 4 after the specials)."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    symbols = []
    for n, line in enumerate(lines, 1):
        line = line[:-1] if line.endswith("\r") else line
        if not line:
            raise ValueError(f"{path}:{n}: empty line")
        symbol = _unescape(line) if kind == "char" else line
        if kind == "char" and len(symbol) != 1:
            raise ValueError(f"{path}:{n}: a char vocab line holds one character, not '{line}'")
        if kind == "word" and (len(symbol.split()) != 1 or symbol != symbol.strip() or symbol in SPECIALS):
            raise ValueError(f"{path}:{n}: '{line}' is not a word (whitespace or a special's name)")
        symbols.append(symbol)
    if len(set(symbols)) != len(symbols):
        raise ValueError(f"{path}: duplicate symbols")
    return symbols


def write_vocab(path, symbols, kind):
    with open(path, "w", encoding="utf-8", newline="") as f:
        for s in symbols:
            f.write((_CHAR_ESCAPES.get(s, s) if kind == "char" else s) + "\n")


def build_vocab(lines, kind, max_size=0, min_count=1):
    """recur's build_vocab: most frequent symbols first, ties in byte order."""
    counts = Counter(s for line in lines for s in split_symbols(line, kind))
    ranked = sorted((s for s, c in counts.items() if c >= min_count and s not in SPECIALS),
                    key=lambda s: (-counts[s], s.encode("utf-8")))
    return ranked[:max_size] if max_size else ranked


class Tokenizer:
    """recur's char / whitespace tokenizer over a symbol list."""

    def __init__(self, symbols, kind):
        self.kind = kind
        self.pieces = SPECIALS + list(symbols)
        self.ids = {s: i for i, s in enumerate(self.pieces) if i >= len(SPECIALS)}

    @property
    def vocab_size(self):
        return len(self.pieces)

    def encode(self, text):
        return [self.ids.get(s, ref.UNK) for s in split_symbols(text, self.kind)]

    def decode(self, ids):
        pieces = [self.pieces[i] for i in ids if i > ref.EOS]
        return (" " if self.kind == "word" else "").join(pieces)


def _yaml_map(d):
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)
    return "{" + ", ".join(f"{k}: {value(v)}" for k, v in d.items()) + "}"


def pipeline_yaml(enc, dec, source_tokenizer, target_tokenizer, search=None,
                  weights="model.safetensors", task="translation", comment=None):
    """pipeline.yaml text for a bilstm encoder (any cell) and a gru / lstm / rnn decoder. The tokenizers
    are dicts of their settings, e.g. {"plugin": "whitespace", "vocab": "en.vocab"}."""
    encoder = {"plugin": "bilstm", "embedding_size": enc.embedding_size,
               "hidden_size": enc.hidden_size, "layers": enc.layers, "dropout": enc.dropout}
    if enc.cell != "lstm":
        encoder["cell"] = enc.cell
    decoder = {"plugin": dec.cell, "embedding_size": dec.embedding_size,
               "hidden_size": dec.hidden_size, "layers": dec.layers,
               "attention": dec.attention}
    if dec.attention == "mlp":
        decoder["attention_size"] = dec.attention_size or dec.hidden_size
    decoder["dropout"] = dec.dropout
    decoder["tie_embeddings"] = dec.tie_embeddings
    if getattr(dec, "copy", False):
        decoder["copy"] = True
    if getattr(dec, "coverage", False):
        decoder["coverage"] = True
        decoder["coverage_loss"] = dec.coverage_loss
    lines = [f"# {line}" for line in (comment or "").splitlines()]
    lines += [f"task: {task}",
              "source:", f"  tokenizer: {_yaml_map(source_tokenizer)}",
              "target:", f"  tokenizer: {_yaml_map(target_tokenizer)}",
              f"encoder: {_yaml_map(encoder)}",
              f"decoder: {_yaml_map(decoder)}"]
    if search:
        lines.append(f"search: {_yaml_map(search)}")
    lines.append(f"weights: {weights}")
    return "\n".join(lines) + "\n"


def caption_pipeline_yaml(enc, dec, preprocessor, target_tokenizer, search=None,
                          weights="model.safetensors", comment=None):
    """pipeline.yaml text of a captioning model: an image preprocessor (a dict of its
    settings, e.g. {"plugin": "opencv", "size": "[12, 20]"}), a cnn encoder
    (recur_cnn.CnnSettings) and a gru / lstm decoder."""
    import recur_cnn

    decoder = {"plugin": dec.cell, "embedding_size": dec.embedding_size,
               "hidden_size": dec.hidden_size, "layers": dec.layers, "attention": dec.attention,
               "dropout": dec.dropout, "tie_embeddings": dec.tie_embeddings}
    lines = [f"# {line}" for line in (comment or "").splitlines()]
    lines += ["task: captioning",
              "source:", f"  preprocessor: {_yaml_map(preprocessor)}",
              "target:", f"  tokenizer: {_yaml_map(target_tokenizer)}",
              f"encoder: {recur_cnn.encoder_section(enc)}",
              f"decoder: {_yaml_map(decoder)}"]
    if search:
        lines.append(f"search: {_yaml_map(search)}")
    lines.append(f"weights: {weights}")
    return "\n".join(lines) + "\n"


def search_options(section, base=None):
    o = base or recur_search.Options()
    for key in ("beam_size", "n_best", "max_length_b", "max_length_cap", "no_repeat_ngram"):
        if key in section:
            setattr(o, key, int(section[key]))
    for key in ("length_penalty", "max_length_a", "coverage_penalty"):
        if key in section:
            setattr(o, key, float(section[key]))
    return o


def _tokenizer(section, base_dir):
    plugin = section["plugin"]
    if plugin not in ("whitespace", "char") or not ("vocab" in section or "corpus" in section):
        raise ValueError(f"the reference reads only whitespace / char tokenizers with a vocab "
                         f"file or a corpus, not {section}")
    kind = "word" if plugin == "whitespace" else "char"
    if "vocab" in section:
        return Tokenizer(read_vocab(os.path.join(base_dir, section["vocab"]), kind), kind)
    with open(os.path.join(base_dir, section["corpus"]), encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    symbols = build_vocab(lines, kind, int(section.get("max_size", 0)), int(section.get("min_count", 1)))
    return Tokenizer(symbols, kind)


def load_pipeline(path):
    """pipeline.yaml -> (model in eval mode, source, target Tokenizer, recur_search.Options).
    Text tasks: a Seq2Seq and the source Tokenizer; `task: captioning`: a
    recur_cnn.CaptionModel and the source's preprocessor settings (a dict)."""
    import yaml  # python3-yaml; only this loader needs it

    with open(path, encoding="utf-8") as f:
        root = yaml.safe_load(f)
    base = os.path.dirname(os.path.abspath(path))
    if root.get("task") == "captioning":
        import recur_cnn

        tgt = _tokenizer(root["target"]["tokenizer"], base)
        model, options = recur_cnn.load_caption_pipeline(root, base, tgt)
        return model, root["source"]["preprocessor"], tgt, options
    src = _tokenizer(root["source"]["tokenizer"], base)
    tgt = _tokenizer(root["target"]["tokenizer"], base)
    model = ref.load_recur(os.path.join(base, root.get("weights", "model.safetensors")),
                           root["decoder"]["plugin"])
    if model.encoder.settings.cell != root["encoder"].get("cell", "lstm"):
        raise ValueError(f"{path}: encoder cell differs from the weights'")
    if model.decoder.settings.attention != root["decoder"].get("attention", "general"):
        raise ValueError(f"{path}: decoder attention differs from the weights'")
    for key in ("copy", "coverage"):
        if getattr(model.decoder.settings, key) != bool(root["decoder"].get(key, False)):
            raise ValueError(f"{path}: decoder {key} differs from the weights'")
    # The weights do not hold the coverage loss's weight (training only): the YAML does.
    model.decoder.settings.coverage_loss = float(root["decoder"].get("coverage_loss", 1.0))
    return model, src, tgt, search_options(root.get("search") or {})
