// The batch job of the language_model task (`recur run`): each input line is a prompt,
// the output line its continuation to the end of the line (the model's eos) or the
// length limit, sampled or greedy by the task's search options. With --scores,
// " ||| log-prob" follows. A blank line gets an empty line (record i answers line i).
// --confidence writes the continuation's top-k next characters (pieces) per step.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/pipeline/batch_job.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/text_job.h"
#include "recur/search/confidence.h"
#include "recur/search/search.h"

namespace recur::tasks {

struct LmItem {
  std::uint64_t line = 0;
  std::vector<std::int64_t> ids;  // the prompt's ids incl. eos (text_record_ids); empty for blank lines
  search::Hypothesis hyp;
  search::StepCandidates confidence;  // of the continuation, with --confidence
};

class LmJob final : public TextJob<LmItem> {
 public:
  LmJob(Pipeline& pipeline, const JobRequest& request, search::Options search);

  void run(const std::vector<std::size_t>& positions) override;
  void write(std::size_t position, const JobSinks& sinks) override;

 private:
  search::Options search_;
};

}  // namespace recur::tasks
