#include "recur/pipeline/train_settings.h"

namespace recur {

TrainSettings parse_train_settings(const config::Section& t) {
  TrainSettings s;
  s.data = t.section("data");

  config::Section v = t.optional_section("vocab");
  s.vocab.source_size = v.positive<std::int64_t>("source_size", s.vocab.source_size);
  s.vocab.target_size = v.positive<std::int64_t>("target_size", s.vocab.target_size);
  s.vocab.sample_lines = v.non_negative<std::int64_t>("sample_lines", s.vocab.sample_lines);
  v.finish();

  s.batch.max_tokens = t.positive<std::int64_t>("batch_tokens", s.batch.max_tokens);
  s.batch.max_rows = t.positive<std::int64_t>("max_rows", s.batch.max_rows);
  s.label_smoothing = static_cast<float>(t.in_range("label_smoothing", 0.0, 0.99, 0.1));
  s.seed = static_cast<std::uint64_t>(t.non_negative<std::int64_t>("seed", 1));

  auto& o = s.trainer;
  o.seed = s.seed;
  o.optimizer.name = t.one_of("optimizer", {"adam", "adamw", "sgd"}, std::string("adam"));
  o.schedule.lr = static_cast<float>(t.positive<double>("lr", 0.002));
  o.optimizer.adam.beta1 = static_cast<float>(t.in_range("beta1", 0.0, 0.999999, 0.9));
  o.optimizer.adam.beta2 = static_cast<float>(t.in_range("beta2", 0.0, 0.999999, 0.999));
  o.optimizer.sgd.momentum = static_cast<float>(t.in_range("momentum", 0.0, 0.999999, 0.0));
  const auto wd = static_cast<float>(t.non_negative<double>("weight_decay", 0.0));
  o.optimizer.adam.weight_decay = wd;
  o.optimizer.sgd.weight_decay = wd;
  o.schedule.warmup_steps = t.non_negative<std::int64_t>("warmup_steps", 0);
  o.schedule.decay = train::parse_decay(
      t.one_of("decay", {"constant", "inverse_sqrt", "exponential", "step"}, std::string("constant")));
  o.schedule.gamma = static_cast<float>(t.in_range("gamma", 1e-6, 1.0, 0.5));
  o.schedule.decay_steps = t.positive<std::int64_t>("decay_steps", 1000);
  o.schedule.plateau_patience = t.non_negative<std::int64_t>("plateau_patience", 0);
  o.schedule.plateau_factor = static_cast<float>(t.in_range("plateau_factor", 1e-6, 1.0, 0.5));
  o.schedule.min_lr = static_cast<float>(t.non_negative<double>("min_lr", 0.0));
  o.clip_norm = t.non_negative<double>("clip_norm", 5.0);
  o.epochs = t.positive<std::int64_t>("epochs", 10);
  o.max_steps = t.non_negative<std::int64_t>("max_steps", 0);
  o.max_minutes = t.non_negative<double>("max_minutes", 0.0);
  o.valid_every = t.positive<std::int64_t>("valid_every", 1000);
  o.log_every = t.positive<std::int64_t>("log_every", 100);
  o.metric = t.one_of("metric", {"loss", "ppl", "bleu", "chrf", "rouge_1", "rouge_2", "rouge_l", "cider", "exact", "accuracy", "macro_f1", "bpc", "mae", "rmse", "smape", "mase"}, std::string("loss"));
  o.patience = t.non_negative<std::int64_t>("patience", 0);
  o.checkpoint_dir = t.path_value("checkpoint_dir", std::filesystem::path("checkpoints"));
  o.keep_checkpoints = t.non_negative<std::int64_t>("keep_checkpoints", 0);
  const std::string dtype = t.one_of("save_dtype", {"f32", "bf16", "f16"}, std::string("f32"));
  if (dtype == "bf16") s.save_dtype = DType::bf16;
  if (dtype == "f16") s.save_dtype = DType::f16;
  s.precision = *ops::precision_of(t.one_of("precision", {"f32", "bf16"}, std::string("f32")));
  t.finish();
  return s;
}

}  // namespace recur
