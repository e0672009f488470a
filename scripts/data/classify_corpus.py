"""Cleaning, deduplication, stratified splitting and writing of text-classification
corpora (data/sentiment/, data/debian-topic/). Pure functions except write_corpus;
the build_*_corpus.py scripts fetch the sources and drive these.

A corpus is a list of Record(text, label, stratum): text is one line of clean text,
label the class name written to the .label file, stratum the group the split is
stratified by (the label itself, or (source, label) when several sources mix).
"""

import collections
import random

import build_ddtp_corpus
import ddtp_corpus

Record = collections.namedtuple("Record", "text label stratum")
SPLITS = ("train", "valid", "test")


def repair_c1(text):
    """Text that went through a cp1252-as-latin-1 decode carries C1 control
    characters (U+0080-U+009F) where cp1252 has typographic ones, e.g. U+0096
    for an en dash; maps each to its cp1252 character. Unmapped C1 codes
    (0x81 0x8D 0x8F 0x90 0x9D) stay and become spaces in clean_text."""
    if not any("\x80" <= c <= "\x9f" for c in text):
        return text
    chars = []
    for c in text:
        if "\x80" <= c <= "\x9f":
            try:
                c = bytes([ord(c)]).decode("cp1252")
            except UnicodeDecodeError:
                pass
        chars.append(c)
    return "".join(chars)


def clean_text(text):
    """One line: C1 controls repaired, NFC, control and invisible characters
    dropped, every whitespace run (tabs, newlines, U+2028, ...) one space, stripped."""
    return ddtp_corpus.normalise(repair_c1(text))


def deduplicate(records, drop_conflicts=False):
    """Keeps the first record of each distinct text.

    Returns (kept, duplicates, conflicts): duplicates counts the records dropped
    as repeats; conflicts lists the texts seen with two or more labels. With
    drop_conflicts every record of such a text is dropped (and counted in
    neither duplicates nor kept), otherwise the first label wins.
    """
    labels = collections.defaultdict(set)
    for record in records:
        labels[record.text].add(record.label)
    conflicts = sorted(text for text, seen in labels.items() if len(seen) > 1)
    drop = set(conflicts) if drop_conflicts else set()
    kept, seen, duplicates = [], set(), 0
    for record in records:
        if record.text in drop:
            continue
        if record.text in seen:
            duplicates += 1
            continue
        seen.add(record.text)
        kept.append(record)
    return kept, duplicates, conflicts


def split_sizes(count, valid_share, test_share):
    """(train, valid, test) sizes of one stratum, rounding halves up."""
    test = int(count * test_share + 0.5)
    valid = int(count * valid_share + 0.5)
    return count - valid - test, valid, test


def stratified_split(records, seed=1, valid_share=0.1, test_share=0.1):
    """{split: [Record]}: each stratum is shuffled and cut into test, valid and
    train parts of fixed shares, then each split is shuffled as a whole.

    One random.Random(seed) serves every shuffle, strata taken in sorted order,
    so the result depends only on the records, their order and the seed.
    """
    rng = random.Random(seed)
    strata = collections.defaultdict(list)
    for record in records:
        strata[record.stratum].append(record)
    splits = {split: [] for split in SPLITS}
    for stratum in sorted(strata):
        members = list(strata[stratum])
        rng.shuffle(members)
        train, valid, _ = split_sizes(len(members), valid_share, test_share)
        splits["train"] += members[:train]
        splits["valid"] += members[train:train + valid]
        splits["test"] += members[train + valid:]
    for split in SPLITS:
        rng.shuffle(splits[split])
    return splits


def write_corpus(out, splits):
    """out/{train,valid,test}.{text,label}: line i of .text has the label on
    line i of .label."""
    out.mkdir(parents=True, exist_ok=True)
    for split, records in splits.items():
        build_ddtp_corpus.write_lines(out / f"{split}.text", [r.text for r in records])
        build_ddtp_corpus.write_lines(out / f"{split}.label", [r.label for r in records])


def balance_table(splits):
    """Markdown table of records per split and label."""
    labels = sorted({r.label for records in splits.values() for r in records})
    counts = {split: collections.Counter(r.label for r in records)
              for split, records in splits.items()}
    lines = ["| label | " + " | ".join(splits) + " | total |",
             "|---|" + "---:|" * (len(splits) + 1)]
    for label in labels + [None]:
        row = [sum(counts[s].values()) if label is None else counts[s][label] for s in splits]
        lines.append(f"| {label or 'all'} | " + " | ".join(f"{n:,}" for n in row)
                     + f" | {sum(row):,} |")
    return "\n".join(lines)
