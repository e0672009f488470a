#include "app.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <optional>

#include "command.h"
#include "options.h"
#include "recur/core/error.h"
#include "recur/core/job_guard.h"
#include "recur/core/logging.h"

namespace recur::cli {
namespace {

constexpr int kUsageError = 2;
constexpr int kFailure = 1;

void print_usage(std::ostream& os, const std::vector<Command>& commands) {
  po::options_description global("Options");
  add_common_options(global);
  os << "usage: recur [-v]... <command> [options]\n\nCommands:\n";
  for (const Command& c : commands) {
    os << "  " << c.name
       << std::string(std::max<std::size_t>(2, 12 - std::string(c.name).size()), ' ') << c.summary
       << "\n";
  }
  os << "\n" << global << "\nRun 'recur <command> --help' for the options of a command.\n";
}

void print_command_usage(std::ostream& os, const Command& c, const CommandOptions& options) {
  os << "usage: recur " << c.name << " " << c.arguments << "\n"
     << c.summary << "\n\n"
     << options.named;
}

struct UsageError {
  std::string message;
};

po::variables_map parse(const std::vector<std::string>& args, const CommandOptions& options) {
  po::variables_map vm;
  try {
    po::store(
        po::command_line_parser(args).options(options.named).positional(options.positional).run(),
        vm);
    // --help wins over everything else: required options need not be given with it.
    if (!vm.count("help")) po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return vm;
}

// The subcommand: parse its arguments, then run it.
int run_command(const Command& command, const std::vector<std::string>& args, int verbosity) {
  CommandOptions options;
  command.declare(options);
  add_common_options(options.named);
  po::variables_map vm;
  try {
    vm = parse(args, options);
  } catch (const UsageError& e) {
    std::cerr << "recur " << command.name << ": " << e.message << "\n\n";
    print_command_usage(std::cerr, command, options);
    return kUsageError;
  }
  if (vm.count("help")) {
    print_command_usage(std::cout, command, options);
    return 0;
  }
  set_verbosity(verbosity + count_of(vm, "verbose"));
  // Plugin code runs in this process: an exit() it calls during the command must not
  // end recur with status 0 (see recur/core/job_guard.h).
  JobGuard job(std::string("running 'recur ") + command.name + "'");
  int code = 0;
  try {
    code = command.run(vm);
  } catch (const FlagError& e) {
    std::cerr << "recur " << command.name << ": " << e.what() << "\n\n";
    print_command_usage(std::cerr, command, options);
    return kUsageError;
  }
  std::cout.flush();
  if (!std::cout) throw IoError("cannot write to standard output");
  return code;
}

int dispatch(const std::vector<std::string>& args) {
  const std::vector<Command> commands = all_commands();
  // Global options come before the subcommand, the first argument not starting with '-'.
  auto first = std::find_if(args.begin(), args.end(),
                            [](const std::string& a) { return a.empty() || a[0] != '-'; });
  CommandOptions global;
  add_common_options(global.named);
  po::variables_map vm;
  try {
    vm = parse(std::vector<std::string>(args.begin(), first), global);
  } catch (const UsageError& e) {
    std::cerr << "recur: " << e.message << "\n\n";
    print_usage(std::cerr, commands);
    return kUsageError;
  }
  if (vm.count("help")) {
    print_usage(std::cout, commands);
    return 0;
  }
  if (first == args.end()) {
    std::cerr << "recur: no command given\n\n";
    print_usage(std::cerr, commands);
    return kUsageError;
  }
  auto command = std::find_if(commands.begin(), commands.end(),
                              [&](const Command& c) { return *first == c.name; });
  if (command == commands.end()) {
    std::cerr << "recur: unknown command '" << *first << "'\n\n";
    print_usage(std::cerr, commands);
    return kUsageError;
  }
  return run_command(command->load ? command->load() : *command,
                     std::vector<std::string>(first + 1, args.end()), count_of(vm, "verbose"));
}

}  // namespace

int run_app(const std::vector<std::string>& args) {
  try {
    return dispatch(args);
  } catch (const std::exception& e) {
    std::cerr << "recur: error: " << e.what() << "\n";
    return kFailure;
  }
}

}  // namespace recur::cli
