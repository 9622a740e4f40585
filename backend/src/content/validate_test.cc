// ValidateItem's course checks and FormMessage: one routine, worded for
// files and the API by front-matter key and for forms by label.
#include "content/validate.h"

#include <gtest/gtest.h>

#include <set>

namespace kpo::content {
namespace {

std::string Label(const std::string& key) {
  if (key == "start") return "Begint";
  if (key == "end") return "Eindigt";
  if (key == "title") return "Titel";
  return key;
}

Item Course(SessionSpec session) {
  Item item;
  item.id = "cursus-x";
  item.title = "Cursus";
  item.type = "cursus";
  item.access = "members";
  item.status = "published";
  item.course.emplace();
  item.course->language = "nl";
  item.course->sessions = {std::move(session)};
  return item;
}

TEST(ValidateTest, ControlCharactersInTitleOrSummaryAreRefused) {
  auto fields = [](const Item& item) {
    std::set<std::string> out;
    for (const auto& e : ValidateItem(item, Vocabulary())) out.insert(e.field);
    return out;
  };
  Item item = Course({});
  item.course.reset();
  item.type = "handreiking";
  ASSERT_EQ(fields(item).count("title"), 0u);
  for (const std::string& bad : {std::string("Ti\0tel", 6), std::string("Ti\vtel"),
                                 std::string("Titel\r\nTweede regel"), std::string("Ti\x1btel")}) {
    Item t = item;
    t.title = bad;
    EXPECT_EQ(fields(t).count("title"), 1u) << bad;
  }
  Item summary = item;
  summary.summary = "Regel een.\r\nRegel twee.\tEn een tab.";  // a textarea's line ends
  EXPECT_EQ(fields(summary).count("summary"), 0u);
  summary.summary = std::string("Met een \0 erin.", 16);
  EXPECT_EQ(fields(summary).count("summary"), 1u);
}

TEST(ValidateTest, EndBeforeStartNamesKeysForFilesAndLabelsForForms) {
  Vocabulary vocabulary;
  auto errors = ValidateItem(
      Course({"mei", "2027-05-10T13:00", "2027-05-10T12:00", "Utrecht", 10, ""}), vocabulary);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "sessions.0.end");
  EXPECT_EQ(errors[0].message, "sessie 'mei': end moet na start liggen");
  // The label starts the sentence; it never stands in its middle as a noun.
  EXPECT_EQ(FormMessage(errors[0], Label), "Eindigt: kies een moment na het begin");
}

// A course's language is one the academy gives courses in, by code; its
// points stay below a keyboard slip. "zz" and 9999999 were accepted.
TEST(ValidateTest, LanguageComesFromTheListAndPointsHaveACeiling) {
  Vocabulary vocabulary;
  auto errors_for = [&](const std::string& language, long long points) {
    Item item = Course({"mei", "2027-05-10T09:00", "2027-05-10T12:00", "Utrecht", 10, ""});
    item.course->language = language;
    item.course->points = points;
    std::vector<std::string> out;
    for (const auto& e : ValidateItem(item, vocabulary)) {
      out.push_back(e.field + ": " + FormMessage(e, Label));
    }
    return out;
  };
  for (const char* ok : {"nl", "en", "de", "fr"}) EXPECT_TRUE(errors_for(ok, 6).empty()) << ok;
  for (const char* bad : {"zz", "NL", "", "nld", "Nederlands"}) {
    EXPECT_EQ(
        errors_for(bad, 6),
        std::vector<std::string>{"language: Language: kies uit Nederlands, Engels, Duits, Frans"})
        << bad;
  }
  // Files and the API are told the codes.
  Item zz = Course({"mei", "2027-05-10T09:00", "2027-05-10T12:00", "Utrecht", 10, ""});
  zz.course->language = "zz";
  const auto file_errors = ValidateItem(zz, vocabulary);
  ASSERT_EQ(file_errors.size(), 1u);
  EXPECT_EQ(file_errors[0].message, "onbekende taal (kies uit nl, en, de, fr)");
  EXPECT_TRUE(errors_for("nl", 1000).empty());
  EXPECT_EQ(
      errors_for("nl", 1001),
      std::vector<std::string>{"points: Points moet een geheel getal van 0 tot en met 1000 zijn"});
  EXPECT_EQ(errors_for("nl", 9999999).size(), 1u);
  EXPECT_EQ(errors_for("nl", -1).size(), 1u);
}

// A form says what is wrong with an id: its length, a dash at an end or
// its characters (a 150-letter id was told it held wrong characters).
TEST(ValidateTest, AnIdSaysWhatIsWrongWithIt) {
  Vocabulary vocabulary;
  auto problem = [&](const std::string& id) {
    Item item = Course({"mei", "2027-05-10T10:00", "2027-05-10T12:00", "Utrecht", 10, ""});
    item.id = id;
    for (const auto& e : ValidateItem(item, vocabulary)) {
      if (e.field == "id") return FormMessage(e, [](const std::string&) { return "Id"; });
    }
    return std::string();
  };
  EXPECT_EQ(problem(std::string(150, 'a')), "Id is te lang: 150 tekens, maximaal 100");
  EXPECT_EQ(problem("-cursus"), "Id mag niet met een streepje beginnen of eindigen");
  EXPECT_EQ(problem("Mijn Cursus"), "Id mag alleen kleine letters, cijfers en streepjes bevatten");
  EXPECT_EQ(problem("cursus-x"), "");
  // A session's id alike.
  auto errors = ValidateItem(
      Course({std::string(101, 'b'), "2027-05-10T10:00", "2027-05-10T12:00", "Utrecht", 10, ""}),
      vocabulary);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(FormMessage(errors[0], [](const std::string&) { return "Id"; }),
            "Id is te lang: 101 tekens, maximaal 100");
}

// A session's link is https: an http link is refused with the fix in
// words (it was stored and shown to members as a plain address).
TEST(ValidateTest, ASessionLinkMustBeHttps) {
  Vocabulary vocabulary;
  for (const char* link : {"http://example.org/meet", "HTTP://example.org/meet"}) {
    auto errors = ValidateItem(
        Course({"mei", "2027-05-10T09:00", "2027-05-10T12:00", link, 10, ""}), vocabulary);
    ASSERT_EQ(errors.size(), 1u) << link;
    EXPECT_EQ(errors[0].field, "sessions.0.location");
    EXPECT_EQ(FormMessage(errors[0], Label),
              "Location: een link begint met https://, niet met http://");  // the test label
  }
  EXPECT_TRUE(ValidateItem(Course({"mei", "2027-05-10T09:00", "2027-05-10T12:00",
                                   "https://example.org/meet", 10, ""}),
                           vocabulary)
                  .empty());
  EXPECT_TRUE(ValidateItem(Course({"mei", "2027-05-10T09:00", "2027-05-10T12:00",
                                   "Stadhuis, http-straat 1", 10, ""}),
                           vocabulary)
                  .empty());
}

TEST(ValidateTest, ReportsEveryProblemOfASession) {
  Vocabulary vocabulary;
  auto errors = ValidateItem(Course({"mei", "", "", "", 0, ""}), vocabulary);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  // In the order of the session form (its error summary reads top down).
  EXPECT_EQ(fields, (std::vector<std::string>{"sessions.0.start", "sessions.0.end",
                                              "sessions.0.location", "sessions.0.capacity"}));
}

TEST(ValidateTest, FormMessageIsCapitalisedOrFallsBackToLabelAndMessage) {
  EXPECT_EQ(FormMessage({"title", "titel ontbreekt", "{title} ontbreekt"}, Label),
            "Titel ontbreekt");
  EXPECT_EQ(FormMessage({"title", "iets", ""}, Label), "Titel: iets");
}

}  // namespace
}  // namespace kpo::content
