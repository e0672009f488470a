#include "caption_training.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "caption_job.h"
#include "image_records.h"
#include "recur/core/logging.h"
#include "recur/data/batching.h"
#include "recur/data/line_reader.h"
#include "recur/metrics/bleu.h"
#include "recur/metrics/cider.h"
#include "recur/metrics/exact_match.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/runner.h"
#include "recur/pipeline/teacher_forcing.h"
#include "recur/text/utf8.h"

namespace recur::tasks {

CaptionData parse_caption_data(const TrainSettings& settings) {
  const config::Section& d = *settings.data;
  CaptionData s;
  s.train = d.path_value("train");
  s.valid = d.path_value("valid", std::filesystem::path());
  s.max_length = d.positive<std::int64_t>("max_length", s.max_length);
  s.valid_images = d.non_negative<std::int64_t>("valid_images", s.valid_images);
  const std::string& metric = settings.trainer.metric;
  if ((metric == "bleu" || metric == "cider" || metric == "exact") && (s.valid.empty() || s.valid_images == 0)) {
    d.fail("valid_images", "train.metric " + metric + " needs a valid TSV and valid_images > 0");
  }
  if (d.has("augment")) s.augment = parse_augment_settings(d.section("augment"));
  d.finish();
  s.batch = settings.batch;
  s.label_smoothing = settings.label_smoothing;
  s.seed = settings.seed;
  return s;
}

CaptionCorpus load_caption_corpus(const Pipeline& p, const std::filesystem::path& tsv,
                                  std::int64_t max_length) {
  std::ifstream in(tsv, std::ios::binary);
  if (!in) throw IoError(tsv.string() + ": cannot open for reading");
  data::LineReader reader(in, tsv.string());
  CaptionCorpus c;
  c.file = tsv;
  std::vector<ImageRecord> records;
  std::unordered_map<std::string, std::size_t> image_of;
  const Tokenizer& tok = p.target_tokenizer();
  for (data::Line& line : reader.next(SIZE_MAX)) {
    const std::string where = tsv.string() + ":" + std::to_string(line.number);
    if (auto bad = text::find_invalid_utf8(line.text)) {
      throw IoError(where + ": invalid UTF-8 at byte " + std::to_string(*bad + 1));
    }
    const std::size_t tab = line.text.find('\t');
    if (tab == std::string::npos) throw IoError(where + ": expected 'path<TAB>caption'");
    std::string caption = metrics::normalise_whitespace(line.text.substr(tab + 1));
    if (caption.empty()) throw IoError(where + ": empty caption");
    ImageRecord r = image_record(line, tsv.parent_path());
    if (!r.error.empty()) throw IoError(where + ": " + r.error);
    auto [it, fresh] = image_of.emplace(r.path, records.size());
    if (fresh) {
      records.push_back(r);
      c.paths.push_back(r.path);
      c.captions.emplace_back();
    }
    c.captions[it->second].push_back(caption);
    auto ids = tok.encode(caption);
    if (ids.empty() || static_cast<std::int64_t>(ids.size()) >= max_length) {
      ++c.skipped;
      continue;
    }
    c.pair_image.push_back(it->second);
    c.pair_ids.push_back(std::move(ids));
  }
  std::vector<ImageRecord*> all;
  for (auto& r : records) all.push_back(&r);
  ImageBatch batch = load_images(*p.preprocessor(), all);
  for (const auto& r : records) {
    if (!r.error.empty()) throw IoError(tsv.string() + ":" + std::to_string(r.line) + ": " + r.path + ": " + r.error);
  }
  if (!batch.images.defined()) throw IoError(tsv.string() + ": no images");
  c.images = batch.images;
  log().info("{}: {} images, {} captions ({} skipped: longer than {} tokens)", tsv.string(),
             c.paths.size(), c.pair_ids.size(), c.skipped, max_length);
  return c;
}

CaptionTraining::CaptionTraining(Pipeline& pipeline, CaptionData data)
    : pipeline_(pipeline), data_(std::move(data)) {
  if (!pipeline_.preprocessor()) throw Error("train: the pipeline's source is not images");
  train_ = load_caption_corpus(pipeline_, data_.train, data_.max_length);
  if (train_.pair_ids.empty()) throw IoError(data_.train.string() + ": no usable training pairs");
  if (!data_.valid.empty()) valid_ = load_caption_corpus(pipeline_, data_.valid, data_.max_length);
}

void CaptionTraining::start_epoch(std::int64_t epoch) {
  std::vector<std::int64_t> lengths(train_.pair_ids.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i] = static_cast<std::int64_t>(train_.pair_ids[i].size() + 1);
  batches_ = data::epoch_batches(lengths, data_.batch, data_.seed, epoch);
}

train::StepLoss CaptionTraining::loss(const CaptionCorpus& corpus, const std::vector<std::size_t>& pairs,
                                      std::mt19937_64* augment_rng, float label_smoothing) {
  std::vector<std::int64_t> images;
  std::vector<const std::vector<std::int64_t>*> targets;
  for (std::size_t k : pairs) {
    images.push_back(static_cast<std::int64_t>(corpus.pair_image[k]));
    targets.push_back(&corpus.pair_ids[k]);
  }
  SourceBatch source;
  // A fresh [B, C, H, W] copy of the batch's images: augmentation changes it in place.
  source.data = ops::index_select(
      corpus.images, Tensor::from<std::int64_t>({static_cast<std::int64_t>(images.size())}, images));
  if (augment_rng) augment_images(source.data, data_.augment, *augment_rng);
  Memory memory = pipeline_.encoder().encode(source);
  return teacher_forcing_loss(pipeline_.decoder(), memory, pipeline_.target_tokenizer(), targets,
                              label_smoothing);
}

train::StepLoss CaptionTraining::forward(std::int64_t index, std::mt19937_64& rng) {
  return loss(train_, batches_.at(static_cast<std::size_t>(index)), &rng, data_.label_smoothing);
}

std::map<std::string, double> CaptionTraining::validate() {
  std::map<std::string, double> m;
  if (valid_.pair_ids.empty()) return m;
  autograd::NoGradGuard no_grad;
  pipeline_.model().eval();
  std::vector<std::int64_t> lengths;
  for (const auto& ids : valid_.pair_ids) lengths.push_back(static_cast<std::int64_t>(ids.size() + 1));
  double nll = 0;
  std::int64_t tokens = 0;
  for (const auto& b : data::make_batches(lengths, data_.batch)) {
    auto s = loss(valid_, b, nullptr, 0.0f);
    nll += s.nll_sum;
    tokens += s.tokens;
  }
  m["loss"] = nll / static_cast<double>(std::max<std::int64_t>(tokens, 1));
  m["ppl"] = std::exp(m["loss"]);
  if (data_.valid_images > 0) m.merge(caption_metrics());
  pipeline_.model().train();
  return m;
}

std::map<std::string, double> CaptionTraining::caption_metrics() {
  // Greedy, through the same runner and job as `recur caption`.
  const std::size_t n = std::min<std::size_t>(valid_.paths.size(), static_cast<std::size_t>(data_.valid_images));
  search::Options o = pipeline_.search_options();
  o.beam_size = 1;
  o.n_best = 1;
  o.sampling = false;
  std::string list;
  for (std::size_t i = 0; i < n; ++i) list += valid_.paths[i] + "\n";
  std::istringstream in(list);
  std::ostringstream out;
  data::LineReader reader(in, data_.valid.string());
  JobRequest request;
  request.files_relative_to = data_.valid.parent_path();
  CaptionJob job(pipeline_, request, o);
  JobOptions jo = pipeline_.job_options();
  jo.batch = data_.batch;
  run_job(job, reader, main_sink(out, "<validation>"), jo);
  std::vector<std::string> hyps;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) hyps.push_back(metrics::normalise_whitespace(line.substr(line.find('\t') + 1)));
  hyps.resize(n);
  // References as streams: stream k holds each image's k-th caption. BLEU takes an
  // image's first caption where it has fewer (a repeated reference changes no BLEU
  // statistic); CIDEr-D and exact match ignore empty ones (a repeat would change CIDEr's
  // document frequencies).
  std::size_t most = 1;
  for (std::size_t i = 0; i < n; ++i) most = std::max(most, valid_.captions[i].size());
  std::vector<std::vector<std::string>> refs(most, std::vector<std::string>(n));
  std::vector<std::vector<std::string>> sparse(most, std::vector<std::string>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& caps = valid_.captions[i];
    for (std::size_t k = 0; k < most; ++k) {
      refs[k][i] = caps[k < caps.size() ? k : 0];
      if (k < caps.size()) sparse[k][i] = caps[k];
    }
  }
  return {{"bleu", metrics::corpus_bleu(hyps, refs).score},
          {"cider", metrics::corpus_cider_d(hyps, sparse).score},
          {"exact", metrics::corpus_exact_match(hyps, sparse)}};
}

}  // namespace recur::tasks
