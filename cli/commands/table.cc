// The table of subcommands. A new subcommand is a file commands/<name>.cc defining
// `Command <name>_command()`, a declaration below, and one line in the table.
#include "command.h"

namespace recur::cli {

Command plugins_command();

std::vector<Command> all_commands() {
  return {
      plugins_command(),
  };
}

}  // namespace recur::cli
