// A scope in which every RNN pass and softmax runs on oneDNN's primitives, not recur's
// hand-written kernels (framework/src/ops/small_rnn.h, softmax_rows.h), which would
// otherwise take small layers and last-axis softmaxes.
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
