// Base of every component a plugin provides, and what a factory receives besides its
// settings.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

namespace recur {

namespace config {
class Section;
}
class Registry;

class Component {
 public:
  virtual ~Component();
};

// What the pipeline builder knows when it creates a component. Components are built in
// order (tokenizers, preprocessor, encoder, decoder), so later ones see sizes of earlier
// ones.
struct BuildContext {
  const Registry* registry = nullptr;
  std::filesystem::path base_dir;         // directory of the pipeline YAML / model folder
  std::int64_t source_vocab_size = 0;     // 0 if the source is not text
  std::int64_t target_vocab_size = 0;
  std::int64_t memory_size = 0;           // feature size of the encoder's memory states
  std::int64_t summary_size = 0;          // feature size of the encoder's summary
  std::int64_t pad_id = 0;                // target padding id
  // Since ABI 1.1: false when every parameter is loaded from a weight file right after the
  // build (a model folder), so random initialisation may be skipped; it would be
  // overwritten. Components that ignore it only load more slowly.
  bool initialise = true;
  // Since ABI 4.3: the target tokenizer's unknown-token id (-1 if there is no target
  // tokenizer). A copying decoder feeds extended-vocabulary ids back as this id.
  std::int64_t unk_id = -1;
};

using Factory =
    std::function<std::unique_ptr<Component>(const config::Section& settings, const BuildContext&)>;

}  // namespace recur
