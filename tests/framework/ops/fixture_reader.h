// A minimal safetensors reader for test fixtures (F32 and I64 tensors, metadata), until
// the framework's recur/nn/safetensors.h reader is available to tests. Throws IoError
// naming the file on any defect.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recur/core/error.h"
#include "recur/core/tensor.h"

namespace recur::testing {

class FixtureFile {
 public:
  explicit FixtureFile(const std::filesystem::path& path) : name_(path.string()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot open");
    bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (bytes_.size() < 8) fail("shorter than its header length");
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes_[i]);
    if (n > bytes_.size() - 8) fail("header length beyond the end of the file");
    data_ = 8 + n;
    try {
      header_ = nlohmann::json::parse(bytes_.begin() + 8, bytes_.begin() + static_cast<long>(data_));
    } catch (const nlohmann::json::exception& e) {
      fail(std::string("bad JSON header: ") + e.what());
    }
  }

  bool contains(const std::string& name) const { return header_.contains(name); }

  Tensor f32(const std::string& name) const {
    auto [shape, raw] = locate(name, "F32", sizeof(float));
    Tensor t = Tensor::zeros(shape);
    std::memcpy(t.raw_data(), raw, t.nbytes());
    return t;
  }

  std::vector<std::int64_t> i64(const std::string& name) const {
    auto [shape, raw] = locate(name, "I64", sizeof(std::int64_t));
    std::vector<std::int64_t> v(static_cast<std::size_t>(shape_numel(shape)));
    std::memcpy(v.data(), raw, v.size() * sizeof(std::int64_t));
    return v;
  }

  std::string meta(const std::string& key) const {
    if (!header_.contains("__metadata__") || !header_["__metadata__"].contains(key)) {
      fail("no metadata key " + key);
    }
    return header_["__metadata__"][key].get<std::string>();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw IoError(name_ + ": " + what); }

  std::pair<Shape, const char*> locate(const std::string& name, const char* dtype,
                                       std::size_t elem) const {
    if (!header_.contains(name)) fail("no tensor " + name);
    const auto& e = header_[name];
    if (e.value("dtype", "") != dtype) fail(name + " is not " + dtype);
    Shape shape = e.at("shape").get<Shape>();
    auto begin = e.at("data_offsets").at(0).get<std::uint64_t>();
    auto end = e.at("data_offsets").at(1).get<std::uint64_t>();
    if (end < begin || end - begin != static_cast<std::uint64_t>(shape_numel(shape)) * elem ||
        end > bytes_.size() - data_) {
      fail(name + ": data offsets do not fit its shape or the file");
    }
    return {shape, bytes_.data() + data_ + begin};
  }

  std::string name_;
  std::vector<char> bytes_;
  std::size_t data_ = 0;
  nlohmann::json header_;
};

}  // namespace recur::testing
