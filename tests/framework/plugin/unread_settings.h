// Settings for factories that never read them (the toy components of these tests).
//
// config::Section cannot be constructed in these tests until the config layer lands in
// librecur; the toy factories only pass the reference along, so the tests hand them
// suitably aligned storage. Replace with config::load_string("{}", ...) once it exists.
#pragma once

#include <cstddef>

#include "recur/config/section.h"

namespace recur::testing {

inline const config::Section& unread_settings() {
  alignas(config::Section) static const std::byte storage[sizeof(config::Section)] = {};
  return *reinterpret_cast<const config::Section*>(storage);
}

}  // namespace recur::testing
