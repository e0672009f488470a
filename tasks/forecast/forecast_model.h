// The forecasting network: an RNN encoder (nn::Rnn: LSTM, GRU or tanh, uni- or
// bidirectional, any depth) over a window of past rows [B, L, I], its summary (the top
// layer's last states of both directions, [B, D*H]), and a multi-step head:
//   direct          one linear layer: summary -> [B, horizon, Q] at once;
//   autoregressive  a one-layer recurrent decoder of the same cell and size D*H, started
//                   from the encoder's last states, reading at step k the target of row
//                   o+k-1 (the true one in training, its own point forecast when
//                   generating) and the calendar features of row o+k; a linear layer
//                   maps each decoder state to Q outputs.
// Q is the number of quantiles (quantile loss) or 1.
//
// Parameters: encoder.*, decoder.* (autoregressive), output.{weight,bias}. Buffer
// `scalers` [C, 2] (i64): each column's fitted scaler (shift, scale) as the bit patterns
// of doubles, so the model folder keeps them exactly whatever its save_dtype.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "forecast_settings.h"
#include "recur/core/tensor.h"
#include "recur/data/scaler.h"
#include "recur/nn/linear.h"
#include "recur/nn/module.h"
#include "recur/nn/rnn.h"

namespace recur::tasks {

class ForecastModel final : public nn::Module {
 public:
  // input_size: features per past row; decoder_input_size: per decoder step (target + calendar);
  // columns: the number of scaled columns (for the scaler buffer).
  ForecastModel(const ForecasterSettings& settings, std::int64_t input_size, std::int64_t decoder_input_size,
                std::int64_t columns);
  ~ForecastModel() override;

  // Teacher forcing (training, or any direct forecast): inputs [B, L, I], decoder_inputs
  // [B, horizon, Id] (read by the autoregressive head only) -> [B, horizon, Q].
  Tensor forward(const Tensor& inputs, const Tensor& decoder_inputs);
  // Forecasting: as forward(), but the autoregressive head reads its own point forecast
  // of step k-1 in place of column 0 of decoder_inputs at step k > 0. Under NoGradGuard.
  Tensor generate(const Tensor& inputs, const Tensor& decoder_inputs);

  // The fitted scalers of `kinds` (one per column) stored in the buffer, and storing them.
  std::vector<data::Scaler> scalers(const std::vector<data::ScalerKind>& kinds) const;
  void set_scalers(const std::vector<data::Scaler>& scalers);

  const ForecasterSettings& settings() const { return settings_; }

 private:
  struct Encoded {
    Tensor summary;  // [B, D*H]
    Tensor h0, c0;   // [1, B, D*H] decoder start (c0: LSTM only)
  };
  Encoded encode(const Tensor& inputs);
  Tensor decode_step(const Tensor& x, Tensor& h, Tensor& c);  // x [B, 1, Id] -> [B, Q]

  ForecasterSettings settings_;
  nn::Rnn encoder_;
  std::unique_ptr<nn::Rnn> decoder_;
  nn::Linear output_;
  Tensor scalers_;
};

}  // namespace recur::tasks
