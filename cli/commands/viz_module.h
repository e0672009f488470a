// `recur plot` and `recur report` live in a module of their own (librecur_viz_commands.so,
// in the folder above the plugin directory) that the executable loads only to run one of
// them: Cairo, Pango and OpenCV bring about 150 shared libraries, and loading them cost
// every other command 0.2 s at start. Both sides include this header: the module defines
// the entry point (viz_entry.cc), the executable's table lists stand-ins (viz_module.cc).
#pragma once

#include "command.h"

// The module's entry point: the command named `name` ("plot" or "report"), or null.
extern "C" const recur::cli::Command* recur_viz_command(const char* name);

namespace recur::cli {

// What `recur --help` says of them, without loading the module.
inline constexpr const char* kPlotSummary =
    "draw attention, image attention, confidence, hidden-unit activations, training curves or "
    "forecasts as PNG / SVG";
inline constexpr const char* kReportSummary =
    "one self-contained HTML page of attention, confidence, hidden-unit and training pictures (hover for "
    "values)";

// Table entries whose Command::load loads the module (an Error naming the module file
// if it cannot be loaded) and returns its command.
Command plot_stand_in();
Command report_stand_in();

}  // namespace recur::cli
