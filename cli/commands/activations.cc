#include "commands/activations.h"

#include <filesystem>
#include <fstream>

#include "model_command.h"
#include "options.h"
#include "recur/core/error.h"
#include "recur/hidden_states.h"
#include "recur/ops/tape.h"
#include "recur/text/utf8.h"
#include "recur/viz/activations_plot.h"
#include "recur/viz/text_features.h"

namespace recur::cli {
namespace {

// A piece as text: sentencepiece's word mark is a space.
std::string piece_text(const std::string& piece) {
  static const std::string kWordMark = "\u2581";
  std::string text;
  for (std::size_t at = 0; at < piece.size();) {
    if (piece.compare(at, kWordMark.size(), kWordMark) == 0) {
      text += ' ';
      at += kWordMark.size();
    } else {
      text += piece[at++];
    }
  }
  return text;
}

// The code points of valid UTF-8 `line`, one string each.
std::vector<std::string> code_points(const std::string& line) {
  std::vector<std::string> points;
  for (std::size_t at = 0; at < line.size();) {
    const auto lead = static_cast<unsigned char>(line[at]);
    const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    points.push_back(line.substr(at, n));
    at += n;
  }
  return points;
}

// The first `max_tokens` tokens of a text file as a language model reads it (each line's
// ids, then eos) and each token's text ("\n" for eos). A character model's token is its
// character, even one the vocabulary lacks (unk): the text features see the real text.
struct Text {
  std::vector<std::int64_t> ids;
  std::vector<std::string> tokens;
};

Text read_text(const Tokenizer& tok, const std::filesystem::path& file, std::int64_t max_tokens) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open for reading");
  Text text;
  std::string line;
  for (std::uint64_t number = 1; static_cast<std::int64_t>(text.ids.size()) < max_tokens && std::getline(in, line);
       ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (auto bad = text::find_invalid_utf8(line)) {
      throw IoError(file.string() + ":" + std::to_string(number) + ": invalid UTF-8 at byte " +
                    std::to_string(*bad + 1) + " of the line");
    }
    const std::vector<std::int64_t> ids = tok.encode(line);
    std::vector<std::string> texts = code_points(line);
    if (texts.size() != ids.size()) {
      texts = tok.pieces(ids);
      for (std::string& t : texts) t = piece_text(t);
    }
    text.ids.insert(text.ids.end(), ids.begin(), ids.end());
    text.tokens.insert(text.tokens.end(), texts.begin(), texts.end());
    text.ids.push_back(tok.eos_id());
    text.tokens.push_back("\n");
  }
  if (in.bad()) throw IoError(file.string() + ": cannot read");
  if (static_cast<std::int64_t>(text.ids.size()) > max_tokens) {
    text.ids.resize(static_cast<std::size_t>(max_tokens));
    text.tokens.resize(static_cast<std::size_t>(max_tokens));
  }
  return text;
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
  const Text text = read_text(tok, flags.input, a.max_tokens);
  const std::vector<std::int64_t>& ids = text.ids;
  const std::vector<std::string>& tokens = text.tokens;
  if (ids.empty()) throw IoError(flags.input.string() + ": the text is empty");

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
    spec.notes.push_back("units most correlated with " + a.find + " (" + viz::feature_description(feature) +
                         "), r over " + std::to_string(t) + " tokens of " + flags.input.filename().string());
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
