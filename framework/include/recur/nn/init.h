// Seeded initialisation schemes. Each fills an existing f32 tensor in place (a Tensor is a
// handle, so a view such as w.narrow0(H, H) initialises one gate block of a weight).
// The same seed gives the same values everywhere: the engine is mt19937_64, fully
// specified by the standard, and the distributions are computed here, not by <random>.
#pragma once

#include <cstdint>
#include <random>

#include "recur/core/tensor.h"

namespace recur::nn::init {

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : engine_(seed) {}
  double uniform();  // [0, 1), 53 random bits
  double normal();   // N(0, 1), Box-Muller

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

void constant(Tensor t, float value);
// U(low, high).
void uniform(Tensor t, float low, float high, Generator& gen);
void normal(Tensor t, float mean, float stddev, Generator& gen);

// Glorot & Bengio: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)), where for a
// weight [out, in, k...] fan_in = in * k..., fan_out = out * k... (PyTorch's convention).
void xavier_uniform(Tensor t, Generator& gen, float gain = 1.0f);

// A (semi-)orthogonal matrix, as in Saxe et al. and torch.nn.init.orthogonal_: the Q of
// a Gaussian matrix's QR factorisation (computed in double, Householder), signs fixed so
// that R has a positive diagonal, times gain. For [rows, cols...] flattened to
// rows x cols: rows <= cols gives W W^T = I, rows >= cols gives W^T W = I.
void orthogonal(Tensor t, Generator& gen, float gain = 1.0f);

// Sets the forget-gate slice of an LSTM bias to `value` (Jozefowicz et al. 2015). The last
// dimension holds the gates i, f, g, o (PyTorch's and oneDNN's order) of H each; leading
// dimensions (layers, directions) are all set. With two biases (b_ih, b_hh) set only one.
void lstm_forget_gate_bias(Tensor bias, float value = 1.0f);

}  // namespace recur::nn::init
