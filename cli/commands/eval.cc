// `recur eval --metric bleu --ref REF [--ref REF2] HYP`: corpus BLEU (sacreBLEU 13a),
// chrF or ROUGE-L of a hypothesis file against one or more reference files.
#include <fstream>
#include <iostream>

#include "command.h"
#include "recur/core/error.h"
#include "recur/data/line_reader.h"
#include "recur/metrics/bleu.h"
#include "recur/metrics/chrf.h"
#include "recur/metrics/rouge.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("metric", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
      "bleu, chrf or rouge-l (repeatable; default: bleu and chrf)");
  add("ref,r", po::value<std::vector<std::string>>()->required()->composing()->value_name("FILE"),
      "reference file, line i for hypothesis line i (repeatable for several references)");
  add("hyp", po::value<std::string>()->required()->value_name("FILE"), "hypothesis file (- = stdin)");
  add("score-only", po::bool_switch(), "print only the number(s)");
  options.positional.add("hyp", 1);
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw IoError(path + ": cannot open for reading");
    in = &file;
  }
  data::LineReader reader(*in, path == "-" ? "<stdin>" : path);
  std::vector<std::string> lines;
  for (data::Line& line : reader.next(SIZE_MAX)) lines.push_back(std::move(line.text));
  return lines;
}

int run(const po::variables_map& args) {
  const std::string hyp_path = args["hyp"].as<std::string>();
  const auto hyps = read_lines(hyp_path);
  std::vector<std::vector<std::string>> refs;
  for (const auto& r : args["ref"].as<std::vector<std::string>>()) {
    refs.push_back(read_lines(r));
    if (refs.back().size() != hyps.size()) {
      throw IoError(r + ": " + std::to_string(refs.back().size()) + " lines, but " + hyp_path +
                    " has " + std::to_string(hyps.size()));
    }
  }
  std::vector<std::string> metrics{"bleu", "chrf"};
  if (args.count("metric")) metrics = args["metric"].as<std::vector<std::string>>();
  const bool score_only = args["score-only"].as<bool>();
  for (const std::string& m : metrics) {
    if (m == "bleu") {
      auto s = metrics::corpus_bleu(hyps, refs);
      if (score_only) {
        std::printf("%.2f\n", s.score);
      } else {
        std::printf("BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f, hyp_len = %lld, ref_len = %lld)\n",
                    s.score, s.precisions.at(0), s.precisions.at(1), s.precisions.at(2),
                    s.precisions.at(3), s.brevity_penalty, static_cast<long long>(s.stats.hyp_len),
                    static_cast<long long>(s.stats.ref_len));
      }
    } else if (m == "chrf") {
      double s = metrics::corpus_chrf(hyps, refs);
      score_only ? std::printf("%.2f\n", s) : std::printf("chrF2 = %.2f\n", s);
    } else if (m == "rouge-l" || m == "rouge_l") {
      double s = metrics::corpus_rouge_l(hyps, refs);
      score_only ? std::printf("%.2f\n", s) : std::printf("ROUGE-L = %.2f\n", s);
    } else {
      throw ConfigError("unknown metric '" + m + "' (expected bleu, chrf or rouge-l)");
    }
  }
  return 0;
}

}  // namespace

Command eval_command() {
  return {"eval", "score a hypothesis file against references: BLEU (sacreBLEU 13a), chrF, ROUGE-L",
          "[--metric bleu|chrf|rouge-l]... --ref REF [--ref REF]... HYP", &declare, &run};
}

}  // namespace recur::cli
