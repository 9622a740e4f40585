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
  newer.revision = 2;  // changed after it was first stored
  const AtomFeed feed{"tag:x", "T", "/feed.atom", "2020-11-01T00:00:00Z"};
  const std::string xml = RenderAtom(feed, {older, newer});
  EXPECT_NE(
      xml.find("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n  <id>tag:x</id>\n"
               "  <title>T</title>\n  <updated>2026-03-04T00:00:00Z</updated>"),
      std::string::npos);
  EXPECT_NE(RenderAtom(feed, {}).find("<updated>2020-11-01T00:00:00Z</updated>"),
            std::string::npos);
}

// The date of the first stored revision is the import, not a change: an
// entry imported today that never changed carries its published date (the
// reported bug: every entry said today).
TEST(Atom, EntryUpdatedIsTheLastRealChangeElsePublished) {
  Item imported, changed;
  imported.id = "imported";
  imported.published = "2024-05-06";
  imported.updated = "2026-12-01";  // the day of the import
  imported.revision = 1;
  changed.id = "changed";
  changed.published = "2024-05-06";
  changed.updated = "2025-07-08";
  changed.revision = 3;
  const AtomFeed feed{"tag:x", "T", "/feed.atom", "2020-11-01T00:00:00Z"};
  const std::string xml = RenderAtom(feed, {imported, changed});
  EXPECT_EQ(xml.find("2026-12-01"), std::string::npos);
  const size_t first = xml.find("<entry>");
  const size_t second = xml.find("<entry>", first + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_NE(xml.substr(first, second - first).find("<updated>2024-05-06T00:00:00Z</updated>"),
            std::string::npos);
  EXPECT_NE(xml.substr(second).find("<updated>2025-07-08T00:00:00Z</updated>"), std::string::npos);
  // The feed's own updated is the newest entry's.
  EXPECT_NE(xml.find("<updated>2025-07-08T00:00:00Z</updated>"), std::string::npos);
}

}  // namespace
}  // namespace kpo::feed
