// The plugin ABI. A plugin is a shared library exporting one C symbol,
// `recur_plugin_v1`, a function returning a pointer to a static descriptor. The host
// reads the descriptor's version fields and toolchain tag before calling anything else:
// it accepts abi_major == host major && abi_minor <= host minor, and a toolchain tag
// equal to its own (C++ types cross the boundary, so the standard library must match).
//
// In a plugin:
//
//   static void register_components(recur::PluginRegistrar& r) {
//     r.add<recur::Encoder>("bilstm", &make_bilstm);
//   }
//   RECUR_PLUGIN("bilstm", "1.0.0", register_components)
#pragma once

#include <cstdint>

// ABI 2.0: Decoder::init_state/reorder_state with the framework's memory rows, Row
// prefixes, Memory::source_ids and empty memories (decoder.h, encoder.h). A plugin built
// against ABI 1 is refused: "incompatible ABI (plugin: 1.1, recur: 2.0)".
// ABI 2.1: JobRequest::json and JobRequest::files_relative_to (appended).
// ABI 3.0: Decoder::auxiliary_loss() (a new virtual: the vtable changed) and
// search::Options::{no_repeat_ngram, coverage_penalty} (tasks copy Options by value, so
// a plugin built against 2.x would hold a shorter struct than the host reads).
// ABI 4.0: Decoder::forward_carried() and TrainTask::{carried_state,restore_carried_state,count_unit}
// (new virtuals), search::Options::{stop_at_eos, suppress_ids, on_token} (a longer struct).
// ABI 4.1: the Forecaster interface (pipeline/forecaster.h), a new class a task may also
// derive from; nothing existing changed.
// ABI 4.2: JobRequest::confidence_top_k and JobSinks::{confidence, confidence_name}
// (appended), search::next_token_candidates (search/confidence.h), and the
// HiddenStateReader interface (hidden_states.h), a new class a decoder may also derive
// from; nothing existing changed.
// ABI 4.3: BuildContext::unk_id (appended), the SurfaceTokenizer interface
// (surface_tokenizer.h, a new class a tokenizer may also derive from) and
// ops::copy_mixture_log_probs over an extended vocabulary (a new overload).
// ABI 4.4: the OutputSubset interface (output_subset.h), a new class a decoder may also
// derive from, search::decode over output ids, search::Shortlist (search/shortlist.h),
// JobRequest::shortlist (appended) and RequestError (pipeline/task.h); nothing existing
// changed.
#define RECUR_ABI_MAJOR 4
#define RECUR_ABI_MINOR 4

// The C++ standard library and its ABI flavour the code is compiled against.
#if defined(_LIBCPP_VERSION)
#define RECUR_STDLIB_TAG "libc++"
#elif defined(__GLIBCXX__) && defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define RECUR_STDLIB_TAG "libstdc++/cxx11"
#elif defined(__GLIBCXX__)
#define RECUR_STDLIB_TAG "libstdc++/cxx98"
#else
#define RECUR_STDLIB_TAG "unknown-stdlib"
#endif
#define RECUR_TOOLCHAIN_TAG RECUR_STDLIB_TAG "/c++20"

#define RECUR_PLUGIN_ENTRY_SYMBOL "recur_plugin_v1"

namespace recur {
class PluginRegistrar;
}

extern "C" {

// Fields are never reordered or removed within an ABI major; new ones go into reserved.
struct RecurPluginDescriptor {
  std::uint32_t abi_major;
  std::uint32_t abi_minor;
  const char* toolchain;  // RECUR_TOOLCHAIN_TAG of the plugin's build
  const char* name;       // plugin name, non-empty
  const char* version;    // plugin version, e.g. "1.2.0"
  void (*register_components)(recur::PluginRegistrar& registrar);
  void* reserved[8];
};

typedef const RecurPluginDescriptor* (*RecurPluginEntry)(void);
}

// Defines the entry symbol. Use once per plugin, at namespace scope.
#define RECUR_PLUGIN(NAME, VERSION, REGISTER_FN)                                            \
  extern "C" __attribute__((visibility("default"))) const RecurPluginDescriptor*            \
  recur_plugin_v1(void) {                                                                   \
    static const RecurPluginDescriptor descriptor = {                                       \
        RECUR_ABI_MAJOR, RECUR_ABI_MINOR, RECUR_TOOLCHAIN_TAG, NAME, VERSION, REGISTER_FN, \
        {}};                                                                                \
    return &descriptor;                                                                     \
  }
