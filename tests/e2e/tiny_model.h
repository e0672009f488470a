// A tiny model folder for end-to-end tests: whitespace tokenizers over the checked-in
// DDTP slice, a small BiLSTM encoder and GRU attention decoder, trained for a few steps
// by `recur train`. Built once per test binary, shared by its tests.
#pragma once

#include <filesystem>

namespace recur::testing {

// The model folder (built on first use). Fails the calling test if training fails.
const std::filesystem::path& tiny_model_dir();

}  // namespace recur::testing
