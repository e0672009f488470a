// Plugin "example": a byte-level tokenizer. Ids 0..3 are pad, bos, eos, unk; byte b is
// id 4 + b.
#include <memory>
#include <string>

#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"
#include "recur/tokenizer.h"

namespace {

class ByteTokenizer : public recur::Tokenizer {
 public:
  std::vector<std::int64_t> encode(std::string_view text) const override {
    std::vector<std::int64_t> ids;
    for (unsigned char c : text) ids.push_back(4 + c);
    return ids;
  }
  std::string decode(const std::vector<std::int64_t>& ids) const override {
    std::string text;
    for (std::int64_t id : ids) {
      if (id < 0 || id >= vocab_size()) throw recur::Error("example tokenizer: id out of range");
      if (id >= 4) text.push_back(static_cast<char>(id - 4));
    }
    return text;
  }
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const override {
    std::vector<std::string> out;
    for (std::int64_t id : ids) out.push_back(decode({id}));
    return out;
  }
  std::int64_t vocab_size() const override { return 4 + 256; }
  std::int64_t pad_id() const override { return 0; }
  std::int64_t bos_id() const override { return 1; }
  std::int64_t eos_id() const override { return 2; }
  std::int64_t unk_id() const override { return 3; }
};

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Tokenizer>("example_bytes",
                                  [](const recur::config::Section&, const recur::BuildContext&) {
                                    return std::make_unique<ByteTokenizer>();
                                  });
}

}  // namespace

RECUR_PLUGIN("example", "1.0.0", register_components)
