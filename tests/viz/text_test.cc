// Text is drawn with real glyphs: Pango reports no unknown glyph (a box) for accented
// Latin, CJK and emoji with the fonts scripts/install-deps.sh installs.
#include "recur/viz/text.h"

#include <gtest/gtest.h>

#include "recur/viz/figure.h"

namespace recur::viz {
namespace {

TEST(Text, AccentsCjkAndEmojiHaveRealGlyphs) {
  MeasureContext m;
  for (const std::string text : {"é", "Ça coûte très cher", "日本語のテキスト", "😀", "chat 🐈 猫"}) {
    EXPECT_EQ(unknown_glyphs(m.get(), text, Font{12}), 0) << text;
    EXPECT_GT(measure_text(m.get(), text, Font{12}).width, 0) << text;
  }
}

TEST(Text, AMissingGlyphIsCounted) {
  MeasureContext m;
  // A private-use character: no installed font draws it, so Pango shows a box.
  EXPECT_EQ(unknown_glyphs(m.get(), "\uE000", Font{12}), 1);
}

TEST(Text, AccentedLetterIsAsWideAsItsBaseNotABox) {
  MeasureContext m;
  const double e = measure_text(m.get(), "e", Font{20}).width;
  const double e_acute = measure_text(m.get(), "é", Font{20}).width;
  const double box = measure_text(m.get(), "\uE000", Font{20}).width;
  EXPECT_NEAR(e_acute, e, 0.5);
  EXPECT_GT(std::abs(box - e_acute), 1.0);
}

TEST(Text, InvalidUtf8IsDrawnNotRejected) {
  MeasureContext m;
  EXPECT_GT(measure_text(m.get(), "ab\xff\xfe", Font{12}).width, 0);
}

TEST(Text, ElideCutsWholeCharactersAndAddsAnEllipsis) {
  MeasureContext m;
  const std::string long_text = "éééééééééééééééééééééééééééééé";
  const std::string cut = elide(m.get(), long_text, Font{12}, 60);
  EXPECT_LE(measure_text(m.get(), cut, Font{12}).width, 60);
  EXPECT_EQ(cut.substr(cut.size() - 3), "…");
  EXPECT_EQ(elide(m.get(), "short", Font{12}, 200), "short");
}

TEST(Text, VisibleShowsSpacesAndBreaksAndDetokenizeJoinsPieces) {
  EXPECT_EQ(visible("a b\n\t"), "a\u2423b\u23ce\u21e5");
  EXPECT_EQ(visible("\u2581le"), "\u2581le");
  EXPECT_EQ(detokenize({"\u2581Bon", "jour", "\u2581le", "\u2581monde", "</s>"}), "Bonjour le monde");
  EXPECT_EQ(detokenize({"a", " ", "b"}), "a b");
  EXPECT_EQ(detokenize({"</s>"}), "");
}

}  // namespace
}  // namespace recur::viz
