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

// A blocked link is its text, not a link to the page itself (href="").
TEST(Markdown, ABlockedLinkIsWrittenAsItsText) {
  EXPECT_EQ(MarkdownToHtml("Zie [de regels](javascript:alert(1)) hier."),
            "<p>Zie de regels hier.</p>\n");
  EXPECT_EQ(MarkdownToHtml("![kaart](data:text/html;base64,PHNjcmlwdD4=)"), "<p>kaart</p>\n");
  EXPECT_EQ(MarkdownToHtml("[*vet* en `code`](VBScript:x)"),
            "<p><em>vet</em> en <code>code</code></p>\n");
  // A link inside a blocked one, and a blocked one inside a table cell.
  EXPECT_EQ(MarkdownToHtml("[![a](javascript:x)](file:///etc/passwd)"), "<p>a</p>\n");
  const std::string table = MarkdownToHtml("| a |\n|---|\n| [x](javascript:y) |\n");
  EXPECT_EQ(table.find("<a"), std::string::npos) << table;
  EXPECT_NE(table.find(">x<"), std::string::npos) << table;
  // Allowed targets stay links; an image in data: PNG stays an image.
  EXPECT_NE(MarkdownToHtml("[x](https://example.nl)").find("<a href="), std::string::npos);
  EXPECT_NE(MarkdownToHtml("![x](data:image/png;base64,iVBO)").find("<img src=\"data:image/png"),
            std::string::npos);
}

// For one reader: the links and images `keep` refuses are their text; the
// others, and the dangerous-scheme rule, stay as they are.
TEST(Markdown, LinksTheReaderMayNotFollowAreWrittenAsText) {
  auto keep = [](const std::string& url) { return url.find("dicht") == std::string::npos; };
  EXPECT_EQ(MarkdownToHtml("Zie [het *stuk*](/items/dicht) en [dit](/items/open).", keep),
            "<p>Zie het <em>stuk</em> en <a href=\"/items/open\">dit</a>.</p>\n");
  EXPECT_EQ(MarkdownToHtml("![de kaart](/api/documents/dicht/attachments/k.png)", keep),
            "<p>de kaart</p>\n");
  // Reference links, autolinks and links in a table cell alike.
  EXPECT_EQ(MarkdownToHtml("[a][r]\n\n[r]: https://kpo.nl/items/dicht\n", keep), "<p>a</p>\n");
  // A link whose text is its address would still show the address.
  EXPECT_EQ(MarkdownToHtml("Zie <https://kpo.nl/items/dicht>.", keep),
            "<p>Zie (link niet beschikbaar).</p>\n");
  EXPECT_EQ(
      MarkdownToHtml("[/items/dicht](https://kpo.nl/items/dicht) en [dicht](/items/dicht)", keep),
      "<p>(link niet beschikbaar) en dicht</p>\n");
  EXPECT_EQ(MarkdownToHtml("<https://kpo.nl/items/open>", keep),
            "<p><a href=\"https://kpo.nl/items/open\">https://kpo.nl/items/open</a></p>\n");
  const std::string table = MarkdownToHtml("| a |\n|---|\n| [x](/items/dicht) |\n", keep);
  EXPECT_EQ(table.find("<a"), std::string::npos) << table;
  EXPECT_EQ(MarkdownToHtml("[x](javascript:y)", [](const std::string&) { return true; }),
            "<p>x</p>\n");
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

// GFM pipe tables (content/ has 37 files with them): a table, not one
// paragraph with the delimiter row turned into em-dashes.
TEST(Markdown, RendersPipeTableAsTable) {
  std::string html = MarkdownToHtml(
      "Voor.\n\n| Fase | Wie |\n|---|:---:|\n| Signaal | *gemeente* |\n| Actie | `a|b` |\n\nNa.\n");
  EXPECT_NE(html.find("<table class=\"utrecht-table"), std::string::npos) << html;
  EXPECT_NE(html.find("<thead"), std::string::npos) << html;
  EXPECT_NE(html.find("<tbody"), std::string::npos) << html;
  EXPECT_NE(html.find(">Fase</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("kpo-table__cell--center\">Wie</th>"), std::string::npos) << html;
  EXPECT_NE(html.find(">Signaal</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<em>gemeente</em></td>"), std::string::npos) << html;
  // A pipe inside a code span does not split the cell.
  EXPECT_NE(html.find("<code>a|b</code></td>"), std::string::npos) << html;
  EXPECT_EQ(html.find("|"), html.find("a|b") + 1) << html;
  EXPECT_EQ(html.find("\xE2\x80\x94"), std::string::npos) << html;  // no em-dash
  EXPECT_NE(html.find("<p>Voor.</p>"), std::string::npos);
  EXPECT_NE(html.find("<p>Na.</p>"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);  // the CSP forbids inline styles
  // Its own scroll container, named uniquely per table on the page.
  std::string two = MarkdownToHtml("| a |\n|---|\n\n| b |\n|---|\n");
  EXPECT_NE(two.find("role=\"region\" aria-label=\"Tabel 1\" tabindex=\"0\">\n<table"),
            std::string::npos)
      << two;
  EXPECT_NE(two.find("aria-label=\"Tabel 2\""), std::string::npos) << two;
}

TEST(Markdown, PipeTableCellsAreSplitOnUnescapedPipesOnly) {
  std::string html =
      MarkdownToHtml("a | b | c\n--- | --- | ---\nx \\| y | `p \\| q` | **z**\nkort\n");
  EXPECT_NE(html.find(">x | y</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<code>p | q</code></td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>z</strong></td>"), std::string::npos) << html;
  // A short row is padded to the header's cells.
  EXPECT_NE(html.find(">kort</td><td class=\"utrecht-table__cell\"></td>"), std::string::npos)
      << html;
  // A cell is inline text: "# x" or "- x" in it is no heading or list.
  std::string blocks = MarkdownToHtml("| a | b |\n|---|---|\n| # kop | - punt |\n");
  EXPECT_NE(blocks.find("># kop</td>"), std::string::npos) << blocks;
  EXPECT_NE(blocks.find(">- punt</td>"), std::string::npos) << blocks;
}

TEST(Markdown, PipeTableCellsStaySafe) {
  std::string html = MarkdownToHtml(
      "| a | b |\n|---|---|\n| [x](javascript:alert(1)) | <script>alert(1)</script> |\n"
      "| <img src=x onerror=alert(1)> | [ok](https://example.nl) |\n");
  std::string lower = html;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(lower.find("<table"), std::string::npos) << html;
  EXPECT_EQ(lower.find("href=\"javascript"), std::string::npos) << html;
  EXPECT_EQ(lower.find("<script"), std::string::npos) << html;
  EXPECT_EQ(lower.find("<img"), std::string::npos) << html;
  EXPECT_EQ(lower.find("onerror"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"https://example.nl\""), std::string::npos) << html;
}

TEST(Markdown, PipesWithoutADelimiterRowStayAParagraph) {
  for (const char* md : {"a | b\nc | d\n", "| a | b |\n| c | d |\n", "| a | b |\n|---|\n| c |\n",
                         "| a | b |\n|--x|---|\n", "| a |\n"}) {
    std::string html = MarkdownToHtml(md);
    EXPECT_EQ(html.find("<table"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.rfind("<p>", 0), 0u) << md << " -> " << html;
  }
}

TEST(Markdown, PipeTableInCodeStaysCode) {
  std::string html = MarkdownToHtml("```\n| a | b |\n|---|---|\n| c | d |\n```\n");
  EXPECT_EQ(html.find("<table"), std::string::npos) << html;
  EXPECT_NE(html.find("<pre><code>| a | b |\n|---|---|\n| c | d |\n</code></pre>"),
            std::string::npos)
      << html;
  std::string indented = MarkdownToHtml("    | a | b |\n    |---|---|\n");
  EXPECT_EQ(indented.find("<table"), std::string::npos) << indented;
}

TEST(Markdown, PipeTableAsPlainTextHasTheCellsOnly) {
  std::string text = MarkdownToText(
      "## Kop\n\n| Fase | Wie |\n|:---|---:|\n| Signaal | **gemeente** |\n| Actie | `a|b` |\n");
  EXPECT_EQ(text, "Kop\nFase Wie\nSignaal gemeente\nActie a|b\n");
}

TEST(Markdown, NotShownListsWhatThePageDrops) {
  const NotShown none = FindNotShown("Gewoon [een link](/items/x) en ![plaatje](/a.png).");
  EXPECT_EQ(none.html, 0);
  EXPECT_TRUE(none.blocked.empty());
  EXPECT_TRUE(none.external_images.empty());

  const NotShown some = FindNotShown(
      "<div>blok</div>\n\nTekst met <b>vet</b>, [x](JavaScript:alert(1)), "
      "![y](data:text/html,boe), ![z](data:image/png;base64,AA==), [w](https://elders.nl), "
      "![v](https://elders.nl/v.png) en ![u](//cdn.example/u.png).\n\n"
      "| a | b |\n|---|---|\n| <i>c</i> | ![t](http://x.example/t.gif) |\n");
  EXPECT_EQ(some.html, 5);  // the block, <b>, </b>, <i>, </i>
  EXPECT_EQ(some.blocked, (std::vector<std::string>{"JavaScript:alert(1)", "data:text/html,boe"}));
  // A link elsewhere is fine; an image elsewhere is not loaded.
  EXPECT_EQ(some.external_images,
            (std::vector<std::string>{"https://elders.nl/v.png", "//cdn.example/u.png",
                                      "http://x.example/t.gif"}));
}

}  // namespace
}  // namespace kpo::render
