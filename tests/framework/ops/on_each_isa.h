// Tests of recur's own kernels (small_rnn.h, softmax_rows.h, dropout_mask.h) on each
// instruction set they are built for (none: oneDNN or plain C++), each skipped where the
// CPU lacks it.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "small_rnn.h"

namespace recur::testing {

inline const char* isa_name(ops::detail::SmallRnnIsa isa) {
  switch (isa) {
    case ops::detail::SmallRnnIsa::avx512:
      return "avx512";
    case ops::detail::SmallRnnIsa::avx2:
      return "avx2";
    case ops::detail::SmallRnnIsa::none:
      break;
  }
  return "none";
}

// The test-name suffix of INSTANTIATE_TEST_SUITE_P over instruction sets.
inline std::string isa_test_name(const ::testing::TestParamInfo<ops::detail::SmallRnnIsa>& info) {
  return isa_name(info.param);
}

// The kernels on `isa` for the duration of a test (which skips if the CPU lacks it), then
// the CPU's best again.
class OnIsa : public ::testing::Test {
 protected:
  void run_on(ops::detail::SmallRnnIsa isa) {
    if (ops::detail::set_small_rnn_isa(isa) != isa) GTEST_SKIP() << "no " << isa_name(isa) << " here";
  }
  void TearDown() override { ops::detail::set_small_rnn_isa(ops::detail::SmallRnnIsa::avx512); }
};

// A suite run once per instruction set given to INSTANTIATE_TEST_SUITE_P.
class OnEachIsa : public OnIsa, public ::testing::WithParamInterface<ops::detail::SmallRnnIsa> {
 protected:
  void SetUp() override { run_on(GetParam()); }
};

}  // namespace recur::testing
