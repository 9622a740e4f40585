// Slug: the one id-from-title rule of the editorial service and the academy.
#include "search/slug.h"

#include <gtest/gtest.h>

namespace kpo::search {
namespace {

TEST(SlugTest, FoldsAccentsIntoWholeWords) {
  EXPECT_EQ(Slug("Één aanpak voor café’s", "item"), "een-aanpak-voor-cafe-s");
  // The academy's reported case: "één" was dropped to "n".
  EXPECT_EQ(Slug("Proefcursus Ondermijning herkennen — één dag", "cursus"),
            "proefcursus-ondermijning-herkennen-een-dag");
}

TEST(SlugTest, FallsBackWithoutLettersAndStaysShort) {
  EXPECT_EQ(Slug("— ! —", "cursus"), "cursus");
  const std::string slug = Slug(std::string(40, 'a') + " " + std::string(40, 'b'), "item");
  EXPECT_LE(slug.size(), 60u);
  EXPECT_NE(slug.back(), '-');
}

}  // namespace
}  // namespace kpo::search
