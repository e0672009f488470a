// A run folder for `recur train` end-to-end tests: tiny.yaml (a whitespace-tokenized
// BiLSTM -> GRU attention model on the checked-in DDTP slice: two epochs of 9 batches,
// at most 16 steps, a validation every 4 steps, a log row every 3, so windows straddle
// checkpoints; checkpoints in ckpt/) and the validation lines it reads. Seconds per run.
#pragma once

#include <filesystem>
#include <string>

namespace recur::testing {

// root/name with its tiny.yaml; `extra_train_keys` ("  key: value\n" lines) are added
// to the train: section.
std::filesystem::path make_tiny_run(const std::filesystem::path& root, const std::string& name,
                                    const std::string& extra_train_keys = "");

}  // namespace recur::testing
