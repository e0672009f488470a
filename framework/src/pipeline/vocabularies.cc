#include "recur/pipeline/vocabularies.h"

#include <optional>
#include <string>

#include "recur/core/logging.h"
#include "recur/tokenizer_trainer.h"

namespace recur {

namespace fs = std::filesystem;

namespace {

// A tokenizer section that names a model file.
struct ModelSetting {
  config::Section tokenizer;
  std::string plugin;
  fs::path model;
};

std::optional<ModelSetting> model_setting(const config::Section& root, const char* side) {
  if (!root.has(side)) return std::nullopt;
  const config::Section s = root.section(side);
  if (!s.has("tokenizer")) return std::nullopt;
  config::Section tokenizer = s.section("tokenizer");
  if (!tokenizer.has("model")) return std::nullopt;
  ModelSetting m{tokenizer, tokenizer.get<std::string>("plugin"), {}};
  m.model = tokenizer.path_value("model");
  return m;
}

void train_model(const Registry& registry, const ModelSetting& m, std::vector<fs::path> corpora,
                 std::int64_t size, const VocabularyTraining& t) {
  if (!registry.contains(TokenizerTrainer::kKind, m.plugin)) {
    m.tokenizer.fail("model", m.model.string() + " does not exist, and the '" + m.plugin +
                                  "' tokenizer has no trainer to make it (no tokenizer_trainer '" +
                                  m.plugin + "' is loaded)");
  }
  BuildContext context;
  context.registry = &registry;
  context.base_dir = m.tokenizer.base_dir();
  const auto trainer = registry.create<TokenizerTrainer>(m.plugin, m.tokenizer, context);
  TokenizerTrainOptions o;
  o.corpora = std::move(corpora);
  o.model = m.model;
  o.vocab_size = size;
  o.sample_lines = t.sample_lines;
  o.threads = t.threads;
  o.exact_vocab_size = false;  // a small corpus gives a smaller vocabulary, not an error
  log().info("training {} model {} ({} pieces) from {}{}", m.plugin, m.model.string(), size,
             o.corpora.front().string(), o.corpora.size() > 1 ? " and " + o.corpora.back().string() : "");
  if (m.model.has_parent_path()) fs::create_directories(m.model.parent_path());
  trainer->train(o);
}

}  // namespace

std::vector<fs::path> ensure_vocabularies(const Registry& registry, const config::Section& root,
                                          const VocabularyTraining& training) {
  const std::optional<ModelSetting> src = model_setting(root, "source");
  const std::optional<ModelSetting> tgt = model_setting(root, "target");
  std::vector<fs::path> written;
  auto ensure = [&](const ModelSetting& m, std::vector<fs::path> corpora, std::int64_t size) {
    if (fs::exists(m.model)) return;
    train_model(registry, m, std::move(corpora), size, training);
    written.push_back(m.model);
  };
  if (src && tgt && src->model.lexically_normal() == tgt->model.lexically_normal()) {
    ensure(*src, {training.source_corpus, training.target_corpus}, training.source_size);
    return written;
  }
  if (src) ensure(*src, {training.source_corpus}, training.source_size);
  if (tgt) ensure(*tgt, {training.target_corpus}, training.target_size);
  return written;
}

}  // namespace recur
