// Rendering safety: no raw HTML, no script links, ever.
#include "render/markdown.h"

#include <gtest/gtest.h>

namespace kpo::render {
namespace {

TEST(Markdown, RendersCommonMark) {
  std::string html = MarkdownToHtml("## Kop\n\n- **vet**\n- [link](https://example.nl)\n");
  EXPECT_NE(html.find("<h2>Kop</h2>"), std::string::npos);
  EXPECT_NE(html.find("<strong>vet</strong>"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://example.nl\""), std::string::npos);
}

TEST(Markdown, DropsRawHtml) {
  for (const char* md : {"<script>alert(1)</script>", "tekst <img src=x onerror=alert(1)>",
                         "<iframe src=\"https://evil\"></iframe>", "<SCRIPT>x</SCRIPT>",
                         "<a href=\"javascript:alert(1)\">x</a>"}) {
    std::string html = MarkdownToHtml(md);
    EXPECT_EQ(html.find("<script"), std::string::npos) << md;
    EXPECT_EQ(html.find("<SCRIPT"), std::string::npos) << md;
    EXPECT_EQ(html.find("onerror"), std::string::npos) << md;
    EXPECT_EQ(html.find("<iframe"), std::string::npos) << md;
    EXPECT_EQ(html.find("javascript:"), std::string::npos) << md;
  }
}

TEST(Markdown, NeutralisesDangerousLinkSchemes) {
  for (const char* md : {"[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))",
                         "[x](vbscript:msgbox)", "[x](data:text/html;base64,PHNjcmlwdD4=)",
                         "![x](javascript:alert(1))", "<javascript:alert(1)>"}) {
    std::string html = MarkdownToHtml(md);
    std::string lower = html;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // The scheme may survive as visible text; never as a link target.
    for (const char* attr : {"href=\"javascript", "src=\"javascript", "href=\"vbscript",
                             "href=\"data:", "src=\"data:"}) {
      EXPECT_EQ(lower.find(attr), std::string::npos) << md << " -> " << html;
    }
  }
}

TEST(Markdown, EscapesTextAndSurvivesBadUtf8) {
  EXPECT_NE(MarkdownToHtml("a < b & c").find("a &lt; b &amp; c"), std::string::npos);
  std::string html = MarkdownToHtml("kapot \xC3\x28 \xFF einde");
  EXPECT_NE(html.find("einde"), std::string::npos);
}

TEST(Markdown, PlainTextDropsMarkup) {
  std::string text = MarkdownToText("## Kop\n\nEen **vette** [link](https://x.nl).\n\n- punt\n");
  EXPECT_NE(text.find("Kop"), std::string::npos);
  EXPECT_NE(text.find("Een vette link."), std::string::npos);
  EXPECT_EQ(text.find("**"), std::string::npos);
  EXPECT_EQ(text.find("https"), std::string::npos);
}

TEST(Markdown, DeepNestingDoesNotCrash) {
  std::string md(50000, '>');
  md += " x\n" + std::string(20000, '[') + std::string(20000, ']');
  EXPECT_FALSE(MarkdownToHtml(md).empty());
  (void)MarkdownToText(md);
}

}  // namespace
}  // namespace kpo::render
