// Checks on files named by untrusted input (a model folder's pipeline.yaml names its
// weights and tokenizer files): regular files only (a FIFO would block a reader forever,
// a device would never end), and inside the folder unless the user allows otherwise.
#pragma once

#include <filesystem>

namespace recur {

// "a FIFO", "a directory", "a character device", ... for a st_mode that is not a
// regular file ("a regular file" for one).
const char* file_type_name(unsigned mode);

// IoError "<file>: not a regular file (a FIFO)" unless `file` (symlinks followed) is a
// regular file; "<file>: cannot stat: <reason>" if it cannot be looked at. Never opens
// the file, so never blocks.
void check_regular_file(const std::filesystem::path& file);

// IoError "<file>: outside <base> (it resolves to <path>)" unless `file`, with every
// symbolic link resolved (weakly_canonical; a relative `file` is taken relative to
// `base`), lies inside the directory `base` (symbolic links resolved too). Parts of the
// path that do not exist yet are resolved lexically ("..", "."). Returns the resolved
// path.
std::filesystem::path check_inside(const std::filesystem::path& base,
                                   const std::filesystem::path& file);

}  // namespace recur
