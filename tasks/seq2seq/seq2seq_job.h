// The batch job of the seq2seq tasks (translation, summarization): a line of text in,
// its best hypothesis (or n-best list) out. Source lines become ids as every text task's
// do (text_records.h); mini-batches are encoded and searched over the Decoder interface;
// outputs are detokenized onto one line each. With the extended vocabulary
// (extended_vocabulary.h) each line's OOV words are its own: the decoder's memory gets the
// extended source ids, and a chosen extended id is written as its word (side files show
// it as the unknown piece).
//
// Output: "hypothesis", "hypothesis ||| score" with scores, or n lines
// "i ||| hypothesis ||| score" (i 0-based) when n_best > 1, Moses style. The side file
// gets one attention JSON line per input line (attention_json.h), the confidence file one
// line of the best hypothesis' top-k next tokens per step (pipeline/confidence_json.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "recur/pipeline/batch_job.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/text_job.h"
#include "recur/search/confidence.h"
#include "recur/search/search.h"
#include "extended_vocabulary.h"
#include "recur/search/shortlist.h"

namespace recur::tasks {

struct Seq2SeqItem {
  std::uint64_t line = 0;
  std::vector<std::int64_t> ids;  // source ids incl. eos; empty for blank lines
  std::vector<std::int64_t> copy_ids;  // ids with OOVs as extended ids (extended vocabulary)
  OovWords oovs;                       // their words
  std::vector<search::Hypothesis> hyps;
  search::StepCandidates confidence;  // of the best hypothesis, with --confidence
};

class Seq2SeqJob final : public TextJob<Seq2SeqItem> {
 public:
  // `shortlist` (may be null: the whole vocabulary) restricts each mini-batch's output to
  // the ids its source pieces make likely (search/shortlist.h), with `shortlist_options`.
  Seq2SeqJob(Pipeline& pipeline, const JobRequest& request, search::Options search,
             bool extended_vocabulary = true, std::shared_ptr<const search::Shortlist> shortlist = nullptr,
             search::ShortlistOptions shortlist_options = {});

  std::int64_t prepare(std::size_t position, data::Line& record) override;
  void run(const std::vector<std::size_t>& positions) override;
  void write(std::size_t position, const JobSinks& sinks) override;

 private:
  search::Options search_;
  std::shared_ptr<const search::Shortlist> shortlist_;
  search::ShortlistOptions shortlist_options_;
  std::vector<std::int64_t> always_;  // target ids every shortlist has (eos, unk)
  bool source_ids_ = false;  // give the decoder Memory::source_ids (a joint vocabulary)
  std::unique_ptr<ExtendedVocabulary> extended_;  // null when not in use
};

}  // namespace recur::tasks
