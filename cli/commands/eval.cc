// `recur eval --metric bleu --ref REF [--ref REF2] HYP`: corpus BLEU (sacreBLEU 13a), chrF,
// ROUGE-L, CIDEr-D or exact match of a hypothesis file against one or more reference
// files, given as parallel lines or (--format tsv) as key<TAB>text lines joined on the key.
#include <algorithm>
#include <cstdio>

#include "command.h"
#include "commands/eval_inputs.h"
#include "recur/core/error.h"
#include "recur/metrics/bleu.h"
#include "recur/metrics/chrf.h"
#include "recur/metrics/cider.h"
#include "recur/metrics/exact_match.h"
#include "recur/metrics/rouge.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("metric", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
      "bleu (corpus BLEU-4, sacreBLEU 13a tokens, mixed case), chrf, rouge-l, cider (CIDEr-D "
      "as pycocoevalcap, 0-10 scale, lowercased, punctuation stripped) or exact (% of "
      "hypotheses equal to a reference, case-sensitive, whitespace normalised); repeatable; "
      "default: bleu and chrf");
  add("ref,r", po::value<std::vector<std::string>>()->required()->composing()->value_name("FILE"),
      "reference file (repeatable for several references)");
  add("hyp", po::value<std::string>()->required()->value_name("FILE"),
      "hypothesis file (- = stdin)");
  add("format", po::value<std::string>()->default_value("lines")->value_name("FORMAT"),
      "lines: line i of each --ref answers line i of HYP; tsv: every line is KEY<TAB>TEXT "
      "(e.g. image path and caption), joined on KEY; a key may occur on several --ref "
      "lines (several references); every HYP key must have one");
  add("score-only", po::bool_switch(), "print only the number(s)");
  options.positional.add("hyp", 1);
}

void print_bleu(const EvalInputs& in, bool score_only) {
  const metrics::BleuScore s = metrics::corpus_bleu(in.hypotheses, in.references);
  if (score_only) {
    std::printf("%.2f\n", s.score);
    return;
  }
  std::printf("BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f, hyp_len = %lld, ref_len = %lld)\n",
              s.score, s.precisions.at(0), s.precisions.at(1), s.precisions.at(2),
              s.precisions.at(3), s.brevity_penalty, static_cast<long long>(s.stats.hyp_len),
              static_cast<long long>(s.stats.ref_len));
}

void print_metric(const std::string& m, const EvalInputs& in, bool score_only) {
  const char* label = nullptr;
  double score = 0.0;
  int decimals = 2;
  if (m == "bleu") {
    print_bleu(in, score_only);
    return;
  } else if (m == "chrf") {
    label = "chrF2";
    score = metrics::corpus_chrf(in.hypotheses, in.references);
  } else if (m == "rouge-l" || m == "rouge_l") {
    label = "ROUGE-L";
    score = metrics::corpus_rouge_l(in.hypotheses, in.references);
  } else if (m == "cider" || m == "cider-d") {
    label = "CIDEr-D";
    score = metrics::corpus_cider_d(in.hypotheses, in.references).score;
    decimals = 4;  // its scale is 0-10
  } else if (m == "exact" || m == "exact-match") {
    label = "Exact match";
    score = metrics::corpus_exact_match(in.hypotheses, in.references);
  }
  if (score_only) {
    std::printf("%.*f\n", decimals, score);
  } else {
    std::printf("%s = %.*f\n", label, decimals, score);
  }
}

int run(const po::variables_map& args) {
  const std::string format = args["format"].as<std::string>();
  if (format != "lines" && format != "tsv") {
    throw FlagError("--format", "unknown format '" + format + "' (expected lines or tsv)");
  }
  std::vector<std::string> metrics{"bleu", "chrf"};
  if (args.count("metric")) metrics = args["metric"].as<std::vector<std::string>>();
  for (const std::string& m : metrics) {
    static const char* const kKnown[] = {"bleu",  "chrf",    "rouge-l", "rouge_l",
                                         "cider", "cider-d", "exact",   "exact-match"};
    if (std::find(std::begin(kKnown), std::end(kKnown), m) == std::end(kKnown)) {
      throw FlagError("--metric",
                      "unknown metric '" + m + "' (expected bleu, chrf, rouge-l, cider or exact)");
    }
  }
  const std::string hyp_path = args["hyp"].as<std::string>();
  const auto ref_paths = args["ref"].as<std::vector<std::string>>();
  const EvalInputs inputs = format == "tsv" ? read_tsv_inputs(hyp_path, ref_paths)
                                            : read_line_inputs(hyp_path, ref_paths);
  const bool score_only = args["score-only"].as<bool>();
  for (const std::string& m : metrics) print_metric(m, inputs, score_only);
  return 0;
}

}  // namespace

Command eval_command() {
  return {
      "eval",
      "score hypotheses against references: BLEU (sacreBLEU 13a), chrF, ROUGE-L, CIDEr-D, "
      "exact match",
      "[--metric bleu|chrf|rouge-l|cider|exact]... [--format lines|tsv] --ref REF [--ref REF]... "
      "HYP",
      &declare, &run};
}

}  // namespace recur::cli
