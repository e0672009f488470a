// Search settings: one definition (search::Options, in search.h), one validation, one
// parser for the YAML `search:` section. The CLI applies its flags to an Options and
// calls check(), naming the flag of the key in a problem.
#pragma once

#include <optional>

#include "recur/config/option_problem.h"
#include "recur/config/section.h"
#include "recur/search/search.h"

namespace recur::search {

using config::OptionProblem;

// Beams wider than this are refused: memory grows with beam x vocabulary x batch.
inline constexpr std::int64_t kMaxBeamSize = 128;

// The first setting out of range, if any.
std::optional<OptionProblem> check(const Options& options);

// Parses a `search:` section over `base`, then check(); a problem is a ConfigError at
// the key (file:line and key path).
Options parse_options(const config::Section& section, Options base);

}  // namespace recur::search
