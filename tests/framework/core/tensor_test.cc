#include "recur/core/tensor.h"

#include <gtest/gtest.h>

namespace recur {
namespace {

TEST(Tensor, ZerosHasShapeAndIsZero) {
  Tensor t = Tensor::zeros({2, 3});
  EXPECT_EQ(t.rank(), 2);
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.dim(-1), 3);
  for (float v : t.to_vector()) EXPECT_EQ(v, 0.0f);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw_data()) % 64, 0u);
}

TEST(Tensor, ViewAndNarrowShareStorage) {
  Tensor t = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor row = t.narrow0(1, 1);
  EXPECT_EQ(row.shape(), (Shape{1, 3}));
  EXPECT_EQ(row.to_vector(), (std::vector<float>{4, 5, 6}));
  row.data<float>()[0] = 40;
  EXPECT_EQ(t.item(3), 40.0f);
  EXPECT_EQ(t.view({3, 2}).item(3), 40.0f);
  EXPECT_THROW(t.view({4, 2}), ShapeError);
  EXPECT_THROW(t.narrow0(1, 2), ShapeError);
}

TEST(Tensor, CloneIsDeep) {
  Tensor t = Tensor::from({2}, {1, 2});
  Tensor c = t.clone();
  c.data<float>()[0] = 9;
  EXPECT_EQ(t.item(0), 1.0f);
}

TEST(Tensor, TypedAccessChecksDtype) {
  Tensor t = Tensor::zeros({2}, DType::i64);
  EXPECT_NO_THROW(t.data<std::int64_t>());
  EXPECT_THROW(t.data<float>(), ShapeError);
}

TEST(TensorVersion, MutableAccessBumpsIt) {
  Tensor t = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  std::uint64_t v = t.version();
  t.data<float>();
  EXPECT_GT(t.version(), v);
  v = t.version();
  t.raw_data();
  EXPECT_GT(t.version(), v);
  v = t.version();
  t.copy_from(Tensor::zeros({2, 3}));
  EXPECT_GT(t.version(), v);
  v = t.version();
  t.impl_ptr()->storage->data();  // the storage's own mutable accessor
  EXPECT_GT(t.version(), v);
}

TEST(TensorVersion, ConstAccessLeavesItAlone) {
  Tensor t = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor& c = t;
  const std::uint64_t v = t.version();
  c.data<float>();
  c.raw_data();
  c.item(2);
  c.to_vector();
  c.to_vector_of<float>();
  c.clone();
  Tensor::zeros({2, 3}).copy_from(c);  // the source is only read
  c.view({3, 2});
  c.narrow0(0, 1);
  c.detach();
  const Storage& s = *c.impl_ptr()->storage;
  s.data();
  EXPECT_EQ(t.version(), v);
}

TEST(TensorVersion, ViewsShareTheStoragesVersion) {
  Tensor t = Tensor::zeros({4, 2});
  Tensor row = t.narrow0(2, 1);
  Tensor flat = t.view({8});
  const std::uint64_t v = t.version();
  row.data<float>()[0] = 1;
  EXPECT_GT(t.version(), v);
  EXPECT_EQ(flat.version(), t.version());
  Tensor copy = t.clone();  // a storage of its own
  const std::uint64_t w = t.version();
  copy.data<float>();
  EXPECT_EQ(t.version(), w);
}

TEST(Tensor, ShapeOverflowIsAnError) {
  EXPECT_THROW(shape_numel({1LL << 40, 1LL << 40}), ShapeError);
  EXPECT_THROW(shape_numel({-1}), ShapeError);
}

TEST(DType, Bf16AndF16RoundTrip) {
  for (float f : {0.0f, 1.0f, -2.5f, 3.140625f, 65504.0f, 6.1035156e-05f}) {
    EXPECT_EQ(f16_to_float(float_to_f16(f)), f) << f;
  }
  for (float f : {0.0f, 1.0f, -2.5f, 3.140625f, 1e30f}) {
    EXPECT_NEAR(bf16_to_float(float_to_bf16(f)), f, std::abs(f) / 128) << f;
  }
  EXPECT_EQ(float_to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(float_to_f16(1.0f), 0x3c00);
}

}  // namespace
}  // namespace recur
