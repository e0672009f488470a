// Global-norm gradient clipping and the finiteness check that lets the trainer skip a
// batch whose gradients are unusable.
#pragma once

#include <vector>

#include "recur/core/tensor.h"

namespace recur::train {

// L2 norm of all gradients together (parameters without a gradient count as zero).
// Non-finite if any gradient element is NaN or infinite.
double global_grad_norm(const std::vector<Tensor>& params);

// Scales all gradients by max_norm / norm when the norm exceeds max_norm (> 0) and is
// finite. Returns the norm before clipping.
double clip_grad_norm(const std::vector<Tensor>& params, double max_norm);

}  // namespace recur::train
