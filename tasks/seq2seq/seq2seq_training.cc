#include "seq2seq_training.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "recur/core/logging.h"
#include "recur/text/joint_vocabulary.h"
#include "recur/data/batching.h"
#include "recur/data/line_reader.h"
#include "recur/text/utf8.h"
#include "recur/metrics/bleu.h"
#include "recur/metrics/chrf.h"
#include "recur/metrics/rouge.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/runner.h"
#include "recur/pipeline/teacher_forcing.h"
#include "recur/pipeline/text_records.h"
#include "seq2seq_job.h"
#include <sstream>

namespace recur::tasks {

namespace {

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open for reading");
  data::LineReader reader(in, path.string());
  std::vector<std::string> lines;
  for (data::Line& line : reader.next(SIZE_MAX)) {
    text::replace_invalid_utf8(line.text);
    lines.push_back(std::move(line.text));
  }
  return lines;
}

SourceBatch source_batch(const Pipeline& p, const PairCorpus& c, const std::vector<std::size_t>& rows) {
  std::vector<const std::vector<std::int64_t>*> src;
  for (std::size_t r : rows) src.push_back(&c.source[r]);
  return padded_source_batch(src, p.source_tokenizer()->pad_id());
}

}  // namespace

Seq2SeqData parse_seq2seq_data(const TrainSettings& settings) {
  const config::Section& d = *settings.data;
  Seq2SeqData s;
  s.source = d.path_value("source");
  s.target = d.path_value("target");
  s.valid_source = d.path_value("valid_source", std::filesystem::path());
  s.valid_target = d.path_value("valid_target", std::filesystem::path());
  if (s.valid_source.empty() != s.valid_target.empty()) {
    d.fail(s.valid_source.empty() ? "valid_target" : "valid_source", "valid_source and valid_target go together");
  }
  s.max_length = d.positive<std::int64_t>("max_length", s.max_length);
  s.valid_bleu_lines = d.non_negative<std::int64_t>("valid_bleu_lines", s.valid_bleu_lines);
  const std::string& metric = settings.trainer.metric;
  if ((metric == "bleu" || metric == "chrf" || metric.rfind("rouge", 0) == 0) && s.valid_bleu_lines == 0) {
    d.fail("valid_bleu_lines", "train.metric " + metric + " needs valid_bleu_lines > 0");
  }
  d.finish();
  s.batch = settings.batch;
  s.label_smoothing = settings.label_smoothing;
  s.seed = settings.seed;
  return s;
}

PairCorpus load_pairs(const Pipeline& p, const std::filesystem::path& source,
                      const std::filesystem::path& target, std::int64_t max_length,
                      const ExtendedVocabulary* extended) {
  auto src = read_lines(source);
  auto tgt = read_lines(target);
  if (src.size() != tgt.size()) {
    throw IoError(source.string() + " has " + std::to_string(src.size()) + " lines but " +
                  target.string() + " has " + std::to_string(tgt.size()));
  }
  PairCorpus c;
  const Tokenizer& st = *p.source_tokenizer();
  const Tokenizer& tt = p.target_tokenizer();
  for (std::size_t i = 0; i < src.size(); ++i) {
    auto s = st.encode(src[i]);
    auto t = tt.encode(tgt[i]);
    if (s.empty() || t.empty() || static_cast<std::int64_t>(s.size()) >= max_length ||
        static_cast<std::int64_t>(t.size()) >= max_length) {
      ++c.skipped;
      continue;
    }
    s.push_back(st.eos_id());
    if (extended) {
      OovWords oovs;
      std::vector<std::int64_t> copy = extended->extend_source(src[i], s, oovs);
      if (!oovs.empty()) {
        extended->extend_target(tgt[i], t, oovs);
        c.copy_source.resize(c.source.size());
        c.copy_source.push_back(std::move(copy));
      }
    }
    c.source.push_back(std::move(s));
    c.target.push_back(std::move(t));
    c.source_text.push_back(std::move(src[i]));
    c.target_text.push_back(std::move(tgt[i]));
  }
  log().info("{}: {} pairs ({} skipped: empty or longer than {} tokens)", source.string(),
             c.source.size(), c.skipped, max_length);
  return c;
}

train::StepLoss seq2seq_loss(Pipeline& p, const PairCorpus& c, const std::vector<std::size_t>& rows,
                             float label_smoothing, bool source_ids) {
  std::vector<const std::vector<std::int64_t>*> tgt;
  for (std::size_t r : rows) tgt.push_back(&c.target[r]);
  SourceBatch source = source_batch(p, c, rows);
  Memory memory = p.encoder().encode(source);
  if (source_ids) memory.source_ids = source.data;  // for decoders that copy from the source
  if (source_ids && !c.copy_source.empty()) {      // OOV words as extended ids
    std::vector<const std::vector<std::int64_t>*> copy;
    for (std::size_t r : rows) {
      const bool own = r < c.copy_source.size() && !c.copy_source[r].empty();
      copy.push_back(own ? &c.copy_source[r] : &c.source[r]);
    }
    memory.source_ids = padded_source_batch(copy, p.source_tokenizer()->pad_id()).data;
  }
  return teacher_forcing_loss(p.decoder(), memory, p.target_tokenizer(), tgt, label_smoothing);
}

Seq2SeqTraining::Seq2SeqTraining(Pipeline& pipeline, Seq2SeqData data)
    : pipeline_(pipeline), data_(std::move(data)) {
  if (!pipeline_.source_tokenizer()) throw Error("train: the pipeline's source is not text");
  source_ids_ = text::shares_vocabulary(*pipeline_.source_tokenizer(), pipeline_.target_tokenizer());
  if (const SurfaceTokenizer* s = ExtendedVocabulary::surfaces_of(pipeline_, data_.extended_vocabulary)) {
    extended_ = std::make_unique<ExtendedVocabulary>(pipeline_.target_tokenizer(), *s);
  }
  train_ = load_pairs(pipeline_, data_.source, data_.target, data_.max_length, extended_.get());
  if (train_.source.empty()) throw IoError(data_.source.string() + ": no usable training pairs");
  if (!data_.valid_source.empty()) {
    valid_ = load_pairs(pipeline_, data_.valid_source, data_.valid_target, data_.max_length,
                        extended_.get());
  }
}

void Seq2SeqTraining::start_epoch(std::int64_t epoch) {
  std::vector<std::int64_t> lengths(train_.source.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    lengths[i] = static_cast<std::int64_t>(std::max(train_.source[i].size(), train_.target[i].size() + 1));
  }
  batches_ = data::epoch_batches(lengths, data_.batch, data_.seed, epoch);
}

train::StepLoss Seq2SeqTraining::forward(std::int64_t index, std::mt19937_64&) {
  return seq2seq_loss(pipeline_, train_, batches_.at(static_cast<std::size_t>(index)),
                      data_.label_smoothing, source_ids_);
}

std::map<std::string, double> Seq2SeqTraining::validate() {
  std::map<std::string, double> m;
  if (valid_.source.empty()) return m;
  autograd::NoGradGuard no_grad;
  pipeline_.model().eval();
  std::vector<std::int64_t> lengths;
  for (std::size_t i = 0; i < valid_.source.size(); ++i) {
    lengths.push_back(static_cast<std::int64_t>(std::max(valid_.source[i].size(), valid_.target[i].size() + 1)));
  }
  double nll = 0;
  std::int64_t tokens = 0;
  for (const auto& b : data::make_batches(lengths, data_.batch)) {
    auto s = seq2seq_loss(pipeline_, valid_, b, 0.0f, source_ids_);
    nll += s.nll_sum;
    tokens += s.tokens;
  }
  m["loss"] = nll / static_cast<double>(std::max<std::int64_t>(tokens, 1));
  m["ppl"] = std::exp(m["loss"]);

  const std::size_t n = std::min<std::size_t>(valid_.source.size(), static_cast<std::size_t>(data_.valid_bleu_lines));
  if (n > 0) {
    // Greedy, through the same runner and job as `recur translate`.
    search::Options o = pipeline_.search_options();
    o.beam_size = 1;
    o.n_best = 1;
    o.sampling = false;
    std::string sources;
    for (std::size_t i = 0; i < n; ++i) sources += valid_.source_text[i] + "\n";
    std::istringstream in(sources);
    std::ostringstream out;
    data::LineReader reader(in, data_.valid_source.string());
    Seq2SeqJob job(pipeline_, JobRequest{}, o, data_.extended_vocabulary);
    JobOptions jo = pipeline_.job_options();
    jo.batch = data_.batch;
    run_job(job, reader, main_sink(out, "<validation>"), jo);
    std::vector<std::string> hyps;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) hyps.push_back(std::move(line));
    std::vector<std::vector<std::string>> refs{std::vector<std::string>(valid_.target_text.begin(), valid_.target_text.begin() + static_cast<std::ptrdiff_t>(n))};
    m["bleu"] = metrics::corpus_bleu(hyps, refs).score;
    m["chrf"] = metrics::corpus_chrf(hyps, refs);
    m["rouge_1"] = metrics::corpus_rouge_n(hyps, refs, 1);
    m["rouge_2"] = metrics::corpus_rouge_n(hyps, refs, 2);
    m["rouge_l"] = metrics::corpus_rouge_l(hyps, refs);
  }
  pipeline_.model().train();
  return m;
}

}  // namespace recur::tasks
