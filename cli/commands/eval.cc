// `recur eval --metric bleu --ref REF [--ref REF2] HYP`: corpus BLEU (sacreBLEU 13a), chrF,
// ROUGE-L, CIDEr-D or exact match of a hypothesis file against one or more reference
// files, given as parallel lines or (--format tsv) as key<TAB>text lines joined on the key.
// `recur eval --metric bpc -m MODEL -i TEXT`: a language model's bits per character (eval_bpc.h).
// `recur eval --metric forecast -m MODEL -i SERIES --horizon H --backtest N`: eval_forecast.h.
#include <algorithm>
#include <cstdio>

#include "command.h"
#include "commands/eval_bpc.h"
#include "commands/eval_forecast.h"
#include "commands/forecast_common.h"
#include "commands/eval_inputs.h"
#include "model_command.h"
#include "recur/core/error.h"
#include "recur/metrics/bleu.h"
#include "recur/metrics/chrf.h"
#include "recur/metrics/cider.h"
#include "recur/metrics/classification.h"
#include "recur/metrics/exact_match.h"
#include "recur/metrics/rouge.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("metric", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
      "bleu (corpus BLEU-4, sacreBLEU 13a tokens, mixed case), chrf, rouge (ROUGE-1, ROUGE-2 "
      "and ROUGE-L F1 as rouge-score without stemming), rouge-1, rouge-2, rouge-l, cider (CIDEr-D "
      "as pycocoevalcap, 0-10 scale, lowercased, punctuation stripped) or exact (% of "
      "hypotheses equal to a reference, case-sensitive, whitespace normalised), accuracy (a "
      "classifier's labels: accuracy, macro-F1 as sklearn's and the confusion matrix; a "
      "hypothesis line's label is its text up to the first TAB), bpc (a language model's bits "
      "per character and perplexity on the text -i, with -m; alone), forecast (a forecasting model's "
      "MAE, RMSE, sMAPE and MASE over --backtest N rolling-origin windows of --horizon H steps of the "
      "series -i, beside the naive and seasonal-naive forecasts; with -m; alone); repeatable; default: bleu and chrf");
  add("ref,r", po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
      "reference file (repeatable for several references)");
  add("hyp", po::value<std::string>()->value_name("FILE"),
      "hypothesis file (- = stdin); not with --baseline");
  add("baseline", po::value<std::string>()->value_name("NAME"),
      "score a baseline instead of HYP: lead (the first K words of each --source line)");
  add("source", po::value<std::string>()->value_name("FILE"),
      "the sources the baseline reads, line i for reference line i");
  add("lead-words", po::value<std::int64_t>()->value_name("K"),
      "words the lead baseline keeps (default: the references' mean length in words, rounded)");
  add("format", po::value<std::string>()->default_value("lines")->value_name("FORMAT"),
      "lines: line i of each --ref answers line i of HYP; tsv: every line is KEY<TAB>TEXT "
      "(e.g. image path and caption), joined on KEY; a key may occur on several --ref "
      "lines (several references); every HYP key must have one");
  add("score-only", po::bool_switch(), "print only the number(s)");
  add("input,i", po::value<std::string>()->value_name("FILE"), "bpc: the text the model scores; forecast: the series");
  declare_model_options(options.named, false);
  add_forecast_options(options.named);
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

// Accuracy, macro-F1 and the confusion matrix of labels (`recur classify` output: the
// label is the text before the first TAB).
void print_classification(const EvalInputs& in, bool score_only) {
  std::vector<std::string> predicted;
  for (const std::string& h : in.hypotheses) predicted.push_back(h.substr(0, h.find('\t')));
  const metrics::ClassificationScores s = metrics::classification_scores(predicted, in.references.at(0));
  if (score_only) {
    std::printf("%.2f\n%.2f\n", s.accuracy, s.macro_f1);
    return;
  }
  std::printf("Accuracy = %.2f\nMacro-F1 = %.2f (%lld segments, %zu labels)\n", s.accuracy, s.macro_f1,
              static_cast<long long>(s.segments), s.labels.size());
  int width = 9;
  for (const auto& l : s.labels) width = std::max(width, static_cast<int>(l.size()) + 1);
  std::printf("confusion matrix (rows: reference, columns: prediction)\n%*s", width, "");
  for (const auto& l : s.labels) std::printf(" %*s", width, l.c_str());
  std::printf(" %*s\n", width, "F1");
  for (std::size_t r = 0; r < s.labels.size(); ++r) {
    std::printf("%*s", width, s.labels[r].c_str());
    for (std::int64_t c : s.confusion[r]) std::printf(" %*lld", width, static_cast<long long>(c));
    std::printf(" %*.2f\n", width, s.f1[r]);
  }
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
  } else if (m == "rouge") {
    for (const char* part : {"rouge-1", "rouge-2", "rouge-l"}) print_metric(part, in, score_only);
    return;
  } else if (m == "rouge-1" || m == "rouge-2") {
    label = m == "rouge-1" ? "ROUGE-1" : "ROUGE-2";
    score = metrics::corpus_rouge_n(in.hypotheses, in.references, m == "rouge-1" ? 1 : 2);
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
  } else if (m == "accuracy") {
    print_classification(in, score_only);
    return;
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
  if (std::find(metrics.begin(), metrics.end(), "bpc") != metrics.end()) {
    if (metrics.size() > 1) throw FlagError("--metric", "bpc scores a model on a text: give it alone");
    return run_bpc(args);
  }
  if (std::find(metrics.begin(), metrics.end(), "forecast") != metrics.end()) {
    if (metrics.size() > 1) throw FlagError("--metric", "forecast scores a model on a series: give it alone");
    return run_forecast_eval(args);
  }
  for (const char* flag : {"model", "input"}) {
    if (args.count(flag)) throw FlagError(std::string("--") + flag, "is only read with --metric bpc or forecast");
  }
  for (const char* flag : {"horizon", "backtest"}) {
    if (args.count(flag)) throw FlagError(std::string("--") + flag, "is only read with --metric forecast");
  }
  if (!args.count("ref")) throw FlagError("--ref", "a reference file is required");
  for (const std::string& m : metrics) {
    static const char* const kKnown[] = {"bleu",    "chrf",    "rouge", "rouge-1",
                                         "rouge-2", "rouge-l", "rouge_l", "cider",
                                         "cider-d", "exact",   "exact-match", "accuracy"};
    if (std::find(std::begin(kKnown), std::end(kKnown), m) == std::end(kKnown)) {
      throw FlagError("--metric", "unknown metric '" + m +
                                      "' (expected bleu, chrf, rouge, rouge-1, rouge-2, rouge-l, "
                                      "cider, exact, accuracy, bpc or forecast)");
    }
  }
  const auto ref_paths = args["ref"].as<std::vector<std::string>>();
  const bool score_only = args["score-only"].as<bool>();
  EvalInputs inputs;
  if (args.count("baseline")) {
    inputs = baseline_inputs(args, format, ref_paths);
    if (!score_only) std::printf("%s\n", inputs.description.c_str());
  } else {
    if (!args.count("hyp")) throw FlagError("HYP", "a hypothesis file is required (or --baseline)");
    for (const char* flag : {"source", "lead-words"}) {
      if (args.count(flag)) throw FlagError(std::string("--") + flag, "is only read with --baseline");
    }
    const std::string hyp_path = args["hyp"].as<std::string>();
    inputs = format == "tsv" ? read_tsv_inputs(hyp_path, ref_paths) : read_line_inputs(hyp_path, ref_paths);
  }
  for (const std::string& m : metrics) print_metric(m, inputs, score_only);
  return 0;
}

}  // namespace

Command eval_command() {
  return {
      "eval",
      "score hypotheses (or a baseline) against references: BLEU (sacreBLEU 13a), chrF, "
      "ROUGE-1/2/L, CIDEr-D, exact match, classification accuracy / macro-F1; a language model's bits per character; "
      "a forecasting model's MAE, RMSE, sMAPE and MASE against the naive baselines",
      "[--metric bleu|chrf|rouge|cider|exact|accuracy]... [--format lines|tsv] --ref REF [--ref REF]... "
      "(HYP | --baseline lead --source SRC [--lead-words K]) | --metric bpc -m MODEL_DIR -i TEXT | "
      "--metric forecast -m MODEL_DIR -i SERIES.csv --horizon H --backtest N",
      &declare, &run};
}

}  // namespace recur::cli
