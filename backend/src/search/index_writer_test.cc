// The glossary's phrases and common-grams as terms: present exactly where
// Xapian's OP_PHRASE over the same words matches, and claimed in the metadata
// only when every document carries them. Real Xapian databases in a temporary directory.
#include "search/index_writer.h"

#include <gtest/gtest.h>

#include <set>

#include "search/schema.h"
#include "support/test_support.h"

namespace kpo::search {
namespace {

using kpo::testing::TempDir;

using Phrases = std::vector<std::vector<std::string>>;

Item MakeItem(const std::string& id, const std::string& title, const std::string& summary,
              std::vector<std::string> tags, const std::string& body) {
  Item item;
  item.id = id;
  item.title = title;
  item.summary = summary;
  item.tags = std::move(tags);
  item.body_text = body;
  item.type = "handreiking";
  item.access = "public";
  item.status = "published";
  item.published = "2024-01-01";
  return item;
}

std::set<std::string> Matches(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  std::set<std::string> ids;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount() + 1);
  for (auto it = mset.begin(); it != mset.end(); ++it) ids.insert(it.get_document().get_data());
  return ids;
}

std::set<std::string> Claimed(const Xapian::Database& db) {
  std::set<std::string> out;
  std::string listed = db.get_metadata(schema::kPhrasesKey);
  size_t start = 0;
  for (size_t nl; (nl = listed.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.insert(listed.substr(start, nl - start));
  }
  return out;
}

TEST(IndexWriterPhrases, TermsExactlyWherePositionsMatch) {
  TempDir dir;
  const Phrases phrases = {{"wet", "bibob"},
                           {"openbaar", "ministerie"},
                           {"wet", "ter", "voorkoming", "van", "witwassen"},
                           {"van", "de", "van"}};
  std::string long_summary;
  for (int i = 0; i < 999; ++i) long_summary += "tekst ";
  long_summary += "wet";  // the 1000th word, at position 1999
  const std::string long_word(schema::kMaxWordBytes + 1, 'x');
  const std::vector<Item> items = {
      MakeItem("gewoon", "De Wet Bibob", "", {}, "Over de wet bibob."),
      MakeItem("omgekeerd", "Bibob wet", "", {}, "bibob, wet"),
      // Title ends with one word, the summary starts with the next: the
      // fields' position gap keeps them apart.
      MakeItem("grens", "Over de wet", "Bibob is streng", {}, ""),
      // A summary longer than its gap runs into the tags' positions: Xapian
      // then sees "wet" at 1999 and "bibob" at 2000 as a phrase, and so must
      // the phrase term.
      MakeItem("overloop", "Titel", long_summary, {"bibob"}, ""),
      // Words too long to index are skipped without a position.
      MakeItem("lang", "Titel", "", {}, "wet " + long_word + " bibob"),
      MakeItem("herhaald", "Titel", "", {}, "van de van de van"),
      MakeItem("lang-fraseerd", "Wet ter voorkoming van witwassen", "", {},
               "Het openbaar ministerie vervolgt."),
      MakeItem("ongeveer", "Titel", "", {}, "wet ter voorkoming van het witwassen"),
  };
  {
    auto writer = IndexWriter::Open(dir.path(), nullptr);
    ASSERT_TRUE(writer.ok());
    (*writer)->IndexPhrases(phrases);
    for (const auto& item : items) ASSERT_TRUE((*writer)->Put(item).ok()) << item.id;
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  Xapian::Database db(dir.path() + "/" + schema::kMainDir);
  size_t nonempty = 0;
  for (const auto& p : phrases) {
    const std::string value = schema::PhraseValue(p);
    const auto by_positions =
        Matches(db, Xapian::Query(Xapian::Query::OP_PHRASE, p.begin(), p.end(),
                                  static_cast<Xapian::termcount>(p.size())));
    const auto by_term = Matches(db, Xapian::Query(schema::Term(schema::kPhrase, value)));
    EXPECT_EQ(by_term, by_positions) << value;
    if (!by_term.empty()) ++nonempty;
  }
  EXPECT_EQ(nonempty, phrases.size());
  // The cases above, spelled out.
  const auto wet_bibob = Matches(db, Xapian::Query(schema::Term(schema::kPhrase, "wet bibob")));
  EXPECT_EQ(wet_bibob, (std::set<std::string>{"gewoon", "overloop", "lang"}));
  EXPECT_EQ(Claimed(db), (std::set<std::string>{"wet bibob", "openbaar ministerie",
                                                "wet ter voorkoming van witwassen", "van de van"}));
}

TEST(IndexWriterPhrases, MetadataClaimsOnlyWhatEveryDocumentCarries) {
  TempDir dir;
  const Phrases first = {{"wet", "bibob"}};
  const Phrases second = {{"wet", "bibob"}, {"openbaar", "ministerie"}};
  auto put = [&](const Phrases& phrases, const std::string& id, bool clear) {
    auto writer = IndexWriter::Open(dir.path(), nullptr);
    ASSERT_TRUE(writer.ok());
    if (clear) {
      ASSERT_TRUE((*writer)->Clear().ok());
    }
    (*writer)->IndexPhrases(phrases);
    ASSERT_TRUE((*writer)->Put(MakeItem(id, "Wet Bibob", "", {}, "openbaar ministerie")).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  };
  put(first, "een", false);
  EXPECT_EQ(Claimed(Xapian::Database(dir.path() + "/main")), (std::set<std::string>{"wet bibob"}));
  // A later writer knows one more phrase, but "een" does not carry it.
  put(second, "twee", false);
  EXPECT_EQ(Claimed(Xapian::Database(dir.path() + "/main")), (std::set<std::string>{"wet bibob"}));
  // A writer without phrases makes no claim at all.
  put({}, "drie", false);
  EXPECT_TRUE(Claimed(Xapian::Database(dir.path() + "/main")).empty());
  // After a rebuild every document carries the new list.
  put(second, "vier", true);
  EXPECT_EQ(Claimed(Xapian::Database(dir.path() + "/main")),
            (std::set<std::string>{"wet bibob", "openbaar ministerie"}));
}

// Common-grams: every two adjacent pair words are a phrase term, present
// exactly where OP_PHRASE over the two words matches (field boundaries, fields
// that run into each other, punctuation, skipped long words, repeated words),
// and only there.
TEST(IndexWriterPhrases, PairTermsExactlyWherePositionsMatch) {
  TempDir dir;
  std::string long_summary;
  for (int i = 0; i < 999; ++i) long_summary += "tekst ";
  long_summary += "van";  // the 1000th word, at position 1999
  const std::string long_word(schema::kMaxWordBytes + 1, 'x');
  const std::vector<Item> items = {
      MakeItem("gewoon", "De gemeente", "", {}, "Van de gemeente, en van de regio."),
      MakeItem("leesteken", "Titel", "", {}, "gemeente. De regio; van: de"),
      // Title ends with one word, the summary starts with the next.
      MakeItem("grens", "Over de", "gemeente is streng", {}, ""),
      // The summary runs into the tags' positions: "van" at 1999, "de" at 2000.
      MakeItem("overloop", "Titel", long_summary, {"de"}, ""),
      MakeItem("lang", "Titel", "", {}, "van " + long_word + " de gemeente"),
      MakeItem("herhaald", "Titel", "", {}, "de de de van de van"),
      MakeItem("zonder", "Titel", "", {}, "gemeente regio"),
  };
  {
    auto writer = IndexWriter::Open(dir.path(), nullptr);
    ASSERT_TRUE(writer.ok());
    for (const auto& item : items) ASSERT_TRUE((*writer)->Put(item).ok()) << item.id;
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  Xapian::Database db(dir.path() + "/" + schema::kMainDir);
  EXPECT_EQ(db.get_metadata(schema::kPairsKey), "1");
  // Every pair of words of the corpus, in both orders.
  const std::vector<std::string> words = {"de",   "van", "en",    "gemeente", "regio",
                                          "over", "is",  "tekst", "titel",    "streng"};
  size_t pairs = 0;
  for (const auto& a : words) {
    for (const auto& b : words) {
      const std::vector<std::string> p = {a, b};
      const auto by_term =
          Matches(db, Xapian::Query(schema::Term(schema::kPhrase, schema::PhraseValue(p))));
      if (!schema::IsPairWord(a) || !schema::IsPairWord(b)) {
        EXPECT_TRUE(by_term.empty()) << a << " " << b;  // a rarer word: no term
        continue;
      }
      EXPECT_EQ(by_term,
                Matches(db, Xapian::Query(Xapian::Query::OP_PHRASE, p.begin(), p.end(), 2)))
          << a << " " << b;
      if (!by_term.empty()) ++pairs;
    }
  }
  EXPECT_GE(pairs, 5u);
  // The cases above, spelled out.
  const auto van_de = Matches(db, Xapian::Query(schema::Term(schema::kPhrase, "van de")));
  EXPECT_EQ(van_de, (std::set<std::string>{"gewoon", "leesteken", "overloop", "lang", "herhaald"}));
  // "de gemeente" occurs, but "gemeente" is no pair word.
  const std::vector<std::string> de_gemeente = {"de", "gemeente"};
  EXPECT_FALSE(Matches(db, Xapian::Query(Xapian::Query::OP_PHRASE, de_gemeente.begin(),
                                         de_gemeente.end(), 2))
                   .empty());
  EXPECT_EQ(db.get_termfreq(schema::Term(schema::kPhrase, "de gemeente")), 0u);
  const auto de_de = Matches(db, Xapian::Query(schema::Term(schema::kPhrase, "de de")));
  EXPECT_EQ(de_de, (std::set<std::string>{"herhaald"}));
}

TEST(IndexWriterPhrases, PairsClaimedOnlyWhenEveryDocumentCarriesThem) {
  TempDir dir;
  {
    // An index written before pair terms existed: documents without them.
    auto writer = IndexWriter::Open(dir.path(), nullptr);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Put(MakeItem("oud", "Van de gemeente", "", {}, "")).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  {
    Xapian::WritableDatabase db(dir.path() + "/" + schema::kMainDir);
    db.set_metadata(schema::kPairsKey, "");
    db.commit();
  }
  auto put = [&](const std::string& id, bool clear) {
    auto writer = IndexWriter::Open(dir.path(), nullptr);
    ASSERT_TRUE(writer.ok());
    if (clear) {
      ASSERT_TRUE((*writer)->Clear().ok());
    }
    ASSERT_TRUE((*writer)->Put(MakeItem(id, "Van de gemeente", "", {}, "")).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  };
  put("nieuw", false);
  EXPECT_EQ(Xapian::Database(dir.path() + "/main").get_metadata(schema::kPairsKey), "");
  put("herbouwd", true);
  EXPECT_EQ(Xapian::Database(dir.path() + "/main").get_metadata(schema::kPairsKey), "1");
  put("daarna", false);
  EXPECT_EQ(Xapian::Database(dir.path() + "/main").get_metadata(schema::kPairsKey), "1");
}

}  // namespace
}  // namespace kpo::search
