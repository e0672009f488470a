#include "seq2seq_task.h"

#include "recur/pipeline/pipeline.h"
#include "recur/search/options.h"
#include "seq2seq_job.h"
#include "seq2seq_training.h"

namespace recur::tasks {

void Seq2SeqTask::configure(const config::Section& root, Pipeline& pipeline) {
  search::Options defaults;
  defaults.bos_id = pipeline.target_tokenizer().bos_id();
  defaults.eos_id = pipeline.target_tokenizer().eos_id();
  const config::Section search = root.optional_section("search");
  shortlist_settings_ = parse_shortlist_settings(search);
  if (shortlist_settings_ && !search::supports_output_subset(pipeline.decoder())) {
    search.fail("shortlist", "the decoder scores the whole vocabulary at every step (a copying decoder has "
                             "no output subset): remove the shortlist");
  }
  search_ = search::parse_options(search, defaults);
  extended_vocabulary_ = root.get<bool>("extended_vocabulary", true);
}

std::shared_ptr<const search::Shortlist> Seq2SeqTask::shortlist_for(const JobRequest& request) {
  if (!request.shortlist.value_or(shortlist_settings_ && shortlist_settings_->enabled)) return nullptr;
  if (!shortlist_settings_) {
    throw RequestError("shortlist", "the pipeline has no vocabulary shortlist (search.shortlist: {file: ...}; "
                                    "recur shortlist builds one)");
  }
  if (!shortlist_) {
    const std::filesystem::path& file = shortlist_settings_->file;
    auto table = std::make_shared<const search::Shortlist>(load_shortlist(file));
    if (auto problem = search::check(shortlist_settings_->options, table.get())) {
      throw ConfigError(file.string() + ": search.shortlist." + problem->key + ": " + problem->message);
    }
    shortlist_ = std::move(table);
  }
  return shortlist_;
}

std::unique_ptr<BatchJob> Seq2SeqTask::make_job(Pipeline& pipeline, const JobRequest& request) {
  std::shared_ptr<const search::Shortlist> shortlist = shortlist_for(request);
  if (shortlist) {
    const std::filesystem::path& file = shortlist_settings_->file;
    const Tokenizer* source = pipeline.source_tokenizer();
    if (shortlist->target_vocab() != pipeline.decoder().vocab_size() ||
        (source && shortlist->source_vocab() != source->vocab_size())) {
      throw IoError(file.string() + ": the shortlist is for vocabularies of " +
                    std::to_string(shortlist->source_vocab()) + " source and " +
                    std::to_string(shortlist->target_vocab()) + " target pieces, the pipeline has " +
                    std::to_string(source ? source->vocab_size() : 0) + " and " +
                    std::to_string(pipeline.decoder().vocab_size()) + " (rebuild it with recur shortlist)");
    }
  }
  return std::make_unique<Seq2SeqJob>(pipeline, request, search_, extended_vocabulary_, std::move(shortlist),
                                      shortlist_settings_ ? shortlist_settings_->options : search::ShortlistOptions{});
}

std::unique_ptr<train::TrainTask> Seq2SeqTask::make_train_task(Pipeline& pipeline,
                                                               const TrainSettings& settings) {
  Seq2SeqData data = parse_seq2seq_data(settings);
  data.extended_vocabulary = extended_vocabulary_;
  return std::make_unique<Seq2SeqTraining>(pipeline, std::move(data));
}

std::unique_ptr<Task> seq2seq_task_factory(const config::Section&, const BuildContext&) {
  return std::make_unique<Seq2SeqTask>();
}

}  // namespace recur::tasks
