// A setting that breaks a rule, found by the one validation function of a settings
// struct. `key` is the YAML key; the caller turns it into a ConfigError at file:line
// (Section::fail) or, for a command-line flag, into a usage error naming the flag.
#pragma once

#include <string>

namespace recur::config {

struct OptionProblem {
  std::string key;
  std::string message;
};

}  // namespace recur::config
