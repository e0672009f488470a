// Private to the plugin layer: may this file be loaded as code? Plugins run in-process
// with all of recur's rights, so a plugin file, or the directory holding it, that someone
// else can write to is refused before dlopen, as sudo refuses such files:
//   - writable by others (o+w): always refused, sticky directory or not;
//   - writable by its group (g+w): refused unless that group is root's (gid 0) or the
//     primary group of this process (then only members of our own group, or root, could
//     have changed it).
// Owners are not checked: a plugin of another user, readable but not writable by us,
// is as trustworthy as any other installed library.
#pragma once

#include <filesystem>
#include <string>

namespace recur {

// Why `file` must not be loaded ("<path> is writable by others (mode 0777)"), or "" if
// none of these is: the file (symbolic links followed), the directory it is named in,
// and the directory of the file a symbolic link leads to.
std::string untrusted_reason(const std::filesystem::path& file);

}  // namespace recur
