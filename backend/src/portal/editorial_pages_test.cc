// MultipartField: the upload form's CSRF token read from the streamed body.
#include "portal/editorial_pages.h"

#include <gtest/gtest.h>

namespace kpo::portal {
namespace {

TEST(MultipartFieldTest, ReadsATextFieldBeforeTheFile) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"a.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\n";
  EXPECT_EQ(MultipartField(body, "csrf"), "abc123");
  EXPECT_EQ(MultipartField(body, "ander"), "");
}

TEST(MultipartFieldTest, IgnoresFieldsAfterTheFileAndBrokenBodies) {
  // A token placed after the file (or inside its bytes) is not read: the
  // form puts it first, and file content is never parsed as fields.
  const std::string after =
      "--b\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"a.pdf\"\r\n\r\n"
      "Content-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--b--\r\n";
  EXPECT_EQ(MultipartField(after, "csrf"), "");
  EXPECT_EQ(MultipartField("", "csrf"), "");
  EXPECT_EQ(MultipartField("--b\r\nContent-Disposition: form-data; name=\"csrf\"", "csrf"), "");
  EXPECT_EQ(
      MultipartField("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc", "csrf"),
      "");
}

}  // namespace
}  // namespace kpo::portal
