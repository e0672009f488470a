#include "recur/pipeline/translator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <sstream>
#include <thread>

#include "recur/core/logging.h"
#include "recur/data/line_reader.h"
#include "recur/text/utf8.h"
#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "attention_json.h"

namespace recur {

namespace {

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// Decoded text on one line: a newline inside a hypothesis would shift every later line.
std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

struct Item {
  std::uint64_t line = 0;
  std::vector<std::int64_t> ids;  // source ids incl. eos; empty for blank lines
  std::vector<search::Hypothesis> hyps;
};

// Checks, tokenizes and crops one input line; a blank line keeps no ids (empty output).
void prepare(Item& item, std::string text, const Pipeline& p, const std::string& name,
             const TranslateOptions& o, TranslateStats& stats) {
  if (o.strict) {
    if (auto bad = text::find_invalid_utf8(text)) {
      throw IoError(name + ":" + std::to_string(item.line) + ": invalid UTF-8 at byte " +
                    std::to_string(*bad + 1));
    }
  } else if (text::replace_invalid_utf8(text) > 0) {
    ++stats.invalid_utf8_lines;
    log().warn("{}:{}: invalid UTF-8 replaced with U+FFFD", name, item.line);
  }
  if (blank(text)) {
    ++stats.empty_lines;
    return;
  }
  const Tokenizer& tok = *p.source_tokenizer();
  item.ids = tok.encode(text);
  const auto max_len = p.max_source_length() - 1;  // room for eos
  if (static_cast<std::int64_t>(item.ids.size()) > max_len) {
    ++stats.cropped_lines;
    log().warn("{}:{}: {} tokens cropped to the model's maximum of {}", name, item.line,
               item.ids.size(), max_len);
    item.ids.resize(static_cast<std::size_t>(max_len));
  }
  item.ids.push_back(tok.eos_id());
  stats.source_tokens += item.ids.size();
}

void run_batch(Pipeline& p, std::vector<Item>& items, const std::vector<std::size_t>& batch) {
  const auto b = static_cast<std::int64_t>(batch.size());
  std::int64_t width = 0;
  for (std::size_t pos : batch) width = std::max<std::int64_t>(width, static_cast<std::int64_t>(items[pos].ids.size()));
  SourceBatch src;
  src.data = Tensor::zeros({b, width}, DType::i64);
  auto* ids = src.data.data<std::int64_t>();
  std::fill(ids, ids + b * width, p.source_tokenizer()->pad_id());
  std::vector<search::Row> rows;
  for (std::int64_t r = 0; r < b; ++r) {
    const Item& item = items[batch[static_cast<std::size_t>(r)]];
    std::copy(item.ids.begin(), item.ids.end(), ids + r * width);
    src.lengths.push_back(static_cast<std::int64_t>(item.ids.size()));
    rows.push_back({static_cast<std::int64_t>(item.ids.size()), item.line});
  }
  Memory memory = p.encoder().encode(src);
  auto results = search::decode(p.decoder(), memory, rows, p.search_options());
  for (std::int64_t r = 0; r < b; ++r) items[batch[static_cast<std::size_t>(r)]].hyps = std::move(results[static_cast<std::size_t>(r)]);
}

// Runs the mini-batches of one maxi-batch on `workers` threads, each taking the next
// batch not yet taken, with the compute threads shared out among them. Each batch
// writes only its own items, so order is restored by position, not by finishing time.
// The first error stops the others from taking more batches and is rethrown here.
void run_batches(Pipeline& p, std::vector<Item>& items,
                 const std::vector<std::vector<std::size_t>>& batches, int workers) {
  workers = std::clamp<int>(workers, 1, static_cast<int>(batches.size()));
  if (workers == 1) {
    for (const auto& batch : batches) run_batch(p, items, batch);
    return;
  }
  const int compute = std::max(1, ops::num_threads() / workers);
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    autograd::NoGradGuard no_grad;  // per thread
    ops::set_num_threads(compute);
    try {
      for (std::size_t i; (i = next++) < batches.size();) run_batch(p, items, batches[i]);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next = batches.size();
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(work);
  const int own = ops::num_threads();
  work();
  ops::set_num_threads(own);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

void write_item(const Item& item, const Pipeline& p, const TranslateOptions& o,
                std::ostream& out, TranslateStats& stats) {
  const std::int64_t n_best = p.search_options().n_best;
  const Tokenizer& tok = p.target_tokenizer();
  for (std::int64_t k = 0; k < n_best; ++k) {
    std::string text;
    float score = 0;
    if (k < static_cast<std::int64_t>(item.hyps.size())) {
      const auto& h = item.hyps[static_cast<std::size_t>(k)];
      text = one_line(tok.decode(h.ids));
      score = h.score;
      if (k == 0) stats.target_tokens += h.ids.size() + 1;
    }
    if (n_best > 1) out << (item.line - 1) << " ||| ";
    out << text;
    if (o.scores || n_best > 1) out << " ||| " << score;
    out << '\n';
  }
  if (o.attention) {
    write_attention_json(*o.attention, item.line, item.ids, item.hyps.empty() ? nullptr : &item.hyps[0],
                         *p.source_tokenizer(), tok);
  }
}

}  // namespace

TranslateStats translate_stream(Pipeline& p, std::istream& in, const std::string& in_name,
                                std::ostream& out, const TranslateOptions& o) {
  if (!p.source_tokenizer()) throw Error("translate: the pipeline's source is not text");
  auto start = std::chrono::steady_clock::now();
  autograd::NoGradGuard no_grad;
  p.model().eval();
  p.search_options().return_attention = o.attention != nullptr;
  TranslateStats stats;
  data::LineReader reader(in, in_name);
  while (true) {
    std::vector<data::Line> lines = reader.next(o.maxi_batch_lines);
    if (lines.empty()) break;
    std::vector<Item> items(lines.size());
    std::vector<std::int64_t> lengths(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      items[i].line = lines[i].number;
      prepare(items[i], std::move(lines[i].text), p, in_name, o, stats);
      lengths[i] = static_cast<std::int64_t>(items[i].ids.size());
    }
    run_batches(p, items, data::make_batches(lengths, o.batch), o.workers);
    for (const Item& item : items) write_item(item, p, o, out, stats);
    out.flush();
    if (!out) throw IoError("translate: write error after input line " + std::to_string(stats.lines));
    stats.lines += lines.size();
    if (o.on_progress) o.on_progress(stats.lines);
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace recur
