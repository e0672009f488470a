// The `recur` command line: global options, then a subcommand and its options.
//
//   recur [-v]... <command> [options]
//
// Exit codes: 0 success, 1 a runtime failure (one line "recur: error: <message>" on
// stderr), 2 a usage error (the message and the usage on stderr).
#pragma once

#include <string>
#include <vector>

namespace recur::cli {

// `args` excludes the program name.
int run_app(const std::vector<std::string>& args);

}  // namespace recur::cli
