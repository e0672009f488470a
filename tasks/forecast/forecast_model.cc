#include "forecast_model.h"

#include <bit>

#include "recur/core/error.h"
#include "recur/nn/init.h"
#include "recur/ops/dropout.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::tasks {

namespace {

nn::RnnOptions encoder_options(const ForecasterSettings& s, std::int64_t input_size) {
  nn::RnnOptions o;
  o.cell = s.cell;
  o.input_size = input_size;
  o.hidden_size = s.hidden_size;
  o.layers = s.layers;
  o.bidirectional = s.bidirectional;
  o.dropout = s.dropout;
  return o;
}

std::int64_t summary_size(const ForecasterSettings& s) { return (s.bidirectional ? 2 : 1) * s.hidden_size; }

// The top layer's states [D, B, H] -> [B, D*H].
Tensor flatten_directions(const Tensor& states) {
  return ops::reshape(ops::permute(states, {1, 0, 2}), {states.dim(1), states.dim(0) * states.dim(2)});
}

}  // namespace

ForecastModel::ForecastModel(const ForecasterSettings& settings, std::int64_t input_size,
                             std::int64_t decoder_input_size, std::int64_t columns)
    : settings_(settings),
      encoder_(encoder_options(settings, input_size)),
      output_(summary_size(settings),
              settings.head == ForecastHead::direct ? settings.horizon * settings.outputs() : settings.outputs()) {
  nn::init::Generator gen(settings.seed);
  encoder_.reset_parameters(gen);
  register_module("encoder", encoder_);
  if (settings.head == ForecastHead::autoregressive) {
    nn::RnnOptions o;
    o.cell = settings.cell;
    o.input_size = decoder_input_size;
    o.hidden_size = summary_size(settings);
    decoder_ = std::make_unique<nn::Rnn>(o);
    decoder_->reset_parameters(gen);
    register_module("decoder", *decoder_);
  }
  output_.reset_parameters(gen);
  register_module("output", output_);
  scalers_ = register_buffer("scalers", Tensor::zeros({columns, 2}, DType::i64));
  set_scalers(std::vector<data::Scaler>(static_cast<std::size_t>(columns)));
}

ForecastModel::~ForecastModel() = default;

ForecastModel::Encoded ForecastModel::encode(const Tensor& inputs) {
  nn::RnnOutput out = encoder_.forward(encoder_.weights(), inputs, {}, {}, {}, ops::RnnReturns::states);
  Encoded e;
  e.summary = flatten_directions(out.h_n.back());
  if (decoder_) {
    e.h0 = ops::unsqueeze(e.summary, 0);
    if (settings_.cell == ops::RnnCell::lstm) e.c0 = ops::unsqueeze(flatten_directions(out.c_n.back()), 0);
  }
  e.summary = ops::dropout(e.summary, settings_.dropout, rng(), training());
  return e;
}

Tensor ForecastModel::forward(const Tensor& inputs, const Tensor& decoder_inputs) {
  Encoded e = encode(inputs);
  const std::int64_t b = inputs.dim(0), q = settings_.outputs();
  if (!decoder_) return ops::reshape(output_.forward(e.summary), {b, settings_.horizon, q});
  std::vector<Tensor> c0;
  if (e.c0.defined()) c0.push_back(e.c0);
  nn::RnnOutput out = decoder_->forward(decoder_->weights(), decoder_inputs, {}, {e.h0}, c0);
  return output_.forward(ops::dropout(out.output, settings_.dropout, rng(), training()));  // [B, horizon, Q]
}

Tensor ForecastModel::decode_step(const Tensor& x, Tensor& h, Tensor& c) {
  std::vector<Tensor> c0;
  if (c.defined()) c0.push_back(c);
  nn::RnnOutput out = decoder_->forward(decoder_->weights(), x, {}, {h}, c0);
  h = out.h_n[0];
  if (c.defined()) c = out.c_n[0];
  return output_.forward(ops::reshape(out.output, {x.dim(0), out.output.dim(2)}));
}

Tensor ForecastModel::generate(const Tensor& inputs, const Tensor& decoder_inputs) {
  autograd::NoGradGuard no_grad;
  if (!decoder_) return forward(inputs, decoder_inputs);
  Encoded e = encode(inputs);
  const std::int64_t b = inputs.dim(0), steps = decoder_inputs.dim(1), id = decoder_inputs.dim(2);
  const std::int64_t q = settings_.outputs(), point = settings_.point_index();
  Tensor out = Tensor::empty({b, steps, q});
  Tensor x = Tensor::empty({b, 1, id});
  const float* din = decoder_inputs.data<float>();
  for (std::int64_t k = 0; k < steps; ++k) {
    for (std::int64_t r = 0; r < b; ++r) {
      float* row = x.data<float>() + r * id;
      std::copy_n(din + (r * steps + k) * id, id, row);
      if (k > 0) row[0] = out.data<float>()[(r * steps + k - 1) * q + point];
    }
    Tensor y = decode_step(x, e.h0, e.c0);  // [B, Q]
    for (std::int64_t r = 0; r < b; ++r) std::copy_n(y.data<float>() + r * q, q, out.data<float>() + (r * steps + k) * q);
  }
  return out;
}

std::vector<data::Scaler> ForecastModel::scalers(const std::vector<data::ScalerKind>& kinds) const {
  if (static_cast<std::int64_t>(kinds.size()) != scalers_.dim(0)) {
    throw Error("forecast model: " + std::to_string(kinds.size()) + " scaler kinds for " +
                std::to_string(scalers_.dim(0)) + " columns");
  }
  std::vector<data::Scaler> out;
  const std::int64_t* p = scalers_.data<std::int64_t>();
  for (std::size_t c = 0; c < kinds.size(); ++c) {
    out.emplace_back(kinds[c], std::bit_cast<double>(p[2 * c]), std::bit_cast<double>(p[2 * c + 1]));
  }
  return out;
}

void ForecastModel::set_scalers(const std::vector<data::Scaler>& scalers) {
  if (static_cast<std::int64_t>(scalers.size()) != scalers_.dim(0)) throw Error("forecast model: scaler count");
  std::int64_t* p = scalers_.data<std::int64_t>();
  for (std::size_t c = 0; c < scalers.size(); ++c) {
    p[2 * c] = std::bit_cast<std::int64_t>(scalers[c].shift());
    p[2 * c + 1] = std::bit_cast<std::int64_t>(scalers[c].scale());
  }
}

}  // namespace recur::tasks
