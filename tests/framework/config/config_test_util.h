// Helpers shared by the config tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::config::testing {

// Parses `text` as if it were the file pipeline.yaml of the model folder models/en-fr.
inline Section parse(std::string_view text, const LoadLimits& limits = {}) {
  return load_string(text, "pipeline.yaml", "models/en-fr", limits);
}

// The message of the ConfigError `f` throws; a test failure if it throws none.
template <class F>
std::string config_error(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return "";
}

// The message of loading `text`.
inline std::string load_error(std::string_view text, const LoadLimits& limits = {}) {
  return config_error([&] { parse(text, limits); });
}

}  // namespace recur::config::testing
