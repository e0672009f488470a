// The hypotheses and references `recur eval` scores, read in one of two formats:
// `lines` (line i of every reference file answers line i of the hypothesis file) or
// `tsv` (`key<TAB>text` lines joined on the key, e.g. an image path and its caption).
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace recur::cli {

struct EvalInputs {
  std::vector<std::string> hypotheses;
  // references[k][i] is the k-th reference of hypothesis i, "" where a hypothesis has
  // fewer than k + 1 (the metrics ignore empty references).
  std::vector<std::vector<std::string>> references;
  std::string description;  // what the hypotheses are, for a baseline
};

// `lines`: each reference file must have as many lines as the hypothesis file
// ("-" reads standard input).
EvalInputs read_line_inputs(const std::string& hyp_path, const std::vector<std::string>& ref_paths);

// `tsv`: every line of every file is key<TAB>text. A key may occur on several reference
// lines (several references); all reference files are pooled. Errors name file:line: a
// line without a TAB, an empty reference text, a hypothesis key twice, a hypothesis key
// that no reference has. Reference keys without a hypothesis are not scored (warned).
EvalInputs read_tsv_inputs(const std::string& hyp_path, const std::vector<std::string>& ref_paths);

// The lead baseline (`--baseline lead --source SRC [--lead-words K]`, `lines` format
// only): hypothesis i is the first K words (whitespace-separated) of source line i, K
// being --lead-words or the references' mean length in words, rounded (at least 1).
// Usage errors (FlagError) name the flag.
EvalInputs baseline_inputs(const boost::program_options::variables_map& args,
                           const std::string& format, const std::vector<std::string>& ref_paths);

}  // namespace recur::cli
