// libFuzzer target: any bytes given to load_string either load or throw ConfigError,
// never anything else. A ConfigError's message must be one printable line naming the
// file. Reading keys of every type through the loaded tree must hold to the same rule.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "recur/config/section.h"
#include "recur/core/error.h"

namespace {

using recur::ConfigError;
using recur::config::Section;

void check_message(const ConfigError& e) {
  std::string_view m = e.what();
  if (m.substr(0, 10) != "fuzz.yaml:") std::abort();
  for (char c : m) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) std::abort();
  }
}

// Runs one read; a ConfigError is an expected answer to bad input.
template <class F>
void attempt(F&& read) {
  try {
    read();
  } catch (const ConfigError& e) {
    check_message(e);
  }
}

void read_all(const Section& sec, int depth) {
  for (const std::string& key : sec.keys()) {
    attempt([&] { sec.get<std::string>(key); });
    attempt([&] { sec.get<std::int64_t>(key); });
    attempt([&] { sec.positive<int>(key); });
    attempt([&] { sec.non_negative<float>(key); });
    attempt([&] { sec.get<double>(key); });
    attempt([&] { sec.get<bool>(key); });
    attempt([&] { sec.in_range(key, -1.0, 1.0); });
    attempt([&] { sec.one_of(key, {"dot", "general", "mlp"}); });
    attempt([&] { sec.path_value(key); });
    attempt([&] { sec.list<std::string>(key); });
    attempt([&] { sec.list<int>(key); });
    if (depth > 4) continue;
    attempt([&] { read_all(sec.section(key), depth + 1); });
    attempt([&] {
      for (const Section& item : sec.sections(key)) read_all(item, depth + 1);
    });
  }
  attempt([&] { sec.get<int>("hidden_size", 7); });
  attempt([&] { sec.optional_section("decoder").finish(); });
  attempt([&] { sec.finish(); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  attempt([&] {
    Section root = recur::config::load_string(text, "fuzz.yaml", "models/fuzz");
    read_all(root, 0);
  });
  return 0;
}
