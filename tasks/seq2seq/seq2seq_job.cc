#include "seq2seq_job.h"

#include <algorithm>
#include <cmath>

#include "attention_json.h"
#include "joint_vocabulary.h"
#include "recur/core/logging.h"

namespace recur::tasks {

Seq2SeqJob::Seq2SeqJob(Pipeline& pipeline, const JobRequest& request, search::Options search)
    : pipeline_(pipeline), request_(request), search_(std::move(search)) {
  if (!pipeline_.source_tokenizer()) throw Error(pipeline_.file().string() + ": the pipeline's source is not text");
  search_.return_attention = request_.side_output;
  source_ids_ = shares_vocabulary(*pipeline_.source_tokenizer(), pipeline_.target_tokenizer());
  rules_.max_length = pipeline_.max_source_length();
  rules_.strict = request_.strict;
  counts().noun = "lines";
  declare_text_warnings(counts());
  counts().warning_keys.emplace_back("non-finite score");
  pipeline_.model().eval();
}

std::size_t Seq2SeqJob::max_record_bytes() const { return text_record_max_bytes(rules_.max_length); }

void Seq2SeqJob::begin(std::size_t records, const std::string& input) {
  input_ = input;
  items_.assign(records, Item{});
}

std::int64_t Seq2SeqJob::prepare(std::size_t position, data::Line& record) {
  Item& item = items_[position];
  item.line = record.number;
  item.ids = text_record_ids(record, *pipeline_.source_tokenizer(), rules_, input_, counts());
  return static_cast<std::int64_t>(item.ids.size());
}

void Seq2SeqJob::run(const std::vector<std::size_t>& positions) {
  const auto b = static_cast<std::int64_t>(positions.size());
  std::int64_t width = 0;
  for (std::size_t pos : positions) width = std::max<std::int64_t>(width, static_cast<std::int64_t>(items_[pos].ids.size()));
  SourceBatch src;
  src.data = Tensor::zeros({b, width}, DType::i64);
  auto* ids = src.data.data<std::int64_t>();
  std::fill(ids, ids + b * width, pipeline_.source_tokenizer()->pad_id());
  std::vector<search::Row> rows;
  for (std::int64_t r = 0; r < b; ++r) {
    const Item& item = items_[positions[static_cast<std::size_t>(r)]];
    std::copy(item.ids.begin(), item.ids.end(), ids + r * width);
    src.lengths.push_back(static_cast<std::int64_t>(item.ids.size()));
    rows.push_back({static_cast<std::int64_t>(item.ids.size()), item.line});
  }
  Memory memory = pipeline_.encoder().encode(src);
  if (source_ids_) memory.source_ids = src.data;  // target ids too: decoders may copy them
  auto results = search::decode(pipeline_.decoder(), memory, rows, search_);
  for (std::int64_t r = 0; r < b; ++r) {
    items_[positions[static_cast<std::size_t>(r)]].hyps = std::move(results[static_cast<std::size_t>(r)]);
  }
}

void Seq2SeqJob::write(std::size_t position, const JobSinks& sinks) {
  const Item& item = items_[position];
  std::ostream& out = *sinks.main;
  const std::int64_t n_best = search_.n_best;
  const Tokenizer& tok = pipeline_.target_tokenizer();
  if (!item.hyps.empty() && !std::isfinite(item.hyps.front().score)) {
    counts().add("non-finite score");
    log().warn("{}:{}: the model's score is not finite (NaN or Inf weights or activations); the output is unreliable",
               input_, item.line);
  }
  for (std::int64_t k = 0; k < n_best; ++k) {
    std::string text;
    float score = 0;
    if (k < static_cast<std::int64_t>(item.hyps.size())) {
      const auto& h = item.hyps[static_cast<std::size_t>(k)];
      text = one_line(tok.decode(h.ids));
      score = h.score;
      if (k == 0) counts().add("target tokens", h.ids.size() + 1);
    }
    if (n_best > 1) out << (item.line - 1) << " ||| ";
    out << text;
    if (request_.scores || n_best > 1) out << " ||| " << score;
    out << '\n';
  }
  if (sinks.side) {
    write_attention_json(*sinks.side, item.line, item.ids, item.hyps.empty() ? nullptr : &item.hyps[0],
                         *pipeline_.source_tokenizer(), tok);
  }
}

}  // namespace recur::tasks
