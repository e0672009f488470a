// dropout_mask.h: the mask follows its definition (published SplitMix64 outputs), and the
// AVX-512 and AVX2 kernels draw exactly the plain version's mask over any range.
#include "dropout_mask.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "on_each_isa.h"

namespace recur {
namespace {

using ops::detail::apply_dropout_mask;
using ops::detail::apply_dropout_mask_plain;
using ops::detail::DropoutMask;
using ops::detail::make_dropout_mask;
using ops::detail::SmallRnnIsa;

// SplitMix64 from seed 0 gives 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f,
// 0xf88bb8a8724c81ec: with key 0 these are the hashes of element pairs 0-3, whose 32-bit
// halves in units of 2^32 are 0.481, 0.883 | 0.631, 0.431 | 0.500, 0.026 | 0.446, 0.971.
TEST(DropoutMask, FollowsItsDefinition) {
  const std::vector<float> ones(8, 1.0f);
  std::vector<float> out(8);
  apply_dropout_mask_plain(make_dropout_mask(0.5f, 0), ones.data(), out.data(), 0, 8);
  EXPECT_EQ(out, (std::vector<float>{0, 2, 2, 0, 2, 0, 0, 2}));
  apply_dropout_mask_plain(make_dropout_mask(0.45f, 0), ones.data(), out.data(), 0, 8);
  const float k = 1.0f / (1.0f - 0.45f);
  EXPECT_EQ(out, (std::vector<float>{k, k, k, 0, k, 0, 0, k}));
  // A range starting at element 4 draws what the whole tensor has there.
  apply_dropout_mask_plain(make_dropout_mask(0.5f, 0), ones.data(), out.data(), 4, 8);
  EXPECT_EQ(std::vector<float>(out.begin() + 4, out.end()), (std::vector<float>{2, 0, 0, 2}));
}

TEST(DropoutMask, ProbabilityOneDropsEverythingAndZeroKeepsEverything) {
  EXPECT_EQ(make_dropout_mask(1.0f, 3).keep, 0.0f);
  EXPECT_EQ(make_dropout_mask(0.0f, 3).threshold, 0u);
  EXPECT_EQ(make_dropout_mask(0.25f, 3).threshold, 1u << 30);
}

class DropoutMaskOnEachIsa : public testing::OnEachIsa {};

// Every kernel, over ranges of every alignment and tail and in place, gives the plain
// version's output bit for bit (inputs with both signs; a dropped element is in * 0).
TEST_P(DropoutMaskOnEachIsa, MatchesPlainOverAnyRange) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> value(-3.0f, 3.0f);
  std::vector<float> in(2100);
  for (float& v : in) v = value(rng);
  for (float p : {0.1f, 0.5f, 0.9f, 1.0f}) {
    const DropoutMask mask = make_dropout_mask(p, 0x1234567890abcdefull);
    for (std::int64_t begin : {0, 2, 14, 30, 1000}) {
      for (std::int64_t length : {0, 1, 7, 8, 15, 16, 17, 33, 1001}) {
        const std::int64_t end = begin + length;
        std::vector<float> want(in.size(), -7.0f), got(in.size(), -7.0f);
        apply_dropout_mask_plain(mask, in.data(), want.data(), begin, end);
        apply_dropout_mask(mask, in.data(), got.data(), begin, end);
        ASSERT_EQ(got, want) << "p " << p << " begin " << begin << " length " << length;
        std::vector<float> inplace = in;
        apply_dropout_mask(mask, inplace.data(), inplace.data(), begin, end);
        for (std::int64_t i = begin; i < end; ++i) ASSERT_EQ(inplace[i], want[i]) << i;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, DropoutMaskOnEachIsa,
                         ::testing::Values(SmallRnnIsa::avx512, SmallRnnIsa::avx2, SmallRnnIsa::none),
                         testing::isa_test_name);

}  // namespace
}  // namespace recur
