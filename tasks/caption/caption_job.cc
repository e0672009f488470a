#include "caption_job.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "recur/core/logging.h"
#include "recur/pipeline/confidence_json.h"
#include "recur/pipeline/text_records.h"

namespace recur::tasks {

CaptionJob::CaptionJob(Pipeline& pipeline, const JobRequest& request, search::Options search)
    : pipeline_(pipeline), request_(request), search_(std::move(search)) {
  if (!pipeline_.preprocessor()) throw Error(pipeline_.file().string() + ": the pipeline's source is not images");
  search_.return_attention = request_.side_output;
  counts().noun = "images";
  counts().warning_keys = {"unusable image", "non-finite score"};
  pipeline_.model().eval();
}

void CaptionJob::begin(std::size_t records, const std::string& input) {
  input_ = input;
  items_.assign(records, Item{});
}

std::int64_t CaptionJob::prepare(std::size_t position, data::Line& record) {
  Item& item = items_[position];
  item.record = image_record(record, request_.files_relative_to);
  return item.record.error.empty() ? 1 : 0;
}

void CaptionJob::run(const std::vector<std::size_t>& positions) {
  std::vector<ImageRecord*> records;
  for (std::size_t pos : positions) records.push_back(&items_[pos].record);
  ImageBatch batch = load_images(*pipeline_.preprocessor(), records);
  if (!batch.images.defined()) return;
  SourceBatch src;
  src.data = batch.images;
  Memory memory = pipeline_.encoder().encode(src);
  const std::int64_t s = memory.states.dim(1);
  std::vector<search::Row> rows;
  for (std::size_t r : batch.rows) rows.emplace_back(s, items_[positions[r]].record.line);
  auto results = search::decode(pipeline_.decoder(), memory, rows, search_);
  for (std::size_t k = 0; k < batch.rows.size(); ++k) {
    Item& item = items_[positions[batch.rows[k]]];
    item.hyps = std::move(results[k]);
    item.image_size = {batch.images.dim(2), batch.images.dim(3)};
    item.positions = s;
  }
  if (request_.confidence_top_k > 0) {
    std::vector<std::vector<std::int64_t>> chosen;
    for (std::size_t k = 0; k < batch.rows.size(); ++k) {  // the hypotheses are in the items now
      const Item& item = items_[positions[batch.rows[k]]];
      chosen.push_back(item.hyps.empty() ? std::vector<std::int64_t>{} : item.hyps.front().ids);
    }
    auto steps = search::next_token_candidates(pipeline_.decoder(), memory,
                                               std::vector<std::vector<std::int64_t>>(chosen.size()), chosen,
                                               search_.bos_id, request_.confidence_top_k);
    for (std::size_t k = 0; k < batch.rows.size(); ++k) {
      items_[positions[batch.rows[k]]].confidence = std::move(steps[k]);
    }
  }
}

void CaptionJob::write(std::size_t position, const JobSinks& sinks) {
  const Item& item = items_[position];
  if (!item.record.error.empty()) {
    const std::string where = input_ + ":" + std::to_string(item.record.line);
    if (request_.strict) throw IoError(where + ": " + item.record.path + ": " + item.record.error);
    counts().add("unusable image");
    log().warn("{}: {}: {}; its caption is empty", where, item.record.path.empty() ? "(no path)" : item.record.path,
               item.record.error);
  } else if (!item.hyps.empty() && !std::isfinite(item.hyps.front().score)) {
    counts().add("non-finite score");
    log().warn("{}:{}: the model's score is not finite (NaN or Inf weights or activations); the caption is unreliable",
               input_, item.record.line);
  }
  if (!item.hyps.empty()) counts().add("target tokens", item.hyps.front().ids.size() + 1);
  request_.json ? write_json(item, *sinks.main) : write_text(item, *sinks.main);
  if (sinks.side) write_attention(item, *sinks.side);
  if (sinks.confidence) {
    write_confidence_json(*sinks.confidence, item.record.line,
                          item.hyps.empty() ? std::vector<std::int64_t>{} : item.hyps.front().ids, item.confidence,
                          pipeline_.target_tokenizer());
  }
}

void CaptionJob::write_text(const Item& item, std::ostream& out) {
  const Tokenizer& tok = pipeline_.target_tokenizer();
  const std::string path = one_line(item.record.path);
  const std::int64_t n_best = search_.n_best;
  for (std::int64_t k = 0; k < n_best; ++k) {
    std::string caption;
    float score = 0;
    if (k < static_cast<std::int64_t>(item.hyps.size())) {
      const auto& h = item.hyps[static_cast<std::size_t>(k)];
      caption = one_line(tok.decode(h.ids));
      score = h.score;
    }
    out << path << '\t';
    if (n_best > 1) out << k << '\t';
    out << caption;
    if (request_.scores || n_best > 1) out << '\t' << score;
    out << '\n';
  }
}

void CaptionJob::write_json(const Item& item, std::ostream& out) {
  const Tokenizer& tok = pipeline_.target_tokenizer();
  nlohmann::json j;
  j["path"] = item.record.path;
  j["caption"] = item.hyps.empty() ? "" : tok.decode(item.hyps.front().ids);
  j["score"] = item.hyps.empty() ? 0.0f : item.hyps.front().score;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& h : item.hyps) list.push_back({{"caption", tok.decode(h.ids)}, {"score", h.score}});
  j["n_best"] = list;
  if (!item.record.error.empty()) j["error"] = item.record.error;
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void CaptionJob::write_attention(const Item& item, std::ostream& out) {
  nlohmann::json j;
  j["line"] = item.record.line;
  j["path"] = item.record.path;
  std::vector<std::string> words;
  nlohmann::json matrix = nlohmann::json::array();
  std::vector<std::int64_t> grid;
  if (!item.hyps.empty()) {
    const auto& best = item.hyps.front();
    words = pipeline_.target_tokenizer().pieces(best.ids);
    if (best.attention.size() > best.ids.size()) words.push_back("</s>");
    for (const auto& row : best.attention) matrix.push_back(row);
    grid = feature_grid(item.positions, item.image_size[0], item.image_size[1]);
  }
  j["grid"] = grid;
  j["words"] = words;
  j["attention"] = matrix;
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace recur::tasks
