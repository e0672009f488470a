// The batch job of the classification task: a line of text in, its label out.
//
// Output: `label<TAB>probability` (the most probable class), or with --json one object
// per line: {"label": ..., "probability": ..., "probabilities": {label: p, ...}}. A blank
// line gets an empty line (an empty object with --json): record i always answers line i.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "classifier_head.h"
#include "recur/pipeline/batch_job.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/text_records.h"

namespace recur::tasks {

class ClassifyJob final : public BatchJob {
 public:
  ClassifyJob(Pipeline& pipeline, ClassifierHead& head, std::vector<std::string> labels, const JobRequest& request);

  void begin(std::size_t records, const std::string& input) override;
  std::int64_t prepare(std::size_t position, data::Line& record) override;
  void run(const std::vector<std::size_t>& positions) override;
  void write(std::size_t position, const JobSinks& sinks) override;
  std::size_t max_record_bytes() const override;

 private:
  struct Item {
    std::uint64_t line = 0;
    std::vector<std::int64_t> ids;  // source ids incl. eos; empty for blank lines
    std::vector<float> probabilities;
  };
  void write_json(const Item& item, std::ostream& out) const;

  Pipeline& pipeline_;
  ClassifierHead& head_;
  std::vector<std::string> labels_;
  JobRequest request_;
  TextRecordRules rules_;
  std::string input_;
  std::vector<Item> items_;
};

// Pads id rows to one [B, S] batch with their lengths (what the encoder reads).
SourceBatch text_batch(const std::vector<const std::vector<std::int64_t>*>& rows, std::int64_t pad);

// The index of the largest probability (the first on ties).
std::size_t best_class(const std::vector<float>& probabilities);

}  // namespace recur::tasks
