#include "lm_job.h"

#include <ostream>

#include "recur/pipeline/confidence_json.h"
#include "recur/pipeline/text_records.h"

namespace recur::tasks {

LmJob::LmJob(Pipeline& pipeline, const JobRequest& request, search::Options search)
    : TextJob(pipeline, request, &pipeline.target_tokenizer()), search_(std::move(search)) {
  search_.stop_at_eos = true;
  search_.on_token = nullptr;
}

void LmJob::run(const std::vector<std::size_t>& positions) {
  std::vector<search::Row> rows;
  std::vector<std::vector<std::int64_t>> prompts, chosen;
  for (std::size_t pos : positions) {
    std::vector<std::int64_t> prompt = items_[pos].ids;
    if (!prompt.empty()) prompt.pop_back();  // the line's eos: the continuation is on this line
    rows.emplace_back(0, items_[pos].line, std::move(prompt));
  }
  auto results = search::decode(pipeline_.decoder(), Memory{}, rows, search_);
  for (std::size_t r = 0; r < positions.size(); ++r) items_[positions[r]].hyp = std::move(results[r].front());
  if (request_.confidence_top_k > 0) {
    for (std::size_t r = 0; r < positions.size(); ++r) {
      prompts.push_back(rows[r].prefix);
      chosen.push_back(items_[positions[r]].hyp.ids);
    }
    auto steps = search::next_token_candidates(pipeline_.decoder(), Memory{}, prompts, chosen, search_.bos_id,
                                               request_.confidence_top_k);
    for (std::size_t r = 0; r < positions.size(); ++r) items_[positions[r]].confidence = std::move(steps[r]);
  }
}

void LmJob::write(std::size_t position, const JobSinks& sinks) {
  const LmItem& item = items_[position];
  std::ostream& out = *sinks.main;
  out << one_line(tokenizer_->decode(item.hyp.ids));
  if (request_.scores) out << " ||| " << item.hyp.log_prob;
  out << '\n';
  counts().add("target tokens", item.hyp.ids.size() + 1);
  if (sinks.confidence) {
    write_confidence_json(*sinks.confidence, item.line, item.hyp.ids, item.confidence, *tokenizer_);
  }
}

}  // namespace recur::tasks
