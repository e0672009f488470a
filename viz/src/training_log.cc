#include "recur/viz/training_log.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <limits>

#include "recur/core/error.h"

namespace recur::viz {
namespace {

namespace fs = std::filesystem;
constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void fail(const fs::path& file, std::size_t line, const std::string& message) {
  throw Error(file.string() + ":" + std::to_string(line) + ": " + message);
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> fields(1);
  for (char c : text) {
    if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

bool parse_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno != ERANGE;
}

double number(const fs::path& file, std::size_t line, const std::string& name,
              const std::string& text) {
  double value = 0;
  if (!parse_number(text, value))
    fail(file, line, "field '" + name + "': not a number '" + text + "'");
  return value;
}

std::int64_t step_of(const fs::path& file, std::size_t line, const std::string& text) {
  const double value = number(file, line, "step", text);
  if (value < 0 || value != static_cast<double>(static_cast<std::int64_t>(value))) {
    fail(file, line, "field 'step': not a step number '" + text + "'");
  }
  return static_cast<std::int64_t>(value);
}

std::ifstream open(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open " + file.string());
  return in;
}

bool is_train_header(const std::string& first_line) {
  return first_line.rfind("step,", 0) == 0 && first_line.find('=') == std::string::npos;
}

}  // namespace

std::vector<TrainRow> read_train_log(const fs::path& file) {
  std::ifstream in = open(file);
  std::string text;
  if (!std::getline(in, text))
    fail(file, 1, "empty file (expected the header step,epoch,loss,...)");
  const std::vector<std::string> header = split(text);
  auto column = [&](const std::string& name, bool required) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    if (required) {
      fail(file, 1,
           "field '" + name + "': missing column (header: " + text +
               "; a train_log.csv of recur train starts step,epoch,loss,ppl,lr,...)");
    }
    return -1;
  };
  const int step = column("step", true), loss = column("loss", true);
  const int ppl = column("ppl", false), lr = column("lr", false), norm = column("grad_norm", false);
  std::vector<TrainRow> rows;
  std::size_t line = 1;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text == "\r") continue;
    const std::vector<std::string> f = split(text);
    if (f.size() != header.size()) {
      fail(file, line,
           "expected " + std::to_string(header.size()) + " fields (as the header), found " +
               std::to_string(f.size()));
    }
    auto optional = [&](int i) { return i < 0 ? kMissing : number(file, line, header[i], f[i]); };
    rows.push_back({step_of(file, line, f[step]), number(file, line, "loss", f[loss]),
                    optional(ppl), optional(lr), optional(norm)});
  }
  return rows;
}

std::vector<ValidRow> read_valid_log(const fs::path& file) {
  std::ifstream in = open(file);
  std::string text;
  std::vector<ValidRow> rows;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text == "\r") continue;
    const std::vector<std::string> f = split(text);
    ValidRow row{step_of(file, line, f[0]), {}};
    for (std::size_t i = 1; i < f.size(); ++i) {
      const std::size_t eq = f[i].find('=');
      if (eq == std::string::npos || eq == 0) {
        fail(file, line,
             "field " + std::to_string(i + 1) + ": expected name=value, found '" + f[i] + "'");
      }
      const std::string name = f[i].substr(0, eq);
      row.metrics[name] = number(file, line, name, f[i].substr(eq + 1));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TrainingRun read_training_run(const fs::path& path) {
  TrainingRun run;
  if (fs::is_directory(path)) {
    run.name = fs::absolute(path).lexically_normal().filename().string();
    if (run.name.empty())
      run.name = fs::absolute(path).lexically_normal().parent_path().filename().string();
    const fs::path train = path / "train_log.csv", valid = path / "valid_log.csv";
    if (!fs::exists(train) && !fs::exists(valid)) {
      throw Error(path.string() +
                  ": no train_log.csv or valid_log.csv (the logs recur train writes "
                  "in a run folder)");
    }
    if (fs::exists(train)) run.train = read_train_log(train);
    if (fs::exists(valid)) run.valid = read_valid_log(valid);
    return run;
  }
  run.name = path.stem().string();
  std::ifstream in = open(path);
  std::string first;
  std::getline(in, first);
  if (is_train_header(first)) {
    run.train = read_train_log(path);
  } else {
    run.valid = read_valid_log(path);
  }
  return run;
}

}  // namespace recur::viz
