// safetensors reader: a private copy-on-write mapping (or an aligned copy of an in-memory
// image) plus the validated header. Tensors view the mapping and keep it alive.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "recur/core/file_checks.h"
#include "safetensors_format.h"

namespace recur::safetensors {

struct File::Impl {
  ~Impl() {
    if (mapped) {
      munmap(base, size);
    } else {
      std::free(base);
    }
  }

  std::string name;
  std::byte* base = nullptr;
  std::size_t size = 0;
  bool mapped = false;
  detail::Header header;
  std::map<std::string, std::size_t, std::less<>> index;  // name -> header.tensors[i]
};

namespace {

[[noreturn]] void fail_errno(const std::string& file, const std::string& what) {
  throw IoError(file + ": " + what + ": " + std::strerror(errno));
}

[[noreturn]] void not_regular(const std::string& file, mode_t mode) {
  throw IoError(file + ": not a regular file (" + file_type_name(mode) + ")");
}

// Closes the descriptor on every path out of open().
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

File::File(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {
  for (std::size_t i = 0; i < impl_->header.tensors.size(); ++i) {
    impl_->index.emplace(impl_->header.tensors[i].name, i);
  }
}

File File::open(const std::filesystem::path& path) {
  auto impl = std::make_shared<Impl>();
  impl->name = path.string();
  // A FIFO would block open() (and a device read()) forever: look before opening, and
  // open without blocking in case the path changed in between.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) not_regular(impl->name, st.st_mode);
  Fd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (fd.fd < 0) fail_errno(impl->name, "cannot open");
  if (::fstat(fd.fd, &st) != 0) fail_errno(impl->name, "cannot stat");
  if (!S_ISREG(st.st_mode)) not_regular(impl->name, st.st_mode);
  auto size = static_cast<std::size_t>(st.st_size);
  if (size < 8) {  // cannot be mapped when empty; let the validator name the defect
    std::byte head[8];
    ssize_t got = ::read(fd.fd, head, size);
    if (got < 0) fail_errno(impl->name, "cannot read");
    detail::parse_header({head, static_cast<std::size_t>(got)}, impl->name);
  }
  // Private and writable: a caller may modify a loaded tensor in place; the pages are
  // copied on write and the file never changes.
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd.fd, 0);
  if (p == MAP_FAILED) fail_errno(impl->name, "cannot map " + std::to_string(size) + " bytes");
  impl->base = static_cast<std::byte*>(p);
  impl->size = size;
  impl->mapped = true;
  impl->header = detail::parse_header({impl->base, size}, impl->name);
  return File(std::move(impl));
}

File File::from_bytes(std::span<const std::byte> bytes, const std::string& name) {
  auto impl = std::make_shared<Impl>();
  impl->name = name;
  impl->header = detail::parse_header(bytes, name);
  std::size_t rounded = (bytes.size() + 63) / 64 * 64;
  impl->base = static_cast<std::byte*>(std::aligned_alloc(64, rounded == 0 ? 64 : rounded));
  if (!impl->base) throw std::bad_alloc();
  impl->size = bytes.size();
  std::memcpy(impl->base, bytes.data(), bytes.size());
  return File(std::move(impl));
}

const std::string& File::name() const { return impl_->name; }

const std::vector<TensorInfo>& File::tensors() const { return impl_->header.tensors; }

bool File::contains(std::string_view tensor) const { return impl_->index.contains(tensor); }

const TensorInfo& File::info(std::string_view tensor) const {
  auto it = impl_->index.find(tensor);
  if (it == impl_->index.end()) {
    throw IoError(impl_->name + ": no tensor '" + std::string(tensor) + "'");
  }
  return impl_->header.tensors[it->second];
}

Tensor File::get(std::string_view tensor) const {
  const TensorInfo& t = info(tensor);
  std::byte* p = impl_->base + impl_->header.data_start + t.begin;
  // Tensors written by other tools may sit at odd offsets; typed access to them would
  // be misaligned, so those (only those) are copied.
  if (reinterpret_cast<std::uintptr_t>(p) % dtype_size(t.dtype) == 0) {
    return Tensor::wrap(t.shape, t.dtype, p, impl_);
  }
  Tensor out = Tensor::empty(t.shape, t.dtype);
  if (out.nbytes()) std::memcpy(out.raw_data(), p, out.nbytes());
  return out;
}

Tensor File::get_f32(std::string_view tensor) const {
  const TensorInfo& t = info(tensor);
  if (!is_float(t.dtype)) {
    throw IoError(impl_->name + ": tensor '" + t.name + "' is " +
                  std::string(detail::format_name(t.dtype)) + ", not a floating-point type");
  }
  Tensor src = get(tensor);
  if (t.dtype == DType::f32) return src.clone();
  Tensor out = Tensor::empty(t.shape, DType::f32);  // every element written below
  const auto* in = static_cast<const std::uint16_t*>(src.raw_data());
  float* dst = out.data<float>();
  const std::int64_t n = out.numel();
  if (t.dtype == DType::bf16) {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = bf16_to_float(in[i]);
  } else {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = f16_to_float(in[i]);
  }
  return out;
}

const std::map<std::string, std::string>& File::metadata() const { return impl_->header.metadata; }

}  // namespace recur::safetensors
