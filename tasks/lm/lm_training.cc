#include "lm_training.h"

#include <cmath>
#include <random>

#include "recur/core/logging.h"
#include "recur/ops/loss.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::tasks {

LmData parse_lm_data(const TrainSettings& settings) {
  const config::Section& d = *settings.data;
  LmData l;
  l.text = d.path_value("text");
  l.valid_text = d.path_value("valid_text", std::filesystem::path());
  l.batch_size = d.positive<std::int64_t>("batch_size", l.batch_size);
  l.bptt = d.positive<std::int64_t>("bptt", l.bptt);
  d.finish();
  const std::string& metric = settings.trainer.metric;
  if (metric != "loss" && metric != "ppl" && metric != "bpc") {
    d.fail("text", "a language model validates loss, ppl or bpc, not train.metric " + metric);
  }
  if (metric == "bpc" && l.valid_text.empty()) d.fail("valid_text", "train.metric bpc needs validation text");
  l.label_smoothing = settings.label_smoothing;
  l.seed = settings.seed;
  return l;
}

LmTraining::LmTraining(Pipeline& pipeline, LmData data) : pipeline_(pipeline), data_(std::move(data)) {
  const Tokenizer& tok = pipeline_.target_tokenizer();
  train_ = read_token_stream(tok, data_.text);
  log().info("{}: {} lines, {} characters, {} tokens", data_.text.string(), train_.lines, train_.characters,
             train_.ids.size());
  if (!data_.valid_text.empty()) {
    valid_ = read_token_stream(tok, data_.valid_text);
    log().info("{}: {} lines, {} characters, {} tokens", data_.valid_text.string(), valid_.lines, valid_.characters,
               valid_.ids.size());
  }
  const auto need = data_.batch_size * 2;
  if (static_cast<std::int64_t>(train_.ids.size()) < need + data_.bptt) {
    throw IoError(data_.text.string() + ": " + std::to_string(train_.ids.size()) + " tokens are too few for " +
                  std::to_string(data_.batch_size) + " rows of bptt " + std::to_string(data_.bptt));
  }
  start_epoch(0);
}

void LmTraining::start_epoch(std::int64_t epoch) {
  std::int64_t offset = 0;
  if (epoch > 0) {  // a function of (seed, epoch) only: a resumed run cuts the same chunks
    std::seed_seq seq{static_cast<std::uint32_t>(data_.seed), static_cast<std::uint32_t>(data_.seed >> 32),
                      static_cast<std::uint32_t>(epoch), 0x6c6du};
    std::mt19937_64 rng(seq);
    offset = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(data_.bptt));
  }
  chunks_ = std::make_unique<StreamChunks>(train_.ids, data_.batch_size, data_.bptt, offset);
}

train::StepLoss LmTraining::forward(std::int64_t index, std::mt19937_64&) {
  if (index == 0) carry_.clear();  // every row starts from zeros at its first chunk
  Tensor inputs, targets;
  chunks_->chunk(index, inputs, targets);
  Tensor logits = pipeline_.decoder().forward_carried(inputs, carry_);
  ops::CrossEntropyOptions o;
  o.label_smoothing = data_.label_smoothing;
  Tensor loss = ops::cross_entropy(ops::reshape(logits, {targets.dim(0), logits.dim(2)}), targets, o);
  // The plain NLL for perplexity (equal to the loss without smoothing).
  double nll = static_cast<double>(loss.item());
  if (data_.label_smoothing > 0.0f) {
    autograd::NoGradGuard no_grad;
    nll = static_cast<double>(ops::cross_entropy(ops::reshape(logits, {targets.dim(0), logits.dim(2)}), targets).item());
  }
  return {loss, nll * static_cast<double>(targets.dim(0)), targets.dim(0)};
}

std::map<std::string, double> LmTraining::validate() {
  std::map<std::string, double> m;
  if (valid_.ids.empty()) return m;
  pipeline_.model().eval();
  const StreamScore s = score_stream(pipeline_.decoder(), valid_, pipeline_.target_tokenizer().eos_id());
  pipeline_.model().train();
  m["loss"] = s.nll / static_cast<double>(s.tokens);
  m["ppl"] = s.perplexity();
  m["bpc"] = s.bits_per_character();
  return m;
}

std::vector<std::pair<std::string, Tensor>> LmTraining::carried_state() const {
  std::vector<std::pair<std::string, Tensor>> out;
  for (std::size_t i = 0; i < carry_.size(); ++i) out.emplace_back("carry." + std::to_string(i), carry_[i]);
  return out;
}

void LmTraining::restore_carried_state(const std::vector<std::pair<std::string, Tensor>>& state) {
  carry_.assign(state.size(), Tensor());
  for (const auto& [name, t] : state) {
    const std::string prefix = "carry.";
    std::size_t i = 0;
    try {
      if (name.rfind(prefix, 0) != 0) throw std::invalid_argument(name);
      i = std::stoul(name.substr(prefix.size()));
    } catch (const std::exception&) {
      throw IoError("checkpoint: unexpected carried state '" + name + "'");
    }
    if (i >= carry_.size()) throw IoError("checkpoint: carried state '" + name + "' out of order");
    carry_[i] = t;
  }
}

}  // namespace recur::tasks
