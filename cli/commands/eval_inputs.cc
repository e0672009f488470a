#include "eval_inputs.h"

#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "recur/core/error.h"
#include "recur/core/logging.h"
#include "recur/data/line_reader.h"
#include "recur/data/tsv.h"
#include "recur/text/utf8.h"
#include "command.h"
#include <cmath>
#include <algorithm>

namespace recur::cli {
namespace {

// The opened file, or standard input for "-"; `name` is what messages call it.
struct Input {
  std::unique_ptr<std::ifstream> file;
  std::istream* stream = &std::cin;
  std::string name = "<stdin>";
};

Input open(const std::string& path) {
  Input in;
  if (path == "-") return in;
  in.file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in.file) throw IoError(path + ": cannot open for reading");
  in.stream = in.file.get();
  in.name = path;
  return in;
}

std::vector<std::string> read_lines(const std::string& path) {
  Input in = open(path);
  data::LineReader reader(*in.stream, in.name);
  std::vector<std::string> lines;
  for (data::Line& line : reader.next(SIZE_MAX)) lines.push_back(std::move(line.text));
  return lines;
}

std::vector<data::TsvRow> read_rows(const std::string& path, std::string& name) {
  Input in = open(path);
  name = in.name;
  return data::read_tsv(*in.stream, in.name);
}

}  // namespace

EvalInputs read_line_inputs(const std::string& hyp_path,
                            const std::vector<std::string>& ref_paths) {
  EvalInputs inputs;
  inputs.hypotheses = read_lines(hyp_path);
  for (const std::string& path : ref_paths) {
    inputs.references.push_back(read_lines(path));
    if (inputs.references.back().size() != inputs.hypotheses.size()) {
      throw IoError(path + ": " + std::to_string(inputs.references.back().size()) + " lines, but " +
                    hyp_path + " has " + std::to_string(inputs.hypotheses.size()));
    }
  }
  return inputs;
}

EvalInputs read_tsv_inputs(const std::string& hyp_path, const std::vector<std::string>& ref_paths) {
  std::map<std::string, std::vector<std::string>> refs_of;
  std::string ref_names;
  for (const std::string& path : ref_paths) {
    std::string name;
    for (data::TsvRow& row : read_rows(path, name)) {
      if (row.value.find_first_not_of(" \t") == std::string::npos) {
        throw IoError(name + ":" + std::to_string(row.line) + ": empty reference for '" + row.key +
                      "'");
      }
      refs_of[row.key].push_back(std::move(row.value));
    }
    ref_names += (ref_names.empty() ? "" : ", ") + name;
  }
  EvalInputs inputs;
  std::vector<const std::vector<std::string>*> refs;
  std::map<std::string, std::uint64_t> hyp_line;
  std::string hyp_name;
  std::size_t most = 0;
  for (data::TsvRow& row : read_rows(hyp_path, hyp_name)) {
    const std::string where = hyp_name + ":" + std::to_string(row.line) + ": '" + row.key + "' ";
    const auto [seen, fresh] = hyp_line.emplace(row.key, row.line);
    if (!fresh)
      throw IoError(where + "already has a hypothesis at line " + std::to_string(seen->second));
    const auto it = refs_of.find(row.key);
    if (it == refs_of.end()) throw IoError(where + "has no reference in " + ref_names);
    inputs.hypotheses.push_back(std::move(row.value));
    refs.push_back(&it->second);
    most = std::max(most, it->second.size());
  }
  if (hyp_line.size() < refs_of.size()) {
    log().warn("{} of the {} keys in {} have no hypothesis in {}; they are not scored",
               refs_of.size() - hyp_line.size(), refs_of.size(), ref_names, hyp_name);
  }
  inputs.references.assign(std::max<std::size_t>(most, 1),
                           std::vector<std::string>(inputs.hypotheses.size()));
  for (std::size_t i = 0; i < refs.size(); ++i) {
    for (std::size_t k = 0; k < refs[i]->size(); ++k) inputs.references[k][i] = (*refs[i])[k];
  }
  return inputs;
}

}  // namespace recur::cli

namespace recur::cli {

EvalInputs baseline_inputs(const boost::program_options::variables_map& args,
                           const std::string& format, const std::vector<std::string>& ref_paths) {
  const std::string name = args["baseline"].as<std::string>();
  if (name != "lead") throw FlagError("--baseline", "unknown baseline '" + name + "' (expected lead)");
  if (args.count("hyp")) throw FlagError("--baseline", "scores the baseline, not a hypothesis file");
  if (format != "lines") throw FlagError("--format", "the lead baseline reads line files");
  if (!args.count("source")) throw FlagError("--source", "the lead baseline needs the source file");
  const std::string source = args["source"].as<std::string>();
  EvalInputs inputs = read_line_inputs(source, ref_paths);
  std::int64_t words = 0;
  if (args.count("lead-words")) {
    words = args["lead-words"].as<std::int64_t>();
    if (words < 1) throw FlagError("--lead-words", "must be at least 1");
  } else {
    std::size_t total = 0, refs = 0;
    for (const auto& stream : inputs.references) {
      for (const std::string& r : stream) {
        total += text::split_whitespace(std::string_view(r)).size();
        ++refs;
      }
    }
    words = std::max<std::int64_t>(1, std::llround(static_cast<double>(total) / std::max<std::size_t>(refs, 1)));
  }
  for (std::string& line : inputs.hypotheses) {
    const std::vector<std::string> tokens = text::split_whitespace(std::string_view(line));
    std::string lead;
    for (std::size_t i = 0; i < tokens.size() && i < static_cast<std::size_t>(words); ++i) {
      lead += (i ? " " : "") + tokens[i];
    }
    line = std::move(lead);
  }
  inputs.description = "lead-" + std::to_string(words) + " baseline: the first " + std::to_string(words) +
                       " words of each line of " + source;
  return inputs;
}

}  // namespace recur::cli
