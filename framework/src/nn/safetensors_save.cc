// safetensors writer. A reader must never see a half-written file: the bytes go to a
// temporary file in the target's directory, which is synced and renamed over the target,
// and the directory is synced so the rename survives a crash.
#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "recur/core/atomic_file.h"
#include "safetensors_format.h"

namespace recur::safetensors {

namespace {

using Json = nlohmann::ordered_json;
using Named = std::pair<std::string, Tensor>;

// Larger elements first: with the header padded to 8 bytes, every tensor then starts at
// a multiple of its element size, so readers can map it without copying.
std::vector<const Named*> data_order(const std::vector<Named>& tensors,
                                     const std::filesystem::path& path) {
  std::set<std::string_view> names;
  std::vector<const Named*> order;
  for (const Named& t : tensors) {
    if (!t.second.defined()) throw IoError(path.string() + ": tensor '" + t.first + "' is undefined");
    if (t.first == "__metadata__") {
      throw IoError(path.string() + ": '__metadata__' is reserved and cannot name a tensor");
    }
    if (!names.insert(t.first).second) {
      throw IoError(path.string() + ": duplicate tensor name '" + t.first + "'");
    }
    order.push_back(&t);
  }
  std::stable_sort(order.begin(), order.end(), [](const Named* a, const Named* b) {
    return dtype_size(a->second.dtype()) > dtype_size(b->second.dtype());
  });
  return order;
}

std::string make_header(const std::vector<const Named*>& order,
                        const std::map<std::string, std::string>& metadata) {
  Json header = Json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::size_t offset = 0;
  for (const Named* t : order) {
    std::size_t end = offset + t->second.nbytes();
    header[t->first] = {{"dtype", std::string(detail::format_name(t->second.dtype()))},
                        {"shape", t->second.shape()},
                        {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the format allows trailing spaces
  return text;
}

}  // namespace

void save(const std::filesystem::path& path, const std::vector<std::pair<std::string, Tensor>>& tensors,
          const std::map<std::string, std::string>& metadata) {
  std::vector<const Named*> order = data_order(tensors, path);
  std::string header = make_header(order, metadata);
  unsigned char length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(header.size() >> (8 * i));

  AtomicFile file(path);
  file.write(length, sizeof length);
  file.write(header.data(), header.size());
  for (const Named* t : order) file.write(t->second.raw_data(), t->second.nbytes());
  file.commit();
}

}  // namespace recur::safetensors
