// Hand-made PNG files for the formats cv::imencode cannot write (grey+alpha, palette) and
// for crafted headers: chunks with valid CRCs, pixel data in a stored (uncompressed)
// deflate block, so no zlib is needed and every byte is known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace recur::testing {

inline std::uint32_t crc32(const std::vector<std::uint8_t>& bytes, std::size_t from) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = from; i < bytes.size(); ++i) {
    crc ^= bytes[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// Appends length, type, data and the CRC of type + data.
inline void put_chunk(std::vector<std::uint8_t>& out, const std::string& type,
                      const std::vector<std::uint8_t>& data) {
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  put_be32(out, crc32(out, start));
}

// Signature and IHDR only: enough for a header check, nothing to decode.
inline std::vector<std::uint8_t> png_header(std::uint32_t width, std::uint32_t height,
                                            std::uint8_t bit_depth = 8,
                                            std::uint8_t colour_type = 6) {
  std::vector<std::uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<std::uint8_t> ihdr;
  put_be32(ihdr, width);
  put_be32(ihdr, height);
  ihdr.insert(ihdr.end(), {bit_depth, colour_type, 0, 0, 0});
  put_chunk(out, "IHDR", ihdr);
  return out;
}

// A complete PNG. `rows` holds height rows of packed samples (no filter bytes); `extra`
// chunks (PLTE, tRNS) go between IHDR and IDAT.
inline std::vector<std::uint8_t> make_png(
    std::uint32_t width, std::uint32_t height, std::uint8_t bit_depth, std::uint8_t colour_type,
    const std::vector<std::vector<std::uint8_t>>& rows,
    const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& extra = {}) {
  std::vector<std::uint8_t> out = png_header(width, height, bit_depth, colour_type);
  for (const auto& [type, data] : extra) put_chunk(out, type, data);
  std::vector<std::uint8_t> raw;
  for (const auto& row : rows) {
    raw.push_back(0);  // filter: none
    raw.insert(raw.end(), row.begin(), row.end());
  }
  // zlib header, one final stored block (LEN, ~LEN little-endian), data, Adler-32.
  std::vector<std::uint8_t> z = {0x78, 0x01, 0x01};
  const auto n = static_cast<std::uint16_t>(raw.size());
  z.insert(z.end(), {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                     static_cast<std::uint8_t>(~n), static_cast<std::uint8_t>(~n >> 8)});
  z.insert(z.end(), raw.begin(), raw.end());
  std::uint32_t a = 1, b = 0;
  for (std::uint8_t v : raw) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  put_be32(z, (b << 16) | a);
  put_chunk(out, "IDAT", z);
  put_chunk(out, "IEND", {});
  return out;
}

inline std::vector<std::byte> as_bytes(const std::vector<std::uint8_t>& v) {
  std::vector<std::byte> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<std::byte>(v[i]);
  return out;
}

}  // namespace recur::testing
