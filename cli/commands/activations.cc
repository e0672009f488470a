#include "commands/activations.h"

#include <filesystem>

#include "model_command.h"
#include "options.h"
#include "recur/core/error.h"
#include "recur/hidden_states.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/token_stream.h"
#include "recur/viz/activations_plot.h"
#include "recur/viz/text_features.h"

namespace recur::cli {
namespace {

// The tokens' texts: eos is a line break, sentencepiece's word mark a space.
std::vector<std::string> token_texts(const Tokenizer& tok, const std::vector<std::int64_t>& ids) {
  static const std::string kWordMark = "\u2581";
  std::vector<std::string> texts = tok.pieces(ids);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == tok.eos_id()) {
      texts[i] = "\n";
      continue;
    }
    for (std::size_t at = texts[i].find(kWordMark); at != std::string::npos; at = texts[i].find(kWordMark, at)) {
      texts[i].replace(at, kWordMark.size(), " ");
    }
  }
  return texts;
}

void check_units(const std::vector<std::int64_t>& units, std::int64_t hidden, std::int64_t layer) {
  for (std::int64_t u : units) {
    if (u >= hidden) {
      throw FlagError("--units", "unit " + std::to_string(u) + " is out of range: layer " + std::to_string(layer) +
                                     " has " + std::to_string(hidden) + " units (0 to " + std::to_string(hidden - 1) +
                                     ")");
    }
  }
}

}  // namespace

viz::Figure activations_figure(const PlotFlags& flags, const po::variables_map& args) {
  const ActivationFlags& a = flags.activations;
  PluginHost host = load_plugins(args);
  Pipeline pipeline = load_model_folder(args, host);
  require_language_model(pipeline, args, "recur plot activations", false);
  auto* reader = dynamic_cast<HiddenStateReader*>(&pipeline.decoder());
  const std::string model = args["model"].as<std::string>();
  if (!reader) throw Error(model + ": its decoder cannot show its hidden states (no HiddenStateReader)");
  const std::int64_t layers = reader->hidden_layers(), hidden = reader->hidden_units();
  const std::int64_t layer = a.layer < 0 ? layers - 1 : a.layer;
  if (layer >= layers) {
    throw FlagError("--layer", "the model has " + std::to_string(layers) + " layers (0 to " +
                                   std::to_string(layers - 1) + "), not " + std::to_string(layer));
  }
  check_units(a.units, hidden, layer);

  const Tokenizer& tok = pipeline.target_tokenizer();
  TokenStream stream = read_token_stream(tok, flags.input);
  std::vector<std::int64_t> ids = std::move(stream.ids);
  if (static_cast<std::int64_t>(ids.size()) > a.max_tokens) ids.resize(static_cast<std::size_t>(a.max_tokens));
  if (ids.empty()) throw IoError(flags.input.string() + ": the text is empty");
  const std::vector<std::string> tokens = token_texts(tok, ids);

  pipeline.model().eval();
  autograd::NoGradGuard no_grad;
  std::vector<std::int64_t> fed{tok.eos_id()};  // a text starts as if after a line break
  fed.insert(fed.end(), ids.begin(), ids.end());
  const Tensor states = reader->hidden_states(fed, layer);
  const float* h = states.data<float>() + hidden;  // row t + 1: after reading ids[t]
  const auto t = static_cast<std::int64_t>(ids.size());
  std::vector<float> values(h, h + t * hidden);

  viz::ActivationsSpec spec;
  spec.title = "activations of layer " + std::to_string(layer) + " (" + std::to_string(hidden) + " units), " +
               std::filesystem::path(model).filename().string();
  spec.tokens = tokens;
  std::vector<viz::UnitScore> chosen;
  if (!a.find.empty()) {
    const viz::TextFeature feature = *viz::text_feature(a.find);
    spec.feature = viz::feature_values(feature, tokens);
    bool constant = true;
    for (double f : spec.feature) constant = constant && f == spec.feature.front();
    if (constant) {
      throw Error(flags.input.string() + ": the first " + std::to_string(t) + " tokens have nothing " +
                  viz::feature_description(feature) + ": --find " + a.find + " has nothing to correlate with");
    }
    spec.feature_name = a.find;
    chosen = viz::rank_units(values, hidden, spec.feature, static_cast<std::size_t>(a.top));
    spec.notes.push_back("the " + std::to_string(chosen.size()) + " units most correlated with " + a.find + " (" +
                         viz::feature_description(feature) + "), r = Pearson's correlation over " +
                         std::to_string(t) + " tokens of " + flags.input.filename().string());
  } else {
    for (std::int64_t u : a.units) chosen.push_back({u, 0});
    spec.notes.push_back(std::to_string(t) + " tokens of " + flags.input.filename().string());
  }
  spec.notes.push_back("blue: negative, white: 0, red: positive (the hidden state h, from -1 to 1)");
  for (const viz::UnitScore& s : chosen) {
    viz::UnitTrace trace;
    trace.unit = s.unit;
    for (std::int64_t i = 0; i < t; ++i) trace.values.push_back(values[static_cast<std::size_t>(i * hidden + s.unit)]);
    if (!a.find.empty()) trace.correlation = s.correlation;
    spec.units.push_back(std::move(trace));
  }
  return viz::activations_figure(spec);
}

}  // namespace recur::cli
