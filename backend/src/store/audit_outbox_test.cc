// The audit outbox: lines leave it only once their owner took them, in
// order, and a refusal keeps the rest for the next drain.
#include "store/audit_outbox.h"

#include <gtest/gtest.h>

#include <vector>

#include "store/sqlite.h"
#include "support/test_support.h"

namespace kpo::store {
namespace {

TEST(AuditOutbox, DeliversInOrderAndKeepsWhatWasRefused) {
  testing::TempDir dir;
  auto db = Db::Open(dir.Sub("x.sqlite"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec(kAuditOutboxSchema).ok());
  for (const char* event : {"een", "twee", "drie"}) {
    ASSERT_TRUE(AddToOutbox(db->get(), {0, 1, "a@kpo.nl", event, "item", "{}", ""}).ok());
  }
  std::vector<std::string> got;
  auto first = DrainOutbox(db->get(), [&](const OutboxLine& line) {
    if (line.event == "twee") return Status::Error(ErrorCode::kStorageError, "vol");
    got.push_back(line.event);
    return Status::Ok();
  });
  EXPECT_FALSE(first.ok());
  EXPECT_EQ(got, std::vector<std::string>{"een"});
  auto second = DrainOutbox(db->get(), [&](const OutboxLine& line) {
    got.push_back(line.event);
    return Status::Ok();
  });
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2);
  EXPECT_EQ(got, (std::vector<std::string>{"een", "twee", "drie"}));
  auto empty = DrainOutbox(db->get(), [](const OutboxLine&) { return Status::Ok(); });
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, 0);
}

}  // namespace
}  // namespace kpo::store
