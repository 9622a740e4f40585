// The error table: every code has a unique wire name, a type and a status.
#include "kpo/status.h"

#include <gtest/gtest.h>

#include <set>

namespace kpo {
namespace {

TEST(ErrorTable, RowsAreCompleteAndUnique) {
  std::set<std::string> names;
#define KPO_ERROR_CHECK(name, wire, type, http)        \
  EXPECT_STREQ(WireName(ErrorCode::name), wire);       \
  EXPECT_EQ(HttpStatus(ErrorCode::name), http);        \
  EXPECT_EQ(TypeOf(ErrorCode::name), ErrorType::type); \
  EXPECT_TRUE(names.insert(wire).second) << wire;
  KPO_ERROR_CODES(KPO_ERROR_CHECK)
#undef KPO_ERROR_CHECK
  EXPECT_STREQ(WireName(ErrorCode::kOk), "ok");
  EXPECT_EQ(HttpStatus(ErrorCode::kOk), 200);
}

TEST(Status, CarriesMessageAndDetail) {
  Status s = Status::Error(ErrorCode::kInvalidSearchSize, "Te groot.", "size=10000");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.Is(ErrorCode::kInvalidSearchSize));
  EXPECT_EQ(s.ToString(), "invalid_search_size: Te groot. (size=10000)");
  EXPECT_EQ(HttpStatus(Status::Internal("x").code()), 500);
  EXPECT_STREQ(TypeName(TypeOf(ErrorCode::kTooManyRequests)), "auth");
}

TEST(StatusOr, HoldsValueOrStatus) {
  StatusOr<int> v = 3;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 3);
  StatusOr<int> e = Status::Error(ErrorCode::kDocumentNotFound, "Weg.");
  EXPECT_EQ(e.status().code(), ErrorCode::kDocumentNotFound);
}

}  // namespace
}  // namespace kpo
