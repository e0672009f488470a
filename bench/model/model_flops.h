// Analytic flop counts of recur's text model (docs/text-models.md), read off the weight
// shapes. A multiply-add counts 2 flops; only matrix products are counted (gates,
// attention, output layer, projection); element-wise work (activations, softmax, the
// embedding gather) is left out, so achieved GFLOP/s is a lower bound of the work done.
//
//   encoder, per source position:  sum_l 2 dirs * 2 * 4H * (in_l + H)     in_0 = E, in_l = 2H
//   decoder init, per row:         2 * Ms * L*Hd  (bridge) + 2 * S * M * K  (keys; not dot)
//   decoder step, per row:         sum_l 2 * G*Hd * (in_l + Hd)            G = 3 gru, 4 lstm
//                                  + 2 * S * K      (scores; mlp: + 2*A*Hd query + 2*S*A v)
//                                  + 2 * S * M      (context)
//                                  + 2 * Hd * (M + Hd)  (output layer) + 2 * V * Hd  (projection)
//   training step:                 3 x the teacher-forcing forward (backward = 2 x forward:
//                                  gradients of inputs and of weights)
// with S the source length, M = 2H the memory size, K the key size (Hd; A for mlp).
#pragma once

#include <cstdint>

#include "recur/pipeline/pipeline.h"

namespace recur::bench {

struct ModelShape {
  std::int64_t enc_embedding = 0, enc_hidden = 0, enc_layers = 0;
  std::int64_t dec_embedding = 0, dec_hidden = 0, dec_layers = 0, dec_gates = 0;
  std::int64_t memory = 0, summary = 0, key = 0, attention_size = 0, vocab = 0;
  bool mlp = false, dot = false;
};

ModelShape model_shape(Pipeline& pipeline);

double encoder_flops_per_position(const ModelShape& m);
double decoder_init_flops_per_row(const ModelShape& m, std::int64_t source_length);
double decoder_step_flops_per_row(const ModelShape& m, std::int64_t source_length);
// Forward + backward of one teacher-forced batch of `rows` rows (no padding).
double train_step_flops(const ModelShape& m, std::int64_t rows, std::int64_t source_length,
                        std::int64_t target_length);

}  // namespace recur::bench
