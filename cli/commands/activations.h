// `recur plot activations`: runs a language model folder over a text and draws the
// activation of chosen hidden units (--units), or of the units most correlated with a
// feature of the text (--find), through the decoder's HiddenStateReader.
#pragma once

#include "command.h"
#include "commands/plot_flags.h"
#include "recur/viz/figure.h"

namespace recur::cli {

// The figure for `flags` (kind "activations"); `args` carry the model flags (-m, ...).
// A unit or layer the model does not have is a usage error naming --units or --layer; a
// text that cannot be read names the file (and the byte offset of invalid UTF-8).
viz::Figure activations_figure(const PlotFlags& flags, const po::variables_map& args);

}  // namespace recur::cli
