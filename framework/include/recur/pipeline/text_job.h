// What every batch job over lines of text shares (translation, summarization,
// classification): the pipeline must have a text source; each line becomes source ids by
// text_record_ids() (blank, invalid, cropped lines counted and warned about); a
// mini-batch becomes one padded SourceBatch. A job whose lines are read by another
// tokenizer (a language model's prompts: the target tokenizer) names it. A job derives from TextJob<Item>, where Item
// has at least `std::uint64_t line` and `std::vector<std::int64_t> ids`, and adds its
// run() and write().
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "recur/core/error.h"
#include "recur/pipeline/batch_job.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/text_records.h"

namespace recur {

template <class Item>
class TextJob : public BatchJob {
 public:
  TextJob(Pipeline& pipeline, const JobRequest& request, const Tokenizer* tokenizer = nullptr)
      : pipeline_(pipeline), request_(request), tokenizer_(tokenizer ? tokenizer : pipeline.source_tokenizer()) {
    if (!tokenizer_) throw Error(pipeline_.file().string() + ": the pipeline's source is not text");
    rules_.max_length = pipeline_.max_source_length();
    rules_.strict = request_.strict;
    counts().noun = "lines";
    declare_text_warnings(counts());
    counts().warning_keys.emplace_back("non-finite score");
    pipeline_.model().eval();
  }

  void begin(std::size_t records, const std::string& input) override {
    input_ = input;
    items_.assign(records, Item{});
  }

  std::int64_t prepare(std::size_t position, data::Line& record) override {
    Item& item = items_[position];
    item.line = record.number;
    item.ids = text_record_ids(record, *tokenizer_, rules_, input_, counts());
    return static_cast<std::int64_t>(item.ids.size());
  }

  std::size_t max_record_bytes() const override { return text_record_max_bytes(rules_.max_length); }

 protected:
  // The ids of the items at `positions`, padded to one [B, S] batch with their lengths.
  SourceBatch source_batch(const std::vector<std::size_t>& positions) const {
    std::vector<const std::vector<std::int64_t>*> rows;
    for (std::size_t pos : positions) rows.push_back(&items_[pos].ids);
    return padded_source_batch(rows, tokenizer_->pad_id());
  }

  Pipeline& pipeline_;
  JobRequest request_;
  const Tokenizer* tokenizer_;  // reads the lines
  TextRecordRules rules_;
  std::string input_;  // the input's name, for messages
  std::vector<Item> items_;
};

}  // namespace recur
