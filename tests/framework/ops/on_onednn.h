// A scope in which every RNN pass runs on oneDNN's primitives, not recur's small-layer
// kernels (framework/src/ops/small_rnn.h), which would otherwise take small layers.
#pragma once

#include "small_rnn.h"

namespace recur::testing {

struct OnOneDnn {
  ops::detail::SmallRnnIsa was = ops::detail::small_rnn_isa();
  OnOneDnn() { ops::detail::set_small_rnn_isa(ops::detail::SmallRnnIsa::none); }
  ~OnOneDnn() { ops::detail::set_small_rnn_isa(was); }
  OnOneDnn(const OnOneDnn&) = delete;
  OnOneDnn& operator=(const OnOneDnn&) = delete;
};

}  // namespace recur::testing
