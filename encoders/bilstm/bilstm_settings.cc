// Settings parsing and the factory live in their own object file: tests that build the
// encoder directly link the library without needing YAML.
#include <string>

#include "bilstm_encoder.h"
#include "recur/config/section.h"
#include "recur/core/logging.h"

namespace recur::encoders {

namespace {

float probability(const config::Section& section, std::string_view key, double fallback) {
  double p = section.in_range(key, 0.0, 1.0, fallback);
  if (p >= 1.0) section.fail(key, "must be below 1");
  return static_cast<float>(p);
}

}  // namespace

BiLstmSettings parse_bilstm_settings(const config::Section& section) {
  BiLstmSettings s;
  s.cell = *nn::rnn_cell_of(section.one_of("cell", {"lstm", "gru", "rnn"}, "lstm"));
  s.bidirectional = section.get<bool>("bidirectional", true);
  s.embedding_size = section.positive<std::int64_t>("embedding_size", s.embedding_size);
  s.hidden_size = section.positive<std::int64_t>("hidden_size", s.hidden_size);
  s.layers = section.positive<std::int64_t>("layers", s.layers);
  s.dropout = probability(section, "dropout", s.dropout);
  s.weight_drop = probability(section, "weight_drop", s.weight_drop);
  if (section.has("embeddings")) {
    s.embeddings = section.path_value("embeddings");
    if (!section.has("embeddings_vocab")) {
      section.fail("embeddings", "needs 'embeddings_vocab', the source vocabulary file its words are looked up in");
    }
    s.embeddings_vocab = section.path_value("embeddings_vocab");
  } else if (section.has("embeddings_vocab")) {
    section.fail("embeddings_vocab", "is only read with 'embeddings'");
  }
  s.freeze_embeddings = section.get<bool>("freeze_embeddings", s.freeze_embeddings);
  s.seed = static_cast<std::uint64_t>(section.non_negative<std::int64_t>("seed", 1));
  section.finish();
  return s;
}

std::unique_ptr<Encoder> bilstm_factory(const config::Section& section,
                                        const BuildContext& context) {
  BiLstmSettings s = parse_bilstm_settings(section);
  if (context.source_vocab_size < 1) {
    section.fail("plugin", "the bilstm encoder needs a text source (a source tokenizer)");
  }
  // BuildContext carries the target's pad id. Padded source positions never reach real
  // ones (the LSTM stops at each length), so the source pad row gets no gradient either
  // way; a target pad outside the source vocabulary just means no padding row.
  const std::int64_t pad = context.pad_id < context.source_vocab_size ? context.pad_id : -1;
  auto encoder = std::make_unique<BiLstmEncoder>(s, context.source_vocab_size, pad, context.initialise);
  if (!s.embeddings.empty()) {
    try {
      const nn::PretrainedEmbeddingsReport found = encoder->load_embeddings(s.embeddings, s.embeddings_vocab);
      log().info("bilstm: pretrained {} vectors for {} of {} source ids ({:.1f}%) from {}",
                 nn::vector_format_name(found.format), found.rows_found, found.vocab_size,
                 100.0 * found.coverage(), s.embeddings.string());
    } catch (const Error& e) {
      section.fail("embeddings", e.what());
    }
  }
  return encoder;
}

}  // namespace recur::encoders
