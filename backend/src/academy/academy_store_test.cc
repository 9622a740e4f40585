// The waiting list and its transactions on a real accounts.sqlite: promotion
// chains, idempotent enrolment, deadline and cancelled-session refusals,
// capacity changes, files versus API edits, and the audit lines.
#include "academy/academy_store.h"

#include <gtest/gtest.h>

#include "access/account_store.h"
#include "support/test_support.h"

namespace kpo::academy {
namespace {

constexpr int64_t kNow = 1800000000;            // 2027-01-15
constexpr int64_t kStart = 1806195600 + 86400;  // 2027-03-29T01:00Z
const Actor kActor{"tester@kpo.nl", "127.0.0.1"};

class AcademyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    access::AccountStoreOptions options;
    options.password = access::PasswordOptions::Minimum();
    auto accounts = access::AccountStore::Open(dir_.Sub("accounts.sqlite"), options);
    ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
    accounts_ = std::move(*accounts);
    for (int i = 1; i <= 8; ++i) {
      auto user = accounts_->CreateUser(
          {"lid" + std::to_string(i) + "@kpo.nl", "Lid " + std::to_string(i)}, "wachtwoord-12345");
      ASSERT_TRUE(user.ok()) << user.status().ToString();
      users_.push_back(user->id);
    }
    auto store = AcademyStore::Open(dir_.Sub("accounts.sqlite"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->PutSession("c", Write("s", 2), kNow, kActor).ok());
  }
  static SessionWrite Write(const std::string& id, int64_t capacity,
                            const std::string& deadline = "2027-03-20") {
    return SessionWrite{id, kStart, kStart + 3600, "Utrecht", capacity, deadline};
  }
  Place Enrol(int user, const std::string& session = "s") {
    auto place = store_->Enrol("c", session, users_[user - 1], "2027-01-15", kNow, kActor);
    EXPECT_TRUE(place.ok()) << place.status().ToString();
    return place.ok() ? *place : Place{};
  }
  // "enrolled" or "waiting:<position>" per user 1..8, "-" without a place.
  std::string States() {
    std::string out;
    for (int64_t id : users_) {
      auto places = store_->PlacesOf(id, "c");
      EXPECT_TRUE(places.ok());
      auto it = places->find("s");
      out += it == places->end()              ? "-"
             : it->second.state == "enrolled" ? "E"
                                              : "W" + std::to_string(it->second.position);
      out += " ";
    }
    return out;
  }
  int Audited(const std::string& event) {
    auto page = accounts_->ListAudit(1, 100);
    EXPECT_TRUE(page.ok());
    int n = 0;
    for (const auto& e : page->entries) n += e.event == event ? 1 : 0;
    return n;
  }

  testing::TempDir dir_;
  std::unique_ptr<access::AccountStore> accounts_;
  std::unique_ptr<AcademyStore> store_;
  std::vector<int64_t> users_;
};

TEST_F(AcademyStoreTest, FullSessionPutsMembersOnTheWaitingListInOrder) {
  EXPECT_EQ(Enrol(1).state, "enrolled");
  EXPECT_EQ(Enrol(2).state, "enrolled");
  Place third = Enrol(3);
  EXPECT_EQ(third.state, "waiting");
  EXPECT_EQ(third.position, 1);
  EXPECT_EQ(Enrol(4).position, 2);
  EXPECT_EQ(States(), "E E W1 W2 - - - - ");
  EXPECT_EQ(Audited("academy_enrolled"), 2);
  EXPECT_EQ(Audited("academy_waiting"), 2);
}

TEST_F(AcademyStoreTest, EnrollingTwiceKeepsThePlace) {
  Enrol(1);
  Enrol(2);
  EXPECT_EQ(Enrol(3).position, 1);
  EXPECT_EQ(Enrol(3).position, 1);
  EXPECT_EQ(Enrol(1).state, "enrolled");
  EXPECT_EQ(States(), "E E W1 - - - - - ");
  EXPECT_EQ(Audited("academy_waiting"), 1);
}

TEST_F(AcademyStoreTest, CancellationsPromoteAlongTheChain) {
  for (int u = 1; u <= 6; ++u) Enrol(u);
  EXPECT_EQ(States(), "E E W1 W2 W3 W4 - - ");
  ASSERT_TRUE(store_->Cancel("c", "s", users_[0], kNow, kActor).ok());
  EXPECT_EQ(States(), "- E E W1 W2 W3 - - ");
  // A waiting member leaving promotes nobody; those behind move up.
  ASSERT_TRUE(store_->Cancel("c", "s", users_[4], kNow, kActor).ok());
  EXPECT_EQ(States(), "- E E W1 - W2 - - ");
  ASSERT_TRUE(store_->Cancel("c", "s", users_[2], kNow, kActor).ok());
  EXPECT_EQ(States(), "- E - E - W1 - - ");
  ASSERT_TRUE(store_->Cancel("c", "s", users_[1], kNow, kActor).ok());
  EXPECT_EQ(States(), "- - - E - E - - ");
  EXPECT_EQ(Audited("academy_promoted"), 3);
  EXPECT_EQ(Audited("academy_cancelled"), 4);
  auto again = store_->Cancel("c", "s", users_[1], kNow, kActor);
  EXPECT_TRUE(again.Is(ErrorCode::kEnrolmentNotFound)) << again.ToString();
  // Re-enrolling after cancelling joins the back of the queue.
  Enrol(7);
  EXPECT_EQ(Enrol(1).position, 2);
}

TEST_F(AcademyStoreTest, RefusesAfterTheDeadlineAndAfterTheStart) {
  auto late = store_->Enrol("c", "s", users_[0], "2027-03-21", kNow, kActor);
  EXPECT_TRUE(late.status().Is(ErrorCode::kDeadlinePassed)) << late.status().ToString();
  EXPECT_NE(late.status().message().find("2027-03-20"), std::string::npos);
  auto started = store_->Enrol("c", "s", users_[0], "2027-03-01", kStart, kActor);
  EXPECT_TRUE(started.status().Is(ErrorCode::kDeadlinePassed));
  auto unknown = store_->Enrol("c", "nope", users_[0], "2027-01-15", kNow, kActor);
  EXPECT_TRUE(unknown.status().Is(ErrorCode::kSessionNotFound));
  EXPECT_EQ(States(), "- - - - - - - - ");
}

TEST_F(AcademyStoreTest, CancelledSessionRefusesNewPlacesAndKeepsOldOnes) {
  Enrol(1);
  auto cancelled = store_->CancelSession("c", "s", kNow, kActor);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_TRUE(cancelled->cancelled);
  auto refused = store_->Enrol("c", "s", users_[1], "2027-01-15", kNow, kActor);
  EXPECT_TRUE(refused.status().Is(ErrorCode::kSessionCancelled));
  auto mine = store_->EnrolmentsOf(users_[0]);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_TRUE((*mine)[0].session.cancelled);
  // Nobody is promoted into a cancelled session.
  Enrol(1);
  EXPECT_EQ(Audited("academy_session_cancelled"), 1);
}

TEST_F(AcademyStoreTest, RaisingCapacityPromotesLoweringRemovesNobody) {
  for (int u = 1; u <= 6; ++u) Enrol(u);
  auto raised = store_->SetCapacity("c", "s", 4, kNow, kActor);
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->enrolled, 4);
  EXPECT_EQ(raised->waiting, 2);
  EXPECT_EQ(States(), "E E E E W1 W2 - - ");
  auto lowered = store_->SetCapacity("c", "s", 1, kNow, kActor);
  ASSERT_TRUE(lowered.ok());
  EXPECT_EQ(lowered->enrolled, 4);
  ASSERT_TRUE(store_->Cancel("c", "s", users_[0], kNow, kActor).ok());
  EXPECT_EQ(States(), "- E E E W1 W2 - - ");  // still over capacity: nobody promoted
  EXPECT_EQ(Enrol(7).position, 3);
  EXPECT_TRUE(
      store_->SetCapacity("c", "nope", 3, kNow, kActor).status().Is(ErrorCode::kSessionNotFound));
}

TEST_F(AcademyStoreTest, FilesNeverOverwriteApiEdits) {
  CourseFacts facts;
  facts.provider = "Uit bestand";
  std::vector<SessionWrite> file = {Write("f1", 10), Write("f2", 10)};
  auto kept = store_->ImportFromFile("c", facts, file, kNow, Actor{"kpo-index", ""});
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, 0);  // nothing of the file was edited over the API yet
  ASSERT_TRUE(store_->SetCapacity("c", "f1", 3, kNow, kActor).ok());
  CourseFacts edited = facts;
  edited.provider = "Via API";
  ASSERT_TRUE(store_->PutCourse("c", edited, kNow, kActor).ok());
  Enrol(1, "f2");
  // The file changes f1's capacity, drops f2 and s, adds f3.
  facts.provider = "Nieuwer bestand";
  file = {Write("f1", 50), Write("f3", 10)};
  kept = store_->ImportFromFile("c", facts, file, kNow, Actor{"kpo-index", ""});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, 2);  // the course fields and f1
  auto course = store_->GetCourse("c");
  ASSERT_TRUE(course.ok() && course->has_value());
  EXPECT_EQ((*course)->facts.provider, "Via API");
  std::map<std::string, int64_t> capacity;
  for (const auto& s : (*course)->sessions) capacity[s.id] = s.capacity;
  // f2 stays (a member holds a place), s stays (API), f1 keeps the API capacity.
  EXPECT_EQ(capacity,
            (std::map<std::string, int64_t>{{"f1", 3}, {"f2", 10}, {"f3", 10}, {"s", 2}}));
  EXPECT_EQ(Audited("academy_course_imported"), 2);
}

TEST_F(AcademyStoreTest, ParticipantsListEnrolledThenWaiting) {
  for (int u : {3, 1, 2, 4}) Enrol(u);
  auto rows = store_->Participants("c", "s");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].email, "lid3@kpo.nl");
  EXPECT_EQ((*rows)[1].email, "lid1@kpo.nl");
  EXPECT_EQ((*rows)[2].email, "lid2@kpo.nl");
  EXPECT_EQ((*rows)[2].place.position, 1);
  EXPECT_EQ((*rows)[3].place.position, 2);
  EXPECT_TRUE(store_->Participants("c", "x").status().Is(ErrorCode::kSessionNotFound));
}

TEST_F(AcademyStoreTest, FeedTokensRotateAndRevoke) {
  EXPECT_FALSE(*store_->HasFeedToken(users_[0]));
  ASSERT_TRUE(store_->SetFeedToken(users_[0], "hash-a", kNow, kActor).ok());
  ASSERT_TRUE(store_->SetFeedToken(users_[0], "hash-b", kNow, kActor).ok());
  EXPECT_TRUE(*store_->HasFeedToken(users_[0]));
  EXPECT_FALSE(store_->FeedUser("hash-a")->has_value());
  EXPECT_EQ(**store_->FeedUser("hash-b"), users_[0]);
  ASSERT_TRUE(store_->RevokeFeedToken(users_[0], kNow, kActor).ok());
  EXPECT_FALSE(store_->FeedUser("hash-b")->has_value());
  EXPECT_FALSE(*store_->HasFeedToken(users_[0]));
}

}  // namespace
}  // namespace kpo::academy
