// safetensors writer. A reader must never see a half-written file: the bytes go to a
// temporary file in the target's directory, which is synced and renamed over the target,
// and the directory is synced so the rename survives a crash.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "safetensors_format.h"

namespace recur::safetensors {

namespace {

using Json = nlohmann::ordered_json;
using Named = std::pair<std::string, Tensor>;

[[noreturn]] void fail_errno(const std::filesystem::path& path, const std::string& what) {
  throw IoError(path.string() + ": " + what + ": " + std::strerror(errno));
}

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

void write_all(int fd, const void* data, std::size_t n, const std::filesystem::path& tmp) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) fail_errno(tmp, "cannot write");
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

// A fresh file next to `path`; the umask applies as for any new file.
int create_temp(const std::filesystem::path& path, std::filesystem::path& tmp) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0;; ++attempt) {
    tmp = path;
    tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST || attempt == 100) fail_errno(tmp, "cannot create");
  }
}

void sync_directory(const std::filesystem::path& path) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_errno(dir, "cannot open directory to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail_errno(dir, "cannot sync directory");
}

}  // namespace

void save(const std::filesystem::path& path, const std::vector<std::pair<std::string, Tensor>>& tensors,
          const std::map<std::string, std::string>& metadata) {
  std::vector<const Named*> order = data_order(tensors, path);
  std::string header = make_header(order, metadata);
  unsigned char length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(header.size() >> (8 * i));

  std::filesystem::path tmp;
  int fd = create_temp(path, tmp);
  try {
    write_all(fd, length, sizeof length, tmp);
    write_all(fd, header.data(), header.size(), tmp);
    for (const Named* t : order) write_all(fd, t->second.raw_data(), t->second.nbytes(), tmp);
    if (::fsync(fd) != 0) fail_errno(tmp, "cannot sync");
    int rc = ::close(fd);
    fd = -1;
    if (rc != 0) fail_errno(tmp, "cannot close");
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail_errno(path, "cannot rename " + tmp.string() + " to it");
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  sync_directory(path);
}

}  // namespace recur::safetensors
