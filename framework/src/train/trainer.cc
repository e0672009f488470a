#include "recur/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "recur/core/atomic_file.h"
#include "recur/core/logging.h"
#include "recur/nn/finite.h"
#include "recur/nn/safetensors.h"
#include "recur/nn/state_dict.h"
#include "recur/train/clipping.h"
#include "run_logs.h"

namespace recur::train {

TrainTask::~TrainTask() = default;

namespace {

using Clock = std::chrono::steady_clock;

bool higher_is_better(const std::string& metric) {
  return metric == "bleu" || metric == "chrf" || metric.rfind("rouge", 0) == 0 || metric == "accuracy" ||
         metric == "cider" || metric == "exact" || metric == "macro_f1";
}

std::unique_ptr<Optimizer> make_optimizer(const nn::Module& model, const OptimizerOptions& o) {
  auto params = model.named_parameters();
  if (o.name == "adam") return make_adam(params, o.adam);
  if (o.name == "adamw") {
    AdamOptions a = o.adam;
    a.decoupled = true;
    return make_adam(params, a);
  }
  if (o.name == "sgd") return make_sgd(params, o.sgd);
  throw Error("unknown optimizer '" + o.name + "' (expected adam, adamw or sgd)");
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The dropout stream of a step: a function of the seed and the step only, so resumed
// runs draw the same masks.
std::mt19937_64 step_rng(std::uint64_t seed, std::int64_t step) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(step >> 32)};
  return std::mt19937_64(seq);
}

const std::string kModelPrefix = "model.";
const std::string kOptimPrefix = "optim.";
const std::string kTaskPrefix = "task.";

}  // namespace

Trainer::Trainer(TrainTask& task, TrainerOptions options)
    : task_(task),
      o_(std::move(options)),
      optimizer_(make_optimizer(task.model(), o_.optimizer)),
      schedule_(o_.schedule),
      early_(higher_is_better(o_.metric), o_.patience) {
  if (o_.valid_every < 1 || o_.log_every < 1) throw Error("train: valid_every and log_every must be positive");
  if (!o_.checkpoint_dir.empty()) {
    std::filesystem::create_directories(o_.checkpoint_dir);
    remove_stale_temporaries(o_.checkpoint_dir);
    logs_ = std::make_unique<RunLogs>(o_.checkpoint_dir);
  }
}

Trainer::~Trainer() = default;

void Trainer::save_checkpoint(const std::filesystem::path& file) const {
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (auto& [name, t] : nn::state_dict(task_.model())) tensors.emplace_back(kModelPrefix + name, t);
  for (auto& [name, t] : optimizer_->state()) tensors.emplace_back(kOptimPrefix + name, t);
  for (auto& [name, t] : task_.carried_state()) tensors.emplace_back(kTaskPrefix + name, t);
  std::map<std::string, std::string> meta{
      {"recur_checkpoint", "1"},
      {"step", std::to_string(step_)},
      {"epoch", std::to_string(epoch_)},
      {"next_batch", std::to_string(next_batch_)},
      {"skipped", std::to_string(skipped_)},
      {"optimizer", o_.optimizer.name},
      {"optimizer_steps", std::to_string(optimizer_->steps())},
      {"plateau_scale", num(schedule_.plateau_scale())},
      {"plateau_bad", std::to_string(schedule_.bad_validations())},
      {"early_seen", early_.has_best() ? "1" : "0"},
      {"early_best", num(early_.best())},
      {"early_bad", std::to_string(early_.bad_validations())},
      {"metric", o_.metric},
      {"window_loss", num(window_.loss)},
      {"window_nll", num(window_.nll)},
      {"window_norm", num(window_.norm)},
      {"window_tokens", std::to_string(window_.tokens)},
      {"window_steps", std::to_string(window_.steps)},
  };
  safetensors::save(file, tensors, meta);
}

namespace {

// step-<step>.safetensors: zero-padded so that names sort by step.
std::filesystem::path snapshot_path(const std::filesystem::path& dir, std::int64_t step) {
  return dir / fmt::format("step-{:08d}.safetensors", step);
}

}  // namespace

void Trainer::save_snapshot() const {
  nn::SaveOptions save;
  save.metadata = {{"recur_model", "1"}, {"step", std::to_string(step_)}};
  nn::save_state_dict(task_.model(), snapshot_path(o_.checkpoint_dir, step_), save);
  // The N newest stay; those of later steps (left by a killed run this one is redoing)
  // count among them and are rewritten identically when their step comes.
  std::vector<std::filesystem::path> snapshots;
  for (const auto& entry : std::filesystem::directory_iterator(o_.checkpoint_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 25 && name.rfind("step-", 0) == 0 && name.ends_with(".safetensors")) {
      snapshots.push_back(entry.path());
    }
  }
  std::sort(snapshots.begin(), snapshots.end());
  const auto keep = static_cast<std::size_t>(o_.keep_checkpoints);
  for (std::size_t i = 0; i + keep < snapshots.size(); ++i) std::filesystem::remove(snapshots[i]);
}

void Trainer::resume(const std::filesystem::path& checkpoint) {
  auto file = safetensors::File::open(checkpoint);
  const auto& meta = file.metadata();
  auto get = [&](const std::string& key) -> const std::string& {
    auto it = meta.find(key);
    if (it == meta.end()) throw IoError(checkpoint.string() + ": not a recur checkpoint (no '" + key + "')");
    return it->second;
  };
  get("recur_checkpoint");
  if (get("optimizer") != o_.optimizer.name) {
    throw IoError(checkpoint.string() + ": written with optimizer '" + get("optimizer") +
                  "', this run uses '" + o_.optimizer.name + "'");
  }
  // Nothing non-finite comes back: a NaN weight or moment would poison every step.
  for (const auto& info : file.tensors()) nn::check_finite(file, info.name);
  // Model: every model.* tensor into the module's parameters and buffers.
  std::vector<std::pair<std::string, Tensor>> optim;
  for (const auto& info : file.tensors()) {
    if (info.name.rfind(kOptimPrefix, 0) == 0) optim.emplace_back(info.name.substr(kOptimPrefix.size()), file.get(info.name));
  }
  std::vector<std::pair<std::string, Tensor>> carried;
  for (const auto& info : file.tensors()) {
    if (info.name.rfind(kTaskPrefix, 0) == 0) carried.emplace_back(info.name.substr(kTaskPrefix.size()), file.get_f32(info.name));
  }
  task_.restore_carried_state(carried);
  for (auto& [name, t] : nn::state_dict(task_.model())) {
    const std::string key = kModelPrefix + name;
    if (!file.contains(key)) throw IoError(checkpoint.string() + ": missing tensor '" + key + "'");
    // Integer buffers (a forecaster's fitted scalers, stored as bit patterns) come back
    // as they are; floating tensors in f32 whatever their stored precision.
    Tensor src = t.dtype() == DType::f32 ? file.get_f32(key) : file.get(key);
    if (src.dtype() != t.dtype()) {
      throw IoError(checkpoint.string() + ": tensor '" + key + "' is " + std::string(dtype_name(src.dtype())) +
                    ", the model's is " + std::string(dtype_name(t.dtype())));
    }
    if (src.shape() != t.shape()) {
      throw IoError(checkpoint.string() + ": tensor '" + key + "' has shape " + shape_str(src.shape()) +
                    ", the model has " + shape_str(t.shape()));
    }
    t.copy_from(src);
  }
  optimizer_->load_state(optim, std::stoll(get("optimizer_steps")));
  step_ = std::stoll(get("step"));
  epoch_ = std::stoll(get("epoch"));
  next_batch_ = std::stoll(get("next_batch"));
  skipped_ = std::stoll(get("skipped"));
  schedule_.restore(std::stof(get("plateau_scale")), std::stoll(get("plateau_bad")));
  early_.restore(get("early_seen") == "1", std::stod(get("early_best")), std::stoll(get("early_bad")));
  // Checkpoints written before the window was saved resume with an empty window.
  auto optional = [&](const std::string& key) {
    auto it = meta.find(key);
    return it == meta.end() ? std::string("0") : it->second;
  };
  validated_step_ = step_;  // `last` is written by a validation, after it
  window_ = {std::stod(optional("window_loss")), std::stod(optional("window_nll")),
             std::stod(optional("window_norm")), std::stoll(optional("window_tokens")),
             std::stoll(optional("window_steps"))};
  log().info("resumed from {} at step {} (epoch {}, batch {})", checkpoint.string(), step_, epoch_ + 1, next_batch_);
}

void Trainer::log_step(double loss, double ppl, float lr, double norm, double tokens_per_s, double eta_s) {
  log().info("step {} | epoch {} | loss {:.4f} | ppl {:.2f} | lr {:.3g} | grad norm {:.3f} | {:.0f} {}/s | ETA {:.0f} min",
             step_, epoch_ + 1, loss, ppl, lr, norm, tokens_per_s, task_.count_unit(), eta_s / 60.0);
  if (logs_) {
    std::ostringstream row;
    row << step_ << ',' << epoch_ + 1 << ',' << loss << ',' << ppl << ',' << lr << ',' << norm
        << ',' << tokens_per_s;
    logs_->train_row(row.str());
  }
}

bool Trainer::validate_and_checkpoint(const std::function<void()>& on_best) {
  auto metrics = task_.validate();
  if (metrics.empty()) {  // no validation data: keep the last state only
    if (!o_.checkpoint_dir.empty()) save_checkpoint(o_.checkpoint_dir / "last.safetensors");
    return false;
  }
  auto it = metrics.find(o_.metric);
  if (it == metrics.end()) throw Error("train: validation gives no metric '" + o_.metric + "'");
  std::string line;
  for (const auto& [k, v] : metrics) line += fmt::format(" | {} {:.4f}", k, v);
  validated_step_ = step_;
  const bool improved = early_.update(it->second);
  schedule_.on_validation(improved);
  log().info("validation at step {}{}{}", step_, line, improved ? " | best" : "");
  // The order that keeps every kill consistent (see trainer.h): last is written last.
  if (improved && logs_) save_checkpoint(o_.checkpoint_dir / "best.safetensors");
  if (improved && on_best) on_best();
  if (logs_) {
    std::ostringstream row;
    row << step_;
    for (const auto& [k, v] : metrics) row << ',' << k << '=' << v;
    logs_->valid_row(row.str());
    if (o_.keep_checkpoints > 0) save_snapshot();
    save_checkpoint(o_.checkpoint_dir / "last.safetensors");
  }
  return improved;
}

TrainSummary Trainer::run(const std::function<void()>& on_best) {
  const auto start = Clock::now();
  const std::vector<Tensor> params = task_.model().parameters();
  TrainSummary summary;
  auto window_start = Clock::now();
  const std::int64_t start_step = step_;
  if (logs_) logs_->start_at(step_);

  auto finish = [&](const std::string& reason) {
    summary.steps = step_;
    summary.skipped = skipped_;
    summary.best_metric = early_.best();
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    summary.stop_reason = reason;
    log().info("training stopped: {} (step {}, {} skipped batches)", reason, step_, skipped_);
    return summary;
  };
  // A resumed run that had already finished (killed on its way out) trains no more.
  if (o_.max_steps > 0 && step_ >= o_.max_steps) return finish("reached max_steps");

  for (; epoch_ < o_.epochs; ++epoch_, next_batch_ = 0) {
    task_.start_epoch(epoch_);
    const std::int64_t n = task_.batches_in_epoch();
    while (next_batch_ < n) {
      ++step_;
      const float lr = schedule_.lr(step_);
      task_.model().train();
      task_.model().zero_grad();
      std::mt19937_64 rng = step_rng(o_.seed, step_);
      task_.model().seed(rng());
      StepLoss s = task_.forward(next_batch_, rng);
      ++next_batch_;
      const float loss = s.loss.item();
      double norm = NAN;
      if (std::isfinite(loss)) {
        s.loss.backward();
        norm = clip_grad_norm(params, o_.clip_norm);
      }
      if (!std::isfinite(loss) || !std::isfinite(norm)) {
        ++skipped_;
        log().warn("step {}: non-finite {} — batch skipped ({} so far)", step_,
                   std::isfinite(loss) ? "gradient" : "loss", skipped_);
        task_.model().zero_grad();
      } else {
        optimizer_->step(lr);
        window_.loss += loss;
        window_.nll += s.nll_sum;
        window_.tokens += s.tokens;
        window_.norm += norm;
        ++window_.steps;
      }

      if (step_ % o_.log_every == 0 && window_.steps > 0) {
        const double secs = std::chrono::duration<double>(Clock::now() - window_start).count();
        const double done = static_cast<double>(step_ - start_step);
        const double total = o_.max_steps > 0 ? static_cast<double>(o_.max_steps)
                                              : static_cast<double>(o_.epochs * n);
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const double eta = std::max(0.0, (total - static_cast<double>(step_)) * elapsed / std::max(done, 1.0));
        const auto steps = static_cast<double>(window_.steps);
        log_step(window_.loss / steps,
                 std::exp(window_.nll / static_cast<double>(std::max<std::int64_t>(window_.tokens, 1))), lr,
                 window_.norm / steps, static_cast<double>(window_.tokens) / secs, eta);
        window_ = {};
        window_start = Clock::now();
      }
      const double minutes = std::chrono::duration<double>(Clock::now() - start).count() / 60.0;
      const bool out_of_steps = o_.max_steps > 0 && step_ >= o_.max_steps;
      const bool out_of_time = o_.max_minutes > 0 && minutes >= o_.max_minutes;
      if (step_ % o_.valid_every == 0 || out_of_steps || out_of_time) {
        validate_and_checkpoint(on_best);
        if (early_.should_stop()) return finish("early stopping: no improvement of " + o_.metric);
      }
      if (out_of_steps) return finish("reached max_steps");
      if (out_of_time) return finish("reached max_minutes");
    }
  }
  if (validated_step_ != step_) validate_and_checkpoint(on_best);
  return finish("reached the last epoch");
}

}  // namespace recur::train
