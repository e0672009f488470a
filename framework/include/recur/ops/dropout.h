// Inverted dropout: in training each element is zeroed with probability p and the kept
// ones are scaled by 1/(1-p), so evaluation is the identity. The mask is keyed by one
// draw of the caller's generator (reproducible runs, the same mask on any number of
// threads) and recomputed by the backward pass: the gradient flows only through kept
// elements, with the same scale.
//
// Also the weight-drop of recurrent layers (DropConnect on hidden-to-hidden weights):
// dropout applied to the weight tensor once per batch.
#pragma once

#include <cstdint>
#include <random>

#include "recur/core/tensor.h"

namespace recur::ops {

// Returns x itself when !training or p == 0. p must be in [0, 1].
Tensor dropout(const Tensor& x, float p, std::mt19937_64& rng, bool training = true);
Tensor dropout(const Tensor& x, float p, std::uint64_t seed, bool training = true);

}  // namespace recur::ops
