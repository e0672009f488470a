// Reads an encoded image's format and dimensions from its first bytes, without decoding:
// the PNG IHDR chunk, the JPEG SOF segment, the BMP info header, the WebP VP8 / VP8L /
// VP8X header. The preprocessor checks them against max_pixels before OpenCV allocates
// anything, so a 50-byte PNG declaring 30000 x 30000 is refused in microseconds.
//
// Only these four formats are recognised: OpenCV never sees other bytes (its TIFF, EXR,
// ... decoders are not part of what a caption model needs to expose).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace recur::plugins {

enum class ImageFormat { kPng, kJpeg, kBmp, kWebp };

const char* format_name(ImageFormat format);  // "PNG", "JPEG", "BMP", "WebP"

struct ImageHeader {
  ImageFormat format = ImageFormat::kPng;
  std::int64_t width = 0;
  std::int64_t height = 0;
};

// The header of `bytes`; an IoError starting with "name: " if the bytes are empty, of no
// recognised format, too short for their header, or declare a zero or negative size.
ImageHeader read_image_header(std::span<const std::byte> bytes, const std::string& name);

}  // namespace recur::plugins
