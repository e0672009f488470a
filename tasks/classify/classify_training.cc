#include "classify_training.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "classify_job.h"
#include "recur/core/logging.h"
#include "recur/data/batching.h"
#include "recur/data/line_reader.h"
#include "recur/metrics/classification.h"
#include "recur/ops/loss.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/text_records.h"
#include "recur/text/utf8.h"

namespace recur::tasks {

namespace {

std::vector<data::Line> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open for reading");
  data::LineReader reader(in, path.string());
  return reader.next(SIZE_MAX);
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

ClassifyData parse_classify_data(const TrainSettings& settings, const std::vector<std::string>& labels) {
  const config::Section& d = *settings.data;
  ClassifyData c;
  c.text = d.path_value("text");
  c.label = d.path_value("label");
  c.valid_text = d.path_value("valid_text", std::filesystem::path());
  c.valid_label = d.path_value("valid_label", std::filesystem::path());
  if (c.valid_text.empty() != c.valid_label.empty()) {
    d.fail(c.valid_text.empty() ? "valid_label" : "valid_text", "valid_text and valid_label go together");
  }
  c.max_length = d.positive<std::int64_t>("max_length", c.max_length);
  if (d.has("class_weights")) {
    try {
      c.class_weights = d.one_of("class_weights", {"none", "balanced"});
    } catch (const ConfigError&) {
      c.class_weight_values = d.list<float>("class_weights");
      c.class_weights = "list";
      if (c.class_weight_values.size() != labels.size()) {
        d.fail("class_weights", std::to_string(c.class_weight_values.size()) + " weights for " +
                                    std::to_string(labels.size()) + " labels");
      }
      for (float w : c.class_weight_values) {
        if (!(w > 0.0f) || !std::isfinite(w)) d.fail("class_weights", "weights must be finite and > 0");
      }
    }
  }
  d.finish();
  const std::string& metric = settings.trainer.metric;
  if ((metric == "accuracy" || metric == "macro_f1") && c.valid_text.empty()) {
    d.fail("valid_text", "train.metric " + metric + " needs validation data");
  }
  c.batch = settings.batch;
  c.label_smoothing = settings.label_smoothing;
  c.seed = settings.seed;
  return c;
}

LabelledTexts load_labelled_texts(const Pipeline& p, const std::filesystem::path& text,
                                  const std::filesystem::path& label, const std::vector<std::string>& labels,
                                  std::int64_t max_length) {
  auto texts = read_lines(text);
  auto tags = read_lines(label);
  if (texts.size() != tags.size()) {
    throw IoError(text.string() + " has " + std::to_string(texts.size()) + " lines but " + label.string() +
                  " has " + std::to_string(tags.size()));
  }
  std::map<std::string, std::int64_t> index;
  std::string known;
  for (std::size_t k = 0; k < labels.size(); ++k) {
    index[labels[k]] = static_cast<std::int64_t>(k);
    known += (k ? ", " : "") + labels[k];
  }
  const Tokenizer& tok = *p.source_tokenizer();
  LabelledTexts out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string tag = trimmed(tags[i].text);
    auto it = index.find(tag);
    if (it == index.end()) {
      throw IoError(label.string() + ":" + std::to_string(tags[i].number) + ": unknown label '" + tag +
                    "' (the pipeline's labels: " + known + ")");
    }
    text::replace_invalid_utf8(texts[i].text);
    auto ids = tok.encode(texts[i].text);
    if (ids.empty()) {
      ++out.empty;
      continue;
    }
    if (static_cast<std::int64_t>(ids.size()) >= max_length) {
      ids.resize(static_cast<std::size_t>(max_length - 1));
      ++out.cropped;
    }
    ids.push_back(tok.eos_id());
    out.ids.push_back(std::move(ids));
    out.labels.push_back(it->second);
  }
  log().info("{}: {} texts ({} blank skipped, {} cropped to {} tokens)", text.string(), out.ids.size(), out.empty,
             out.cropped, max_length);
  return out;
}

ClassifyTraining::ClassifyTraining(Pipeline& pipeline, ClassifierHead& head, std::vector<std::string> labels,
                                   ClassifyData data)
    : pipeline_(pipeline), head_(head), labels_(std::move(labels)), data_(std::move(data)) {
  if (!pipeline_.source_tokenizer()) throw Error("train: the pipeline's source is not text");
  train_ = load_labelled_texts(pipeline_, data_.text, data_.label, labels_, data_.max_length);
  if (train_.ids.empty()) throw IoError(data_.text.string() + ": no usable training texts");
  if (!data_.valid_text.empty()) {
    valid_ = load_labelled_texts(pipeline_, data_.valid_text, data_.valid_label, labels_, data_.max_length);
  }
  std::vector<std::int64_t> per_class(labels_.size(), 0);
  for (std::int64_t c : train_.labels) ++per_class[static_cast<std::size_t>(c)];
  std::string balance;
  for (std::size_t k = 0; k < labels_.size(); ++k) {
    balance += (k ? ", " : "") + labels_[k] + " " + std::to_string(per_class[k]);
  }
  log().info("training texts per class: {}", balance);
  if (data_.class_weights == "list") {
    weights_ = data_.class_weight_values;
  } else if (data_.class_weights == "balanced") {  // sklearn's: n / (classes * n_c)
    const double n = static_cast<double>(train_.labels.size()), k = static_cast<double>(labels_.size());
    for (std::int64_t count : per_class) {
      weights_.push_back(count > 0 ? static_cast<float>(n / (k * static_cast<double>(count))) : 0.0f);
    }
  }
}

void ClassifyTraining::start_epoch(std::int64_t epoch) {
  std::vector<std::int64_t> lengths(train_.ids.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i] = static_cast<std::int64_t>(train_.ids[i].size());
  batches_ = data::epoch_batches(lengths, data_.batch, data_.seed, epoch);
}

Tensor ClassifyTraining::logits(const LabelledTexts& set, const std::vector<std::size_t>& rows, Tensor& targets) {
  std::vector<const std::vector<std::int64_t>*> ids;
  targets = Tensor::empty({static_cast<std::int64_t>(rows.size())}, DType::i64);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ids.push_back(&set.ids[rows[r]]);
    targets.data<std::int64_t>()[r] = set.labels[rows[r]];
  }
  return head_.forward(pipeline_.encoder().encode(padded_source_batch(ids, pipeline_.source_tokenizer()->pad_id())));
}

train::StepLoss ClassifyTraining::loss(const LabelledTexts& set, const std::vector<std::size_t>& rows,
                                       float smoothing) {
  Tensor targets;
  Tensor out = logits(set, rows, targets);
  ops::CrossEntropyOptions o;
  o.label_smoothing = smoothing;
  o.class_weights = weights_;
  Tensor loss = ops::cross_entropy(out, targets, o);
  const auto n = static_cast<std::int64_t>(rows.size());
  return {loss, static_cast<double>(loss.item()) * static_cast<double>(n), n};
}

train::StepLoss ClassifyTraining::forward(std::int64_t index, std::mt19937_64&) {
  return loss(train_, batches_.at(static_cast<std::size_t>(index)), data_.label_smoothing);
}

std::map<std::string, double> ClassifyTraining::validate() {
  std::map<std::string, double> m;
  if (valid_.ids.empty()) return m;
  autograd::NoGradGuard no_grad;
  pipeline_.model().eval();
  std::vector<std::int64_t> lengths;
  for (const auto& ids : valid_.ids) lengths.push_back(static_cast<std::int64_t>(ids.size()));
  std::vector<std::string> predicted(valid_.ids.size()), reference(valid_.ids.size());
  double nll = 0;
  for (const auto& b : data::make_batches(lengths, data_.batch)) {
    Tensor targets;
    Tensor out = logits(valid_, b, targets);
    // The plain NLL (no class weights), comparable between runs.
    nll += static_cast<double>(ops::cross_entropy(out, targets).item()) * static_cast<double>(b.size());
    const std::int64_t c = out.dim(1);
    for (std::size_t r = 0; r < b.size(); ++r) {
      const float* row = out.data<float>() + static_cast<std::int64_t>(r) * c;
      predicted[b[r]] = labels_[best_class({row, static_cast<std::size_t>(c)})];
      reference[b[r]] = labels_[static_cast<std::size_t>(valid_.labels[b[r]])];
    }
  }
  const auto scores = metrics::classification_scores(predicted, reference);
  m["loss"] = nll / static_cast<double>(valid_.ids.size());
  m["ppl"] = std::exp(m["loss"]);
  m["accuracy"] = scores.accuracy;
  m["macro_f1"] = scores.macro_f1;
  pipeline_.model().train();
  return m;
}

}  // namespace recur::tasks
