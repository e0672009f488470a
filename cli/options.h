// Options shared by several subcommands.
#pragma once

#include "command.h"
#include "recur/plugin/host.h"

namespace recur::cli {

// A flag counted each time it appears (-v, -vv, --verbose --verbose).
po::value_semantic* counter();
int count_of(const po::variables_map& args, const char* name);

// --help and -v/--verbose, accepted by `recur` and by every subcommand.
void add_common_options(po::options_description& options);

// --plugin-path DIR (repeatable), --allow-plugin-override.
void add_plugin_options(po::options_description& options);
// A host with the plugins of the search path loaded (--plugin-path, RECUR_PLUGIN_PATH,
// built-in directory). Refused files are logged as warnings when `warn_refused` is set.
PluginHost load_plugins(const po::variables_map& args, bool warn_refused = true);

}  // namespace recur::cli
