// The table of subcommands. A new subcommand is a file commands/<name>.cc defining
// `Command <name>_command()`, a declaration below, and one line in the table.
#include "command.h"
#include "commands/viz_module.h"

namespace recur::cli {

Command translate_command();
Command summarize_command();
Command caption_command();
Command classify_command();
Command forecast_command();
Command generate_command();
Command run_command();
Command train_command();
Command eval_command();
Command spm_train_command();
Command average_command();
Command shortlist_command();
Command plugins_command();

std::vector<Command> all_commands() {
  return {
      translate_command(),
      summarize_command(),
      caption_command(),
      classify_command(),
      forecast_command(),
      generate_command(),
      run_command(),
      train_command(),
      eval_command(),
      average_command(),
      spm_train_command(),
      shortlist_command(),
      plot_stand_in(),
      report_stand_in(),
      plugins_command(),
  };
}

}  // namespace recur::cli
