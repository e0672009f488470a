// Plugin entry point: registers (decoder, gru), (decoder, lstm) and (decoder, rnn), one
// implementation.
#include "attention_decoder.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Decoder>("gru", &recur::decoders::gru_decoder_factory);
  registrar.add<recur::Decoder>("lstm", &recur::decoders::lstm_decoder_factory);
  registrar.add<recur::Decoder>("rnn", &recur::decoders::rnn_decoder_factory);
}

}  // namespace

RECUR_PLUGIN("attention_decoder", "0.1.0", register_components)
