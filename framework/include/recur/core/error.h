// Exceptions of recur. Every error recur raises derives from recur::Error, so a caller
// can catch one type; the subclasses say which layer refused and why.
#pragma once

#include <stdexcept>
#include <string>

namespace recur {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A pipeline YAML or a command-line setting is wrong: the message names file:line:col
// and the key path.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A plugin could not be loaded or registered, or a component name is unknown.
class PluginError : public Error {
 public:
  using Error::Error;
};

// A file could not be read or written, or its content is malformed (weights, text,
// images): the message names the file.
class IoError : public Error {
 public:
  using Error::Error;
};

// Tensor shapes or dtypes do not fit an operation.
class ShapeError : public Error {
 public:
  using Error::Error;
};

// A compute kernel (oneDNN) refused or failed.
class KernelError : public Error {
 public:
  using Error::Error;
};

}  // namespace recur
