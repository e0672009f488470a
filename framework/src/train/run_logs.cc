#include "run_logs.h"

#include <cctype>
#include <charconv>
#include <sstream>

#include "recur/core/atomic_file.h"
#include "recur/core/error.h"

namespace fs = std::filesystem;

namespace recur::train {

namespace {

const char* const kTrainHeader = "step,epoch,loss,ppl,lr,grad_norm,tokens_per_s";

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rewrites `file` keeping rows up to `step` (if it exists), then opens it to append.
void reopen(std::ofstream& out, const fs::path& file, std::int64_t step, const char* header) {
  std::error_code ec;
  const bool exists = fs::exists(file, ec);
  const std::string text = exists ? read_all(file) : "";
  std::string kept = rows_up_to(text, step);
  if (header && kept.empty()) kept = std::string(header) + "\n";
  if (!exists || text != kept) write_file_atomically(file, kept);
  out.close();
  out.open(file, std::ios::app | std::ios::binary);
  if (!out) throw IoError(file.string() + ": cannot open for writing");
}

void append(std::ofstream& out, const std::string& row) {
  out << row << '\n';
  out.flush();
}

}  // namespace

std::string rows_up_to(const std::string& text, std::int64_t step) {
  std::string kept;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) break;  // a torn last line: the row is written again
    const std::string_view line(text.data() + begin, end - begin);
    if (!line.empty() && !std::isdigit(static_cast<unsigned char>(line[0]))) {
      if (begin == 0) kept.append(line).push_back('\n');  // the header
    } else {
      std::int64_t row_step = 0;
      auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), row_step);
      if (ec == std::errc() && row_step <= step && (p == line.data() + line.size() || *p == ',')) {
        kept.append(line).push_back('\n');
      }
    }
    begin = end + 1;
  }
  return kept;
}

RunLogs::RunLogs(fs::path dir) : dir_(std::move(dir)) {}

void RunLogs::start_at(std::int64_t step) {
  reopen(train_, dir_ / "train_log.csv", step, kTrainHeader);
  reopen(valid_, dir_ / "valid_log.csv", step, nullptr);
}

void RunLogs::train_row(const std::string& row) { append(train_, row); }
void RunLogs::valid_row(const std::string& row) { append(valid_, row); }

}  // namespace recur::train
