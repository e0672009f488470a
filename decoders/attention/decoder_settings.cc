// Settings parsing and the factories live in their own object file: tests that build the
// decoder directly link the library without needing YAML.
#include <string>

#include "attention_decoder.h"
#include "lm_decoder.h"
#include "recur/config/section.h"

namespace recur::decoders {

namespace {

float probability(const config::Section& section, std::string_view key, double fallback) {
  double p = section.in_range(key, 0.0, 1.0, fallback);
  if (p >= 1.0) section.fail(key, "must be below 1");
  return static_cast<float>(p);
}

AttentionKind attention_kind(const std::string& name) {
  return name == "dot" ? AttentionKind::dot
         : name == "mlp" ? AttentionKind::mlp
                         : AttentionKind::general;
}

DecoderSizes sizes_of(const BuildContext& context) {
  return {context.target_vocab_size, context.memory_size, context.summary_size, context.pad_id,
          context.unk_id};
}

// Without an encoder (task language_model) the decoder is a language model (lm_decoder.h).
std::unique_ptr<Decoder> make(const config::Section& section, const BuildContext& context,
                              ops::RnnCell cell) {
  const DecoderSizes sizes = sizes_of(context);
  if (sizes.vocab_size < 1) section.fail("plugin", "the decoder needs a target tokenizer built before it");
  if (sizes.memory_size < 1 && sizes.summary_size < 1) {
    return std::make_unique<LmDecoder>(parse_lm_decoder_settings(section, cell), sizes.vocab_size,
                                       sizes.pad_id, context.initialise);
  }
  if (sizes.memory_size < 1 || sizes.summary_size < 1) {
    section.fail("plugin", "the decoder needs an encoder with a memory and a summary");
  }
  return std::make_unique<AttentionDecoder>(
      parse_attention_decoder_settings(section, cell, sizes), sizes, context.initialise);
}

}  // namespace

AttentionDecoderSettings parse_attention_decoder_settings(const config::Section& section,
                                                          ops::RnnCell cell,
                                                          const DecoderSizes& sizes) {
  AttentionDecoderSettings s;
  s.cell = cell;
  parse_rnn_decoder_settings(section, s);
  s.attention = attention_kind(section.one_of("attention", {"dot", "general", "mlp"}, "general"));
  s.attention_size = section.positive<std::int64_t>("attention_size", s.hidden_size);
  s.copy = section.get<bool>("copy", s.copy);
  s.coverage = section.get<bool>("coverage", s.coverage);
  s.coverage_loss =
      static_cast<float>(section.non_negative<double>("coverage_loss", s.coverage_loss));
  section.finish();
  if (section.has("coverage_loss") && !s.coverage) {
    section.fail("coverage_loss", "is the weight of the coverage loss: needs coverage: true");
  }
  if (s.attention == AttentionKind::dot && sizes.memory_size != s.hidden_size) {
    section.fail("attention", "dot attention needs hidden_size (" + std::to_string(s.hidden_size) +
                                  ") equal to the encoder's memory size (" +
                                  std::to_string(sizes.memory_size) + ")");
  }
  check_tied_embeddings(section, s);
  return s;
}

void parse_rnn_decoder_settings(const config::Section& section, RnnDecoderSettings& s) {
  s.embedding_size = section.positive<std::int64_t>("embedding_size", s.embedding_size);
  s.hidden_size = section.positive<std::int64_t>("hidden_size", s.hidden_size);
  s.layers = section.positive<std::int64_t>("layers", s.layers);
  s.dropout = probability(section, "dropout", s.dropout);
  s.weight_drop = probability(section, "weight_drop", s.weight_drop);
  s.tie_embeddings = section.get<bool>("tie_embeddings", s.tie_embeddings);
  s.seed = static_cast<std::uint64_t>(section.non_negative<std::int64_t>("seed", 1));
}

void check_tied_embeddings(const config::Section& section, const RnnDecoderSettings& s) {
  if (s.tie_embeddings && s.embedding_size != s.hidden_size) {
    section.fail("tie_embeddings", "needs embedding_size (" + std::to_string(s.embedding_size) +
                                       ") equal to hidden_size (" + std::to_string(s.hidden_size) + ")");
  }
}

LmDecoderSettings parse_lm_decoder_settings(const config::Section& section, ops::RnnCell cell) {
  for (const char* key : {"attention", "attention_size", "copy", "coverage", "coverage_loss"}) {
    if (section.has(key)) section.fail(key, "a decoder without an encoder (a language model) attends to nothing");
  }
  LmDecoderSettings s;
  s.cell = cell;
  parse_rnn_decoder_settings(section, s);
  section.finish();
  check_tied_embeddings(section, s);
  return s;
}

std::unique_ptr<Decoder> gru_decoder_factory(const config::Section& section,
                                             const BuildContext& context) {
  return make(section, context, ops::RnnCell::gru);
}

std::unique_ptr<Decoder> lstm_decoder_factory(const config::Section& section,
                                              const BuildContext& context) {
  return make(section, context, ops::RnnCell::lstm);
}

std::unique_ptr<Decoder> rnn_decoder_factory(const config::Section& section,
                                             const BuildContext& context) {
  return make(section, context, ops::RnnCell::tanh);
}

}  // namespace recur::decoders
