#include "options.h"

#include "recur/core/logging.h"

namespace recur::cli {
namespace {

// po has no counting flag: this value takes no token and adds one per occurrence.
class Counter : public po::value_semantic {
 public:
  std::string name() const override { return ""; }
  unsigned min_tokens() const override { return 0; }
  unsigned max_tokens() const override { return 0; }
  bool is_composing() const override { return true; }  // may appear many times
  bool is_required() const override { return false; }
  void parse(boost::any& value, const std::vector<std::string>&, bool) const override {
    value = value.empty() ? 1 : boost::any_cast<int>(value) + 1;
  }
  bool apply_default(boost::any&) const override { return false; }
  void notify(const boost::any&) const override {}
};

}  // namespace

po::value_semantic* counter() { return new Counter; }

int count_of(const po::variables_map& args, const char* name) {
  return args.count(name) ? args[name].as<int>() : 0;
}

void add_common_options(po::options_description& options) {
  auto add = options.add_options();
  add("help,h", "show this help and exit");
  add("verbose,v", counter(), "log more (-v: info, -vv: debug)");
}

void add_plugin_options(po::options_description& options) {
  auto add = options.add_options();
  add("plugin-path", po::value<std::vector<std::string>>()->composing()->value_name("DIR"),
      "a plugin directory or .so file, searched before RECUR_PLUGIN_PATH and the built-in "
      "plugin directory (repeatable)");
  add("allow-plugin-override", po::bool_switch(),
      "let a plugin provide a component a built-in plugin provides (it then wins)");
}

PluginHost load_plugins(const po::variables_map& args, bool warn_refused) {
  std::vector<std::filesystem::path> paths;
  if (args.count("plugin-path")) {
    for (const std::string& p : args["plugin-path"].as<std::vector<std::string>>())
      paths.push_back(p);
  }
  PluginHostOptions options;
  options.allow_builtin_override = args.count("allow-plugin-override") && args["allow-plugin-override"].as<bool>();
  PluginHost host(options);
  host.load_search_path(paths);
  if (warn_refused) {
    for (const RefusedFile& r : host.refused()) log().warn("{}", r.reason);
  }
  return host;
}

}  // namespace recur::cli
