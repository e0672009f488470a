#include "model_flops.h"

#include <map>
#include <string>

#include "recur/core/error.h"

namespace recur::bench {
namespace {

std::int64_t count_layers(const std::map<std::string, Tensor>& p, const std::string& prefix) {
  std::int64_t l = 0;
  while (p.count(prefix + std::to_string(l) + (prefix.find("encoder") == 0 ? ".fwd.w_hh" : ".w_hh"))) ++l;
  return l;
}

const Tensor& get(const std::map<std::string, Tensor>& p, const std::string& name) {
  auto it = p.find(name);
  if (it == p.end()) throw Error("model_flops: no parameter " + name + " (not a bilstm + gru/lstm model)");
  return it->second;
}

}  // namespace

ModelShape model_shape(Pipeline& pipeline) {
  std::map<std::string, Tensor> p;
  for (auto& [name, t] : pipeline.model().named_parameters()) p.emplace(name, t);
  ModelShape m;
  m.enc_embedding = get(p, "encoder.embedding.weight").dim(1);
  m.enc_hidden = get(p, "encoder.rnn.l0.fwd.w_hh").dim(0);
  m.enc_layers = count_layers(p, "encoder.rnn.l");
  m.dec_embedding = get(p, "decoder.embedding.weight").dim(1);
  const Tensor& w_hh = get(p, "decoder.rnn.l0.w_hh");
  m.dec_hidden = w_hh.dim(0);
  m.dec_gates = w_hh.dim(1) / m.dec_hidden;
  m.dec_layers = count_layers(p, "decoder.rnn.l");
  m.memory = pipeline.encoder().memory_size();
  m.summary = pipeline.encoder().summary_size();
  m.vocab = pipeline.decoder().vocab_size();
  m.mlp = p.count("decoder.attention.w_query") > 0;
  m.dot = p.count("decoder.attention.w_key") == 0;
  m.key = m.dot ? m.memory : get(p, "decoder.attention.w_key").dim(0);
  m.attention_size = m.mlp ? m.key : 0;
  return m;
}

double encoder_flops_per_position(const ModelShape& m) {
  double f = 0;
  for (std::int64_t l = 0; l < m.enc_layers; ++l) {
    const double in = l == 0 ? m.enc_embedding : 2.0 * m.enc_hidden;
    f += 2 * 2.0 * 4 * m.enc_hidden * (in + m.enc_hidden);
  }
  return f;
}

double decoder_init_flops_per_row(const ModelShape& m, std::int64_t s) {
  const double bridge = 2.0 * m.summary * m.dec_layers * m.dec_hidden;
  const double keys = m.dot ? 0.0 : 2.0 * s * m.memory * m.key;
  return bridge + keys;
}

double decoder_step_flops_per_row(const ModelShape& m, std::int64_t s) {
  double f = 0;
  for (std::int64_t l = 0; l < m.dec_layers; ++l) {
    const double in = l == 0 ? m.dec_embedding : m.dec_hidden;
    f += 2.0 * m.dec_gates * m.dec_hidden * (in + m.dec_hidden);
  }
  f += m.mlp ? 2.0 * m.attention_size * m.dec_hidden + 2.0 * s * m.attention_size : 2.0 * s * m.key;
  f += 2.0 * s * m.memory;
  f += 2.0 * m.dec_hidden * (m.memory + m.dec_hidden);
  f += 2.0 * m.vocab * m.dec_hidden;
  return f;
}

double train_step_flops(const ModelShape& m, std::int64_t rows, std::int64_t s, std::int64_t t) {
  const double forward = static_cast<double>(rows) *
                         (s * encoder_flops_per_position(m) + decoder_init_flops_per_row(m, s) +
                          t * decoder_step_flops_per_row(m, s));
  return 3.0 * forward;
}

}  // namespace recur::bench
