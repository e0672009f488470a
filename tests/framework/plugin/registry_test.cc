#include "recur/plugin/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "recur/encoder.h"
#include "recur/tokenizer.h"
#include "unread_settings.h"

namespace recur {
namespace {

using ::testing::HasSubstr;

class OneTokenizer : public Tokenizer {
 public:
  std::vector<std::int64_t> encode(std::string_view) const override { return {7}; }
  std::string decode(const std::vector<std::int64_t>&) const override { return "seven"; }
  std::vector<std::string> pieces(const std::vector<std::int64_t>&) const override { return {}; }
  std::int64_t vocab_size() const override { return 8; }
  std::int64_t pad_id() const override { return 0; }
  std::int64_t bos_id() const override { return 1; }
  std::int64_t eos_id() const override { return 2; }
  std::int64_t unk_id() const override { return 3; }
};

Factory make_one_tokenizer() {
  return
      [](const config::Section&, const BuildContext&) { return std::make_unique<OneTokenizer>(); };
}

Factory make_nothing() {
  return [](const config::Section&, const BuildContext&) { return nullptr; };
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const PluginError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a PluginError";
  return "";
}

TEST(Registry, FindsWhatWasAddedSortedByKindAndName) {
  Registry r;
  r.add("tokenizer", "sp", make_one_tokenizer(), "tok", "libtok.so");
  r.add("encoder", "bilstm", make_nothing(), "enc", "libenc.so");
  r.add("tokenizer", "char", make_one_tokenizer(), "tok", "libtok.so");
  EXPECT_EQ(r.size(), 3u);
  EXPECT_TRUE(r.contains("tokenizer", "sp"));
  EXPECT_FALSE(r.contains("encoder", "sp"));
  EXPECT_EQ(r.find("encoder", "bilstm").file, "libenc.so");
  EXPECT_EQ(r.find("encoder", "bilstm").plugin, "enc");
  EXPECT_EQ(r.names("tokenizer"), (std::vector<std::string>{"char", "sp"}));
  EXPECT_TRUE(r.names("decoder").empty());
  EXPECT_EQ(r.all(), (std::vector<ComponentId>{
                         {"encoder", "bilstm"}, {"tokenizer", "char"}, {"tokenizer", "sp"}}));
}

TEST(Registry, DuplicateNamesBothFilesAndKeepsTheFirst) {
  Registry r;
  r.add("tokenizer", "sp", make_one_tokenizer(), "first", "/a/libfirst.so");
  const std::string m =
      message_of([&] { r.add("tokenizer", "sp", make_nothing(), "second", "/b/libsecond.so"); });
  EXPECT_EQ(m,
            "duplicate tokenizer 'sp': registered by plugin 'first' (/a/libfirst.so) and "
            "again by plugin 'second' (/b/libsecond.so)");
  EXPECT_EQ(r.find("tokenizer", "sp").file, "/a/libfirst.so");
}

TEST(Registry, UnknownNameListsTheNamesOfThatKind) {
  Registry r;
  r.add("tokenizer", "sp", make_nothing(), "p", "f");
  r.add("tokenizer", "char", make_nothing(), "p", "f");
  r.add("encoder", "bilstm", make_nothing(), "p", "f");
  EXPECT_EQ(message_of([&] { r.find("tokenizer", "bpe"); }),
            "unknown tokenizer 'bpe': known tokenizer names are char, sp");
  EXPECT_EQ(message_of([&] { r.find("decoder", "gru"); }),
            "unknown decoder 'gru': no plugin loaded provides a decoder");
}

TEST(Registry, RefusesEmptyNamesAndMissingFactories) {
  Registry r;
  EXPECT_THAT(message_of([&] { r.add("", "x", make_nothing(), "p", "libp.so"); }),
              HasSubstr("empty kind or name"));
  EXPECT_THAT(message_of([&] { r.add("tokenizer", "", make_nothing(), "p", "libp.so"); }),
              HasSubstr("libp.so"));
  EXPECT_THAT(message_of([&] { r.add("tokenizer", "x", Factory(), "p", "libp.so"); }),
              HasSubstr("registers tokenizer 'x' without a factory"));
  EXPECT_EQ(r.size(), 0u);
}

TEST(Registry, CreatesTypedComponents) {
  Registry r;
  r.add("tokenizer", "one", make_one_tokenizer(), "p", "libp.so");
  std::unique_ptr<Tokenizer> t = r.create<Tokenizer>("one", testing::unread_settings(), {});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->encode("anything"), (std::vector<std::int64_t>{7}));
  EXPECT_THROW(r.create<Tokenizer>("two", testing::unread_settings(), {}), PluginError);
}

TEST(Registry, CreateRefusesWrongTypeAndNull) {
  Registry r;
  r.add("encoder", "liar", make_one_tokenizer(), "p", "libp.so");
  r.add("encoder", "empty", make_nothing(), "p", "libp.so");
  EXPECT_EQ(message_of([&] { r.create<Encoder>("liar", testing::unread_settings(), {}); }),
            "encoder 'liar' from libp.so does not implement the encoder interface");
  EXPECT_EQ(message_of([&] { r.create<Encoder>("empty", testing::unread_settings(), {}); }),
            "encoder 'empty' from libp.so: factory returned nothing");
}

TEST(PluginRegistrar, RecordsAdditionsAndRollsBackOnlyItsOwn) {
  Registry r;
  r.add("tokenizer", "keep", make_nothing(), "other", "libother.so");
  PluginRegistrar reg(r, "mine", "libmine.so");
  reg.add<Tokenizer>("one", [](const config::Section&, const BuildContext&) {
    return std::make_unique<OneTokenizer>();
  });
  reg.add_factory("encoder", "e", make_nothing());
  EXPECT_EQ(reg.added(), (std::vector<ComponentId>{{"tokenizer", "one"}, {"encoder", "e"}}));
  EXPECT_EQ(r.find("tokenizer", "one").plugin, "mine");
  EXPECT_EQ(r.find("tokenizer", "one").file, "libmine.so");
  EXPECT_FALSE(reg.error());
  reg.rollback();
  EXPECT_EQ(r.all(), (std::vector<ComponentId>{{"tokenizer", "keep"}}));
}

TEST(PluginRegistrar, RemembersAnErrorTheCallerSwallowed) {
  Registry r;
  r.add("tokenizer", "taken", make_nothing(), "other", "libother.so");
  PluginRegistrar reg(r, "mine", "libmine.so");
  EXPECT_THROW(reg.add_factory("tokenizer", "taken", make_nothing()), PluginError);
  reg.add_factory("tokenizer", "free", make_nothing());
  ASSERT_TRUE(reg.error());
  EXPECT_THAT(*reg.error(), HasSubstr("libother.so"));
  EXPECT_THAT(*reg.error(), HasSubstr("libmine.so"));
  EXPECT_EQ(reg.added(), (std::vector<ComponentId>{{"tokenizer", "free"}}));
}

}  // namespace
}  // namespace recur
