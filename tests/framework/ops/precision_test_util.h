// A fixture for the ops tests of one inference precision (bf16, int8): each test runs in
// precision P, skipped on a CPU without P's instructions, and leaves f32 behind.
#pragma once

#include <gtest/gtest.h>

#include "recur/ops/precision.h"

namespace recur::testing {

template <ops::Precision P>
class InferencePrecisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const bool has = P == ops::Precision::bf16 ? ops::cpu_has_bf16() : ops::cpu_has_int8_dot();
    if (!has) GTEST_SKIP() << "no " << ops::precision_name(P) << " instructions here (" << ops::cpu_isa_name() << ")";
    ASSERT_EQ(ops::set_inference_precision(P), P);
  }
  void TearDown() override { ops::set_inference_precision(ops::Precision::f32); }
};

}  // namespace recur::testing
