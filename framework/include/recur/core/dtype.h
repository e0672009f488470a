// Element types of tensors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace recur {

enum class DType : std::uint8_t { f32, f16, bf16, i32, i64, u8 };

// Bytes of one element.
constexpr std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: return 4;
    case DType::f16: return 2;
    case DType::bf16: return 2;
    case DType::i32: return 4;
    case DType::i64: return 8;
    case DType::u8: return 1;
  }
  return 0;
}

// Whether t is a floating-point type (f32, f16, bf16).
constexpr bool is_float(DType t) { return t == DType::f32 || t == DType::f16 || t == DType::bf16; }

// Lower-case name, e.g. "f32".
std::string_view dtype_name(DType t);

// The dtype a C++ type stores as; only for the types listed below.
template <class T>
struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::f32; };
template <> struct DTypeOf<std::int32_t> { static constexpr DType value = DType::i32; };
template <> struct DTypeOf<std::int64_t> { static constexpr DType value = DType::i64; };
template <> struct DTypeOf<std::uint8_t> { static constexpr DType value = DType::u8; };

template <class T>
inline constexpr DType dtype_of = DTypeOf<T>::value;

// bfloat16 and float16 conversions (round to nearest even).
std::uint16_t float_to_bf16(float f);
float bf16_to_float(std::uint16_t b);
std::uint16_t float_to_f16(float f);
float f16_to_float(std::uint16_t h);

}  // namespace recur
