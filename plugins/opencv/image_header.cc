// Header parsing per format. Every read is bounds-checked through Bytes: a short or
// malformed header is an IoError, never a read past the buffer.
#include "image_header.h"

#include <cstring>
#include <optional>

#include "recur/core/error.h"

namespace recur::plugins {

namespace {

class Bytes {
 public:
  Bytes(std::span<const std::byte> bytes, const std::string& name, ImageFormat format)
      : bytes_(bytes), name_(name), format_(format) {}

  std::size_t size() const { return bytes_.size(); }
  std::uint32_t u8(std::size_t at) const { return std::to_integer<std::uint32_t>(at_(at, 1)[0]); }
  std::uint32_t be16(std::size_t at) const { return (u8(at) << 8) | u8(at + 1); }
  std::uint32_t be32(std::size_t at) const { return (be16(at) << 16) | be16(at + 2); }
  std::uint32_t le16(std::size_t at) const { return u8(at) | (u8(at + 1) << 8); }
  std::uint32_t le24(std::size_t at) const { return le16(at) | (u8(at + 2) << 16); }
  std::uint32_t le32(std::size_t at) const { return le16(at) | (le16(at + 2) << 16); }
  bool matches(std::size_t at, const char* text) const {
    const std::size_t n = std::strlen(text);
    return at + n <= bytes_.size() && std::memcmp(bytes_.data() + at, text, n) == 0;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw IoError(name_ + ": " + format_name(format_) + " image " + what);
  }

 private:
  const std::byte* at_(std::size_t at, std::size_t n) const {
    if (at + n > bytes_.size() || at + n < at) {
      fail("truncated in its header (" + std::to_string(bytes_.size()) + " bytes)");
    }
    return bytes_.data() + at;
  }

  std::span<const std::byte> bytes_;
  const std::string& name_;
  ImageFormat format_;
};

ImageHeader png(const Bytes& b) {
  // Signature (8), then the first chunk must be IHDR: length 13, "IHDR", width, height.
  // The sizes are read first so that a short file is reported as truncated.
  const std::uint32_t width = b.be32(16), height = b.be32(20);
  if (b.be32(8) != 13 || !b.matches(12, "IHDR")) b.fail("does not start with an IHDR chunk");
  return {ImageFormat::kPng, width, height};
}

ImageHeader jpeg(const Bytes& b) {
  // Segments after SOI (FFD8): FF, marker, big-endian length (including itself), data.
  // The frame header (SOF0..SOF15 but DHT C4, JPG C8, DAC CC) holds precision, height,
  // width; it must come before the first scan (SOS DA).
  std::size_t at = 2;
  for (;;) {
    if (b.u8(at) != 0xFF) b.fail("has no segment marker at byte " + std::to_string(at));
    std::uint32_t marker = b.u8(at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) b.fail("has no frame header before its data");
    const std::uint32_t length = b.be16(at + 2);
    if (length < 2) b.fail("has a segment of length " + std::to_string(length));
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                     marker != 0xCC;
    if (sof) return {ImageFormat::kJpeg, b.be16(at + 7), b.be16(at + 5)};
    at += 2 + length;
  }
}

ImageHeader bmp(const Bytes& b) {
  // 14-byte file header, then the DIB header: BITMAPCOREHEADER (12 bytes, u16 sizes) or
  // BITMAPINFOHEADER and later (signed 32-bit sizes; a negative height is top-down).
  const std::uint32_t dib = b.le32(14);
  if (dib == 12) return {ImageFormat::kBmp, b.le16(18), b.le16(20)};
  if (dib < 40) b.fail("has an unknown info header of " + std::to_string(dib) + " bytes");
  const auto width = static_cast<std::int32_t>(b.le32(18));
  const auto height = static_cast<std::int32_t>(b.le32(22));
  return {ImageFormat::kBmp, width, height < 0 ? -std::int64_t{height} : height};
}

ImageHeader webp(const Bytes& b) {
  // RIFF, size, WEBP, then the first chunk's FourCC at 12 and its data at 20.
  b.u8(20);  // a file ending before the first chunk's data is truncated
  if (b.matches(12, "VP8 ")) {
    // Lossy: 3-byte frame tag, start code 9D 01 2A, 14-bit width and height.
    if (b.u8(23) != 0x9D || b.u8(24) != 0x01 || b.u8(25) != 0x2A) b.fail("has no VP8 start code");
    return {ImageFormat::kWebp, b.le16(26) & 0x3FFF, b.le16(28) & 0x3FFF};
  }
  if (b.matches(12, "VP8L")) {
    // Lossless: signature 2F, then 14 bits width - 1 and 14 bits height - 1.
    if (b.u8(20) != 0x2F) b.fail("has no VP8L signature");
    const std::uint32_t bits = b.le32(21);
    return {ImageFormat::kWebp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
  }
  if (b.matches(12, "VP8X")) {
    // Extended: flags and reserved (4 bytes), 24-bit canvas width - 1 and height - 1.
    return {ImageFormat::kWebp, b.le24(24) + std::int64_t{1}, b.le24(27) + std::int64_t{1}};
  }
  b.fail("has no VP8, VP8L or VP8X chunk first");
}

std::optional<ImageFormat> sniff(const Bytes& b) {
  if (b.matches(0, "\x89PNG\r\n\x1A\n")) return ImageFormat::kPng;
  if (b.size() >= 3 && b.u8(0) == 0xFF && b.u8(1) == 0xD8 && b.u8(2) == 0xFF) {
    return ImageFormat::kJpeg;
  }
  if (b.matches(0, "BM")) return ImageFormat::kBmp;
  if (b.matches(0, "RIFF") && b.matches(8, "WEBP")) return ImageFormat::kWebp;
  return std::nullopt;
}

}  // namespace

const char* format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng: return "PNG";
    case ImageFormat::kJpeg: return "JPEG";
    case ImageFormat::kBmp: return "BMP";
    case ImageFormat::kWebp: return "WebP";
  }
  return "?";
}

ImageHeader read_image_header(std::span<const std::byte> bytes, const std::string& name) {
  if (bytes.empty()) throw IoError(name + ": empty file, not an image");
  const std::optional<ImageFormat> format = sniff(Bytes(bytes, name, ImageFormat::kPng));
  if (!format) throw IoError(name + ": not a PNG, JPEG, BMP or WebP image (unknown signature)");
  const Bytes b(bytes, name, *format);
  ImageHeader h;
  switch (*format) {
    case ImageFormat::kPng: h = png(b); break;
    case ImageFormat::kJpeg: h = jpeg(b); break;
    case ImageFormat::kBmp: h = bmp(b); break;
    case ImageFormat::kWebp: h = webp(b); break;
  }
  if (h.width <= 0 || h.height <= 0) {
    b.fail("declares a size of " + std::to_string(h.width) + " x " + std::to_string(h.height));
  }
  return h;
}

}  // namespace recur::plugins
