// Every golden defect file (scripts/tests/make_safetensors_goldens.py) is refused with an
// IoError that names the file and the defect, both from disk and from memory.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <string>

#include <sys/stat.h>

#include "recur/nn/safetensors.h"
#include "temp_dir.h"

namespace recur::safetensors {
namespace {

struct Defect {
  const char* file;      // tests/data/safetensors/defect_<file>.safetensors
  const char* fragment;  // must appear in the message
};

const Defect kDefects[] = {
    {"truncated", "file is 5 bytes, too short for the 8-byte header length"},
    {"huge_header_length", "not a safetensors file: its first 8 bytes are not a header length (they give more than the limit of 100000000 bytes; the file is"},
    {"header_past_end", "header length 1000 runs past the end of the file (16 bytes)"},
    {"not_json", "header is not valid JSON: parse error at line 1, column 17: syntax error while parsing value"},
    {"not_utf8", "header is not valid JSON"},
    {"not_object", "header is a JSON array, not an object"},
    {"deep_nesting", "header nests deeper than 16 levels"},
    {"overlapping_offsets", "tensor 'b' data_offsets [4, 12] overlap tensor 'a' data_offsets [0, 8]"},
    {"gap_between_offsets", "gap of 4 bytes before tensor 'b' data_offsets [8, 12] (tensor 'a' ends at 4)"},
    {"gap_at_start", "gap of 4 bytes before tensor 'a' data_offsets [4, 8] (the data section starts at 0)"},
    {"shape_overflow", "tensor 'w' F32 [4611686018427387904, 4611686018427387904] overflows"},
    {"bytes_overflow", "tensor 'w' F32 [4611686018427387904] overflows"},
    {"size_mismatch", "tensor 'w' data_offsets [0, 12] hold 12 bytes but F32 [2, 2] needs 16"},
    {"offsets_past_end", "tensor 'w' data_offsets [0, 16] run past the end of the data section (8 bytes)"},
    {"offsets_reversed", "tensor 'w' data_offsets [8, 4] end before they begin"},
    {"trailing_bytes", "4 trailing bytes after the last tensor (data ends at 16 of 20)"},
    {"duplicate_name", "duplicate tensor name 'w' in the header"},
    {"duplicate_key", "duplicate key 'dtype' inside 'w'"},
    {"unknown_dtype", "tensor 'w' has unknown dtype 'Q7' (recur reads F32, F16, BF16, I32, I64, U8)"},
    {"unsupported_dtype", "tensor 'w' has unsupported dtype 'F64'"},
    {"negative_shape", "tensor 'w' shape [-2,2] has negative dimension -2"},
    {"fractional_shape", "tensor 'w' shape [2.5] holds 2.5, not an integer"},
    {"missing_field", "tensor 'w' has no 'data_offsets'"},
    {"extra_field", "tensor 'w' has unexpected key 'x'"},
    {"entry_not_object", "tensor 'w' is a array, not an object"},
    {"bad_metadata", "__metadata__ value of 'epoch' is a number, not a string"},
    {"metadata_not_object", "__metadata__ is a string, not an object of strings"},
};

class DefectTest : public ::testing::TestWithParam<Defect> {
 protected:
  std::string path() const {
    return std::string(RECUR_TEST_DATA_DIR) + "/safetensors/defect_" + GetParam().file + ".safetensors";
  }
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no IoError)";
}

TEST_P(DefectTest, OpenRefusesNamingFileAndDefect) {
  std::string msg = message_of([&] { File::open(path()); });
  EXPECT_EQ(msg.rfind(path() + ": ", 0), 0u) << msg;
  EXPECT_NE(msg.find(GetParam().fragment), std::string::npos) << msg;
}

TEST_P(DefectTest, FromBytesRefusesTheSameWay) {
  std::vector<std::byte> bytes = recur::testing::read_bytes(path());
  ASSERT_FALSE(bytes.empty());
  std::string msg = message_of([&] { File::from_bytes(bytes, "image.safetensors"); });
  EXPECT_EQ(msg.rfind("image.safetensors: ", 0), 0u) << msg;
  EXPECT_NE(msg.find(GetParam().fragment), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(Golden, DefectTest, ::testing::ValuesIn(kDefects),
                         [](const auto& info) { return std::string(info.param.file); });

TEST(SafetensorsDefects, ExampleMessageIsExact) {
  std::string p = std::string(RECUR_TEST_DATA_DIR) + "/safetensors/defect_size_mismatch.safetensors";
  EXPECT_EQ(message_of([&] { File::open(p); }),
            p + ": tensor 'w' data_offsets [0, 12] hold 12 bytes but F32 [2, 2] needs 16");
}

// Parsing must stay linear in the number of entries (nlohmann's parser callback made it
// quadratic: 40k entries took 40 s). 60k entries take well under a second when linear.
// A header of many entries parses (a quadratic duplicate check once took 43 s for 40,000
// entries; the parse time itself is the benchmarks' business, not a timed test's).
TEST(SafetensorsDefects, ManyEntriesParse) {
  std::string header = "{";
  for (int i = 0; i < 10000; ++i) {
    header += (i ? ",\"t" : "\"t") + std::to_string(i) + "\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}";
  }
  header += "}";
  std::vector<std::byte> image(8 + header.size());
  for (int i = 0; i < 8; ++i) image[i] = static_cast<std::byte>(header.size() >> (8 * i));
  std::memcpy(image.data() + 8, header.data(), header.size());
  File f = File::from_bytes(image, "many.safetensors");
  EXPECT_EQ(f.tensors().size(), 10000u);
  EXPECT_TRUE(f.contains("t9999"));
}

TEST(SafetensorsDefects, EveryGoldenFileIsListed) {
  std::size_t on_disk = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(RECUR_TEST_DATA_DIR) + "/safetensors")) {
    if (e.path().filename().string().starts_with("defect_")) ++on_disk;
  }
  EXPECT_EQ(on_disk, std::size(kDefects));
}

TEST(SafetensorsDefects, EmptyImageAndMissingFile) {
  EXPECT_NE(message_of([] { File::from_bytes({}, "x"); }).find("x: file is 0 bytes"), std::string::npos);
  recur::testing::TempDir dir;
  recur::testing::write_bytes(dir / "empty.safetensors", {});
  EXPECT_NE(message_of([&] { File::open(dir / "empty.safetensors"); }).find("file is 0 bytes"),
            std::string::npos);
  std::string missing = (dir / "missing.safetensors").string();
  EXPECT_EQ(message_of([&] { File::open(missing); }).rfind(missing + ": cannot open: ", 0), 0u);
  EXPECT_NE(message_of([&] { File::open(dir.path()); }).find("not a regular file"), std::string::npos);
}

// Messages never echo the bytes of a file that is not safetensors (issue 18, item 9):
// "weights: ../../etc/passwd" must not print the file's first 8 bytes as a number.
TEST(SafetensorsDefects, MessagesDoNotEchoTheContentsOfAnotherFile) {
  recur::testing::TempDir dir;
  const std::string text = "root:x:0:0:secret-token:/root:/bin/bash\n";
  std::vector<std::byte> bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  recur::testing::write_bytes(dir / "passwd", bytes);
  const std::string msg = message_of([&] { File::open(dir / "passwd"); });
  EXPECT_EQ(msg, (dir / "passwd").string() +
                     ": not a safetensors file: its first 8 bytes are not a header length (they "
                     "give more than the limit of 100000000 bytes; the file is 40 bytes)");
  std::uint64_t as_number = 0;
  std::memcpy(&as_number, text.data(), 8);
  EXPECT_EQ(msg.find(std::to_string(as_number)), std::string::npos);

  // A plausible length followed by text that is not JSON: the position, not the text.
  const std::string json = "{\"w\": secret-token}";
  std::vector<std::byte> image(8 + json.size());
  image[0] = static_cast<std::byte>(json.size());
  std::memcpy(image.data() + 8, json.data(), json.size());
  const std::string bad = message_of([&] { File::from_bytes(image, "x"); });
  EXPECT_EQ(bad.rfind("x: header is not valid JSON: parse error at line 1, column ", 0), 0u) << bad;
  EXPECT_EQ(bad.find("secret"), std::string::npos) << bad;
  EXPECT_EQ(bad.find("last read"), std::string::npos) << bad;
}

// A FIFO (or a device, or a directory) as weights is refused at once: open() of a FIFO
// without a writer used to block forever.
TEST(SafetensorsDefects, AFifoIsRefusedWithoutBlocking) {
  recur::testing::TempDir dir;
  const auto fifo = dir / "model.safetensors";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(message_of([&] { File::open(fifo); }), fifo.string() + ": not a regular file (a FIFO)");
  EXPECT_EQ(message_of([&] { File::open("/dev/null"); }),
            "/dev/null: not a regular file (a character device)");
  EXPECT_EQ(message_of([&] { File::open(dir.path()); }),
            dir.path().string() + ": not a regular file (a directory)");
}

}  // namespace
}  // namespace recur::safetensors
