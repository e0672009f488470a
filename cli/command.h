// A subcommand of `recur`: its name, a one-line summary, the options it declares and the
// function that runs it. Each subcommand lives in its own file under commands/ and is
// listed in commands/table.cc.
#pragma once

#include <boost/program_options.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace recur::cli {

namespace po = boost::program_options;

struct CommandOptions {
  po::options_description named{"Options"};
  po::positional_options_description positional;
};

struct Command {
  const char* name;
  const char* summary;    // one line, shown by `recur --help`
  const char* arguments;  // usage after "recur <name>", e.g. "[options] FILE"
  // Declares the command's own options (--help and -v are added for every command).
  void (*declare)(CommandOptions& options);
  // Runs the command; returns the exit code. Failures are thrown (recur::Error).
  int (*run)(const po::variables_map& args);
  // A stand-in sets this instead of declare and run: the command itself, loaded from a
  // module on first use (commands/viz_module.h).
  const Command& (*load)() = nullptr;
};

// A flag whose value breaks a rule, found after parsing (e.g. `--beam 0`): the command
// ends as a usage error (exit 2) whose message names the flag.
struct FlagError : std::runtime_error {
  FlagError(const std::string& flag, const std::string& message)
      : std::runtime_error(flag + ": " + message) {}
};

// Every subcommand, in the order `recur --help` lists them.
std::vector<Command> all_commands();

}  // namespace recur::cli
