// Shape and layout ops, forward and backward: reshape, permute, slices, concatenation,
// row selection, broadcasting. Results are new tensors (except reshape/unsqueeze, which
// are recorded views sharing storage).
#pragma once

#include <cstdint>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::ops {

// Same elements, new shape; one dimension may be -1 (inferred).
Tensor reshape(const Tensor& x, const Shape& shape);
// Inserts a dimension of size 1 at `axis` (in [-rank-1, rank]).
Tensor unsqueeze(const Tensor& x, std::int64_t axis);

// Output dimension i is input dimension perm[i] (oneDNN reorder with permuted strides).
Tensor permute(const Tensor& x, const std::vector<std::int64_t>& perm);
// Swaps two dimensions.
Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1);

// Indices [start, start + length) of `axis`, copied (torch.narrow).
Tensor narrow(const Tensor& x, std::int64_t axis, std::int64_t start, std::int64_t length);
// Cuts x along `axis` into pieces of the given sizes (they must add up to the
// dimension). One node with several outputs: unused pieces get zero gradient.
std::vector<Tensor> split(const Tensor& x, const std::vector<std::int64_t>& sizes,
                          std::int64_t axis);
// Joins tensors along `axis`; all other dimensions must match (oneDNN concat).
Tensor concat(const std::vector<Tensor>& xs, std::int64_t axis);
// Joins same-shape tensors along a new dimension at `axis`.
Tensor stack(const std::vector<Tensor>& xs, std::int64_t axis = 0);

// Rows of x (dimension 0) picked by the i64 ids in `index` [N]: [N, rest...]. Used to
// reorder beams. An index out of range is a ShapeError naming it.
Tensor index_select(const Tensor& x, const Tensor& index);

// x broadcast to `shape` (torch broadcasting rules), copied.
Tensor expand(const Tensor& x, const Shape& shape);

}  // namespace recur::ops
