#include "seq2seq_job.h"

#include <algorithm>
#include <cmath>

#include "attention_json.h"
#include "recur/core/logging.h"
#include "recur/text/joint_vocabulary.h"
#include "recur/pipeline/confidence_json.h"

namespace recur::tasks {

Seq2SeqJob::Seq2SeqJob(Pipeline& pipeline, const JobRequest& request, search::Options search,
                       bool extended_vocabulary, std::shared_ptr<const search::Shortlist> shortlist,
                       search::ShortlistOptions shortlist_options)
    : TextJob(pipeline, request),
      search_(std::move(search)),
      shortlist_(std::move(shortlist)),
      shortlist_options_(shortlist_options) {
  search_.return_attention = request_.side_output;
  const Tokenizer& target = pipeline_.target_tokenizer();
  always_ = {search_.eos_id, target.unk_id()};
  source_ids_ = text::shares_vocabulary(*pipeline_.source_tokenizer(), pipeline_.target_tokenizer());
  if (const SurfaceTokenizer* s = ExtendedVocabulary::surfaces_of(pipeline_, extended_vocabulary)) {
    extended_ = std::make_unique<ExtendedVocabulary>(pipeline_.target_tokenizer(), *s);
  }
}

std::int64_t Seq2SeqJob::prepare(std::size_t position, data::Line& record) {
  const std::int64_t size = TextJob::prepare(position, record);
  Seq2SeqItem& item = items_[position];
  if (extended_ && !item.ids.empty()) item.copy_ids = extended_->extend_source(record.text, item.ids, item.oovs);
  return size;
}

void Seq2SeqJob::run(const std::vector<std::size_t>& positions) {
  SourceBatch src = source_batch(positions);
  std::vector<search::Row> rows;
  for (std::size_t pos : positions) rows.push_back({static_cast<std::int64_t>(items_[pos].ids.size()), items_[pos].line});
  Memory memory = pipeline_.encoder().encode(src);
  if (extended_) {  // the same ids with each line's OOV words as extended ids
    std::vector<const std::vector<std::int64_t>*> copy_rows;
    for (std::size_t pos : positions) copy_rows.push_back(&items_[pos].copy_ids);
    memory.source_ids = padded_source_batch(copy_rows, tokenizer_->pad_id()).data;
  } else if (source_ids_) {
    memory.source_ids = src.data;  // target ids too: decoders may copy them
  }
  const std::vector<std::int64_t> output_ids =
      shortlist_ ? shortlist_->output_ids(src.data, shortlist_options_, always_) : std::vector<std::int64_t>{};
  if (shortlist_) {
    log().debug("shortlist: {} of {} target ids for {} rows", output_ids.size(), shortlist_->target_vocab(),
                rows.size());
  }
  auto results = search::decode(pipeline_.decoder(), memory, rows, search_, output_ids);
  for (std::size_t r = 0; r < positions.size(); ++r) items_[positions[r]].hyps = std::move(results[r]);
  if (request_.confidence_top_k > 0) {
    std::vector<std::vector<std::int64_t>> chosen;
    for (std::size_t pos : positions) {
      chosen.push_back(items_[pos].hyps.empty() ? std::vector<std::int64_t>{} : items_[pos].hyps.front().ids);
    }
    auto steps = search::next_token_candidates(pipeline_.decoder(), memory,
                                               std::vector<std::vector<std::int64_t>>(chosen.size()), chosen,
                                               search_.bos_id, request_.confidence_top_k);
    for (std::size_t r = 0; r < positions.size(); ++r) items_[positions[r]].confidence = std::move(steps[r]);
  }
}

void Seq2SeqJob::write(std::size_t position, const JobSinks& sinks) {
  const Seq2SeqItem& item = items_[position];
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
      text = one_line(extended_ ? extended_->decode(h.ids, item.oovs) : tok.decode(h.ids));
      score = h.score;
      if (k == 0) counts().add("target tokens", h.ids.size() + 1);
    }
    if (n_best > 1) out << (item.line - 1) << " ||| ";
    out << text;
    if (request_.scores || n_best > 1) out << " ||| " << score;
    out << '\n';
  }
  // Side files print pieces; a copied OOV word (extended id) as the word, in the source
  // list and the output list alike.
  const std::vector<std::int64_t> best = item.hyps.empty() ? std::vector<std::int64_t>{} : item.hyps[0].ids;
  const PiecesOf target_pieces = [&](const std::vector<std::int64_t>& ids) {
    return extended_ ? extended_->pieces(ids, item.oovs) : tok.pieces(ids);
  };
  if (sinks.side) {
    std::vector<std::string> source;
    if (!item.ids.empty()) {
      source = extended_ && !item.copy_ids.empty() ? extended_->pieces(item.copy_ids, item.oovs)
                                                   : pipeline_.source_tokenizer()->pieces(item.ids);
    }
    write_attention_json(*sinks.side, item.line, source, item.ids.size(),
                         item.hyps.empty() ? nullptr : &item.hyps[0], target_pieces(best));
  }
  if (sinks.confidence) write_confidence_json(*sinks.confidence, item.line, best, item.confidence, tok.eos_id(), target_pieces);
}

}  // namespace recur::tasks
