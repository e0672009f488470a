// A test suite run once per instruction set of recur's own kernels (small_rnn.h,
// softmax_rows.h; none: oneDNN or plain C++), each skipped where the CPU lacks it.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "small_rnn.h"

namespace recur::testing {

class OnEachIsa : public ::testing::TestWithParam<ops::detail::SmallRnnIsa> {
 protected:
  void SetUp() override {
    if (ops::detail::set_small_rnn_isa(GetParam()) != GetParam()) GTEST_SKIP() << "not on this CPU";
  }
  void TearDown() override { ops::detail::set_small_rnn_isa(ops::detail::SmallRnnIsa::avx512); }  // the CPU's best
};

inline std::string isa_name(const ::testing::TestParamInfo<ops::detail::SmallRnnIsa>& info) {
  switch (info.param) {
    case ops::detail::SmallRnnIsa::avx512:
      return "avx512";
    case ops::detail::SmallRnnIsa::avx2:
      return "avx2";
    case ops::detail::SmallRnnIsa::none:
      break;
  }
  return "none";
}

}  // namespace recur::testing
