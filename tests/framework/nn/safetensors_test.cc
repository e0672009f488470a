// The safetensors reader and writer on valid files: a reference file written by Python,
// bit-exact round trips of every dtype, zero-copy copy-on-write mapping, atomic writes.
#include "recur/nn/safetensors.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <cstring>

#include "temp_dir.h"

namespace recur::safetensors {
namespace {

using recur::testing::read_bytes;
using recur::testing::TempDir;

std::string data_file(const char* name) {
  return std::string(RECUR_TEST_DATA_DIR) + "/safetensors/" + name;
}

template <class T>
std::vector<T> bits_of(const Tensor& t) {
  std::vector<T> out(t.nbytes() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), t.raw_data(), t.nbytes());
  return out;
}

Tensor from_bits16(const Shape& shape, DType dtype, std::vector<std::uint16_t> bits) {
  Tensor t = Tensor::zeros(shape, dtype);
  std::memcpy(t.raw_data(), bits.data(), bits.size() * 2);
  return t;
}

Tensor from_bits32(const Shape& shape, std::vector<std::uint32_t> bits) {
  Tensor t = Tensor::zeros(shape, DType::f32);
  std::memcpy(t.raw_data(), bits.data(), bits.size() * 4);
  return t;
}

bool same_bytes(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
}

TEST(Safetensors, ReadsReferenceFileWrittenByPython) {
  File f = File::open(data_file("reference.safetensors"));
  std::vector<std::string> order;
  for (const auto& t : f.tensors()) order.push_back(t.name);
  EXPECT_EQ(order, (std::vector<std::string>{"i64", "f32", "scalar", "empty", "i32", "f16", "bf16", "u8"}));
  EXPECT_EQ(f.metadata().at("format"), "pt");
  EXPECT_EQ(f.metadata().at("producer"), "make_safetensors_goldens.py");

  EXPECT_EQ(f.get("i64").to_vector_of<std::int64_t>(),
            (std::vector<std::int64_t>{-1, std::int64_t{1} << 62, std::numeric_limits<std::int64_t>::min()}));
  EXPECT_EQ(f.get("f32").shape(), (Shape{2, 3}));
  EXPECT_EQ(bits_of<std::uint32_t>(f.get("f32")),
            (std::vector<std::uint32_t>{0, 0x80000000, 0x3FC00000, 1, 0x7FC12345, 0xFF800000}));
  EXPECT_EQ(f.get("scalar").shape(), Shape{});
  EXPECT_EQ(f.get("scalar").item(), 3.25f);
  EXPECT_EQ(f.get("empty").shape(), (Shape{0, 3}));
  EXPECT_EQ(f.get("i32").to_vector_of<std::int32_t>(), (std::vector<std::int32_t>{-7, 2147483647}));
  EXPECT_EQ(f.info("f16").dtype, DType::f16);
  EXPECT_EQ(bits_of<std::uint16_t>(f.get("f16")), (std::vector<std::uint16_t>{0x3C00, 0x8000, 1, 0x7E01}));
  EXPECT_EQ(bits_of<std::uint16_t>(f.get("bf16")), (std::vector<std::uint16_t>{0x3F80, 0xC000, 1, 0x7FC1}));
  EXPECT_EQ(f.get("u8").to_vector_of<std::uint8_t>(), (std::vector<std::uint8_t>{0, 1, 127, 128, 255}));
}

TEST(Safetensors, ResavingTheReferenceIsByteIdentical) {
  File f = File::open(data_file("reference.safetensors"));
  std::vector<std::pair<std::string, Tensor>> all;
  for (const auto& t : f.tensors()) all.emplace_back(t.name, f.get(t.name));
  TempDir dir;
  save(dir / "copy.safetensors", all, f.metadata());
  EXPECT_EQ(read_bytes(dir / "copy.safetensors"), read_bytes(data_file("reference.safetensors")));
}

TEST(Safetensors, GetF32ConvertsHalfTypes) {
  File f = File::open(data_file("reference.safetensors"));
  std::vector<float> h = f.get_f32("f16").to_vector();
  EXPECT_EQ(h[0], 1.0f);
  EXPECT_TRUE(std::signbit(h[1]) && h[1] == 0.0f);
  EXPECT_EQ(h[2], std::ldexp(1.0f, -24));  // smallest f16 subnormal
  EXPECT_TRUE(std::isnan(h[3]));
  std::vector<float> b = f.get_f32("bf16").to_vector();
  EXPECT_EQ(b[0], 1.0f);
  EXPECT_EQ(b[1], -2.0f);
  EXPECT_EQ(b[2], std::ldexp(1.0f, -133));  // smallest bf16 subnormal
  EXPECT_TRUE(std::isnan(b[3]));
  EXPECT_THROW(f.get_f32("i32"), IoError);
  Tensor own = f.get_f32("f32");
  own.data<float>()[2] = 7;
  EXPECT_EQ(f.get("f32").item(2), 1.5f);  // get_f32 copies
}

TEST(Safetensors, AbsentTensorIsNamed) {
  File f = File::open(data_file("reference.safetensors"));
  EXPECT_FALSE(f.contains("nope"));
  try {
    f.get("nope");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("reference.safetensors: no tensor 'nope'"), std::string::npos);
  }
}

TEST(Safetensors, MisalignedTensorIsCopiedAndCorrect) {
  File f = File::open(data_file("misaligned.safetensors"));
  Tensor t = f.get("f32");
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw_data()) % 4, 0u);
  EXPECT_EQ(t.to_vector(), (std::vector<float>{0.5f, -8.0f}));
  EXPECT_EQ(f.get("u8").to_vector_of<std::uint8_t>(), (std::vector<std::uint8_t>{1, 2, 3}));
}

TEST(Safetensors, RoundTripOfEveryDtypeIsBitExact) {
  std::vector<std::pair<std::string, Tensor>> in = {
      {"u8", Tensor::from<std::uint8_t>({3}, std::vector<std::uint8_t>{0, 200, 255})},
      // NaN payloads (quiet and signalling), -0.0, subnormals, infinities, max.
      {"f32", from_bits32({2, 4}, {0x7FC00001, 0x7F800001, 0x80000000, 0x00000001, 0x807FFFFF,
                                   0x7F800000, 0xFF800000, 0x7F7FFFFF})},
      {"f16", from_bits16({5}, DType::f16, {0x7E01, 0x7C01, 0x8000, 0x0001, 0x83FF})},
      {"bf16", from_bits16({5}, DType::bf16, {0x7FC1, 0x7F81, 0x8000, 0x0001, 0x807F})},
      {"i32", Tensor::from<std::int32_t>({2}, std::vector<std::int32_t>{INT32_MIN, INT32_MAX})},
      {"i64", Tensor::from<std::int64_t>({1, 2}, std::vector<std::int64_t>{INT64_MIN, INT64_MAX})},
      {"empty", Tensor::zeros({3, 0}, DType::i64)},
      {"scalar", Tensor::scalar(-0.0f)},
  };
  TempDir dir;
  save(dir / "all.safetensors", in, {{"note", "é ünïcode"}});
  File f = File::open(dir / "all.safetensors");
  ASSERT_EQ(f.tensors().size(), in.size());
  for (const auto& [name, t] : in) {
    EXPECT_TRUE(same_bytes(f.get(name), t)) << name;
    // Largest elements first makes every mapped tensor naturally aligned (no copy).
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(f.get(name).raw_data()) % dtype_size(t.dtype()), 0u);
  }
  EXPECT_EQ(f.metadata().at("note"), "é ünïcode");
  EXPECT_EQ(f.tensors().front().name, "i64");
  EXPECT_EQ(f.tensors().back().name, "u8");
  // Same result from an in-memory image.
  File g = File::from_bytes(read_bytes(dir / "all.safetensors"), "mem");
  for (const auto& [name, t] : in) EXPECT_TRUE(same_bytes(g.get(name), t)) << name;
}

TEST(Safetensors, HeaderIsPaddedToEightBytes) {
  TempDir dir;
  save(dir / "p.safetensors", {{"a", Tensor::from({3}, {1, 2, 3})}});
  std::vector<std::byte> bytes = read_bytes(dir / "p.safetensors");
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.size(), 8 + n + 12);
  EXPECT_EQ(static_cast<char>(bytes[8]), '{');
}

TEST(Safetensors, MappedTensorsAreZeroCopyAndCopyOnWrite) {
  TempDir dir;
  auto path = dir / "w.safetensors";
  save(path, {{"w", Tensor::from({2}, {1, 2})}});
  auto before = read_bytes(path);
  Tensor t;
  {
    File f = File::open(path);
    t = f.get("w");
    t.data<float>()[0] = 42;
    EXPECT_EQ(f.get("w").item(0), 42.0f);  // views the same mapped page
  }
  EXPECT_EQ(t.item(0), 42.0f);  // the tensor keeps the mapping alive
  EXPECT_EQ(t.item(1), 2.0f);
  EXPECT_EQ(read_bytes(path), before);  // the file never changes
  EXPECT_EQ(File::open(path).get("w").item(0), 1.0f);
}

TEST(Safetensors, SaveReplacesAtomically) {
  TempDir dir;
  auto path = dir / "m.safetensors";
  save(path, {{"w", Tensor::from({2}, {1, 2})}});
  File old = File::open(path);
  Tensor old_w = old.get("w");
  save(path, {{"w", Tensor::from({3}, {7, 8, 9})}});
  EXPECT_EQ(old_w.to_vector(), (std::vector<float>{1, 2}));  // the old inode stays mapped
  EXPECT_EQ(File::open(path).get("w").to_vector(), (std::vector<float>{7, 8, 9}));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);  // no temporary left behind
}

std::string save_error(const std::filesystem::path& path, const std::vector<std::pair<std::string, Tensor>>& t) {
  try {
    save(path, t);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no IoError)";
}

TEST(Safetensors, SaveErrorsNameThePath) {
  TempDir dir;
  auto nowhere = dir / "no_such_dir" / "m.safetensors";
  std::string msg = save_error(nowhere, {{"w", Tensor::scalar(1)}});
  EXPECT_NE(msg.find((dir / "no_such_dir").string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("cannot create"), std::string::npos) << msg;
  auto p = dir / "m.safetensors";
  EXPECT_NE(save_error(p, {{"w", Tensor::scalar(1)}, {"w", Tensor::scalar(2)}}).find(p.string() + ": duplicate tensor name 'w'"),
            std::string::npos);
  EXPECT_NE(save_error(p, {{"__metadata__", Tensor::scalar(1)}}).find("reserved"), std::string::npos);
  EXPECT_NE(save_error(p, {{"u", Tensor()}}).find("tensor 'u' is undefined"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(p));
}

}  // namespace
}  // namespace recur::safetensors
