// Initialisation helpers of the nn modules (linear, embedding, rnn). Private to the nn
// layer; values come from the caller's std::mt19937_64 through arithmetic done here (not
// <random>'s distributions), so a seed gives the same model on every standard library.
#pragma once

#include <cstdint>
#include <random>

#include "recur/core/tensor.h"

namespace recur::nn::detail {

// U(0, 1) from 53 bits of one draw.
double uniform01(std::mt19937_64& rng);

// Every element of the f32 tensor t from U(-bound, bound).
void fill_uniform(Tensor& t, float bound, std::mt19937_64& rng);

// Columns [col, col + n) of the row-major f32 matrix w [n, cols] become an orthogonal
// n x n block: the Q of a Gaussian matrix's QR factorisation (modified Gram-Schmidt in
// double, so R has a positive diagonal, as torch.nn.init.orthogonal_).
void fill_orthogonal_block(Tensor& w, std::int64_t col, std::int64_t n, std::mt19937_64& rng);

}  // namespace recur::nn::detail
