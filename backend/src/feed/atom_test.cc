// Atom rendering: escaping, dates, and characters XML cannot carry.
#include "feed/atom.h"

#include <gtest/gtest.h>

namespace kpo::feed {
namespace {

TEST(Atom, EscapesTextAndDropsCharactersXmlForbids) {
  Item item;
  item.id = "a-b";
  item.title = "Tom & Jerry <script>\x01\x1f";
  item.type = "nieuws";
  item.summary = "\"quoted\" 'single'";
  item.published = "2026-01-02";
  const std::string xml =
      RenderAtom({"tag:kpo.nl,2020:feed", "T", "/feed.atom", "2020-01-01T00:00:00Z"}, {item});
  EXPECT_NE(xml.find("<title>Tom &amp; Jerry &lt;script&gt;</title>"), std::string::npos);
  EXPECT_NE(xml.find("&quot;quoted&quot; &#39;single&#39;"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_NE(xml.find("<updated>2026-01-02T00:00:00Z</updated>"), std::string::npos);
  EXPECT_NE(xml.find("<link rel=\"alternate\" type=\"text/html\" href=\"/items/a-b\"/>"),
            std::string::npos);
}

TEST(Atom, FeedUpdatedIsTheNewestEntryOrTheGivenDate) {
  Item older, newer;
  older.id = "o";
  older.published = "2025-01-01";
  newer.id = "n";
  newer.published = "2025-01-01";
  newer.updated = "2026-03-04";
  const AtomFeed feed{"tag:x", "T", "/feed.atom", "2020-11-01T00:00:00Z"};
  const std::string xml = RenderAtom(feed, {older, newer});
  EXPECT_NE(
      xml.find("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n  <id>tag:x</id>\n"
               "  <title>T</title>\n  <updated>2026-03-04T00:00:00Z</updated>"),
      std::string::npos);
  EXPECT_NE(RenderAtom(feed, {}).find("<updated>2020-11-01T00:00:00Z</updated>"),
            std::string::npos);
}

}  // namespace
}  // namespace kpo::feed
