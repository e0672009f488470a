#!/usr/bin/python3
"""Reference CIDEr-D (Vedantam et al., 2015) as the coco-caption `pycocoevalcap`
CiderScorer computes it, re-implemented with the standard library only, to check
framework/src/metrics/cider.cc (tests/framework/metrics/cider_test.cc holds the
numbers this script prints with --cases).

    /usr/bin/python3 scripts/reference/cider_d.py --cases
    /usr/bin/python3 scripts/reference/cider_d.py REFS.tsv HYPS.tsv   (path<TAB>caption)

The definition, for candidate c and references S (all tokenised, see tokens()):
- g_n(s): TF-IDF vector of the n-grams of s: term count x (log |I| - log max(1, df)),
  df = number of images among whose references the n-gram occurs, |I| = images;
- length(s) = number of *bigrams* of s (pycocoevalcap counts the n == 1 index,
  i.e. 2-grams: max(0, words - 1));
- sim_n(c, s) = sum over n-grams of c of min(g_c, g_s) * g_s / (|g_c| |g_s|) (0 when
  either norm is 0), times exp(-(length(c) - length(s))^2 / (2 sigma^2)), sigma = 6;
- CIDEr-D(c, S) = 10 * mean over n = 1..4 of mean over s in S of sim_n(c, s);
- the corpus score is the mean over images.
"""

import math
import sys

PUNCTUATION = "'\"`()[]{}.?!,:;-"


def tokens(text):
    """Lowercased whitespace tokens, PTB-style punctuation stripped from both ends
    of each token; tokens that were only punctuation vanish."""
    out = []
    for word in text.lower().split():
        word = word.strip(PUNCTUATION)
        if word:
            out.append(word)
    return out


def ngram_counts(words, max_n=4):
    counts = {}
    for n in range(1, max_n + 1):
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            counts[gram] = counts.get(gram, 0) + 1
    return counts


def cider_d(hypotheses, references, max_n=4, sigma=6.0):
    """hypotheses[i]: one caption; references[i]: its list of captions.
    Returns (corpus score, per-image scores)."""
    hyp_counts = [ngram_counts(tokens(h), max_n) for h in hypotheses]
    ref_counts = [[ngram_counts(tokens(r), max_n) for r in refs] for refs in references]
    df = {}
    for refs in ref_counts:
        for gram in set(g for counts in refs for g in counts):
            df[gram] = df.get(gram, 0) + 1
    log_images = math.log(len(references))

    def vector(counts):
        vec = [{} for _ in range(max_n)]
        norms = [0.0] * max_n
        length = 0
        for gram, tf in counts.items():
            n = len(gram) - 1
            weight = tf * (log_images - math.log(max(1.0, df.get(gram, 0))))
            vec[n][gram] = weight
            norms[n] += weight * weight
            if n == 1:
                length += tf
        return vec, [math.sqrt(x) for x in norms], length

    scores = []
    for hyp, refs in zip(hyp_counts, ref_counts):
        vec, norm, length = vector(hyp)
        total = [0.0] * max_n
        for ref in refs:
            rvec, rnorm, rlength = vector(ref)
            penalty = math.exp(-((length - rlength) ** 2) / (2 * sigma ** 2))
            for n in range(max_n):
                dot = sum(min(w, rvec[n].get(g, 0.0)) * rvec[n].get(g, 0.0)
                          for g, w in vec[n].items())
                if norm[n] != 0 and rnorm[n] != 0:
                    dot /= norm[n] * rnorm[n]
                total[n] += dot * penalty
        scores.append(10.0 * sum(total) / max_n / len(refs))
    return sum(scores) / len(scores), scores


# The cases of tests/framework/metrics/cider_test.cc.
CASES = {
    "identical_two_images": (["a cat sits", "a dog runs"], [["a cat sits"], ["a dog runs"]]),
    "disjoint": (["red car", "blue sky"], [["a cat sits"], ["a dog runs"]]),
    "length_penalty": (["a cat sits on the mat today now", "a dog runs"],
                       [["a cat sits"], ["a dog runs"]]),
    "emoji": (["woman technologist: medium skin tone", "flag: Egypt", "grinning face"],
              [["woman technologist: medium-dark skin tone", "woman technologist"],
               ["flag: Egypt"], ["grinning face with big eyes", "grinning face"]]),
    "repeats_are_clipped": (["cat cat cat cat", "a dog runs", "a bird flies"],
                            [["a cat sits"], ["a dog runs"], ["a bird flies"]]),
}


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            key, tab, caption = line.rstrip("\n").partition("\t")
            if not tab:
                sys.exit(f"{path}:{number}: no TAB")
            rows.append((key, caption))
    return rows


def main():
    if sys.argv[1:] == ["--cases"]:
        for name, (hyps, refs) in CASES.items():
            score, per_image = cider_d(hyps, refs)
            print(f"{name}: {score:.10f}  per image {[round(s, 10) for s in per_image]}")
        return
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    refs = {}
    for key, caption in read_tsv(sys.argv[1]):
        refs.setdefault(key, []).append(caption)
    hyps = read_tsv(sys.argv[2])
    score, _ = cider_d([c for _, c in hyps], [refs[k] for k, _ in hyps])
    print(f"CIDEr-D = {score:.4f}")


if __name__ == "__main__":
    main()
