// The academy's rules in the policy: course keys, audience, who may enrol
// and who manages.
#include "access/policy.h"

#include <gtest/gtest.h>

namespace kpo::access {
namespace {

Item Course(const std::string& access, std::vector<std::string> groups = {}) {
  Item item;
  item.id = "c";
  item.type = "cursus";
  item.access = access;
  item.groups = std::move(groups);
  return item;
}

Principal Member(std::vector<std::string> groups, Role role = Role::kMember) {
  Principal p;
  p.role = role;
  p.user_id = 7;
  p.email = "lid@kpo.nl";
  p.groups = std::move(groups);
  return p;
}

TEST(Policy, AcademyManagersReadEveryCourseAndNothingElseExtra) {
  Principal manager = Member({}, Role::kAcademie);
  EXPECT_TRUE(CanRead(manager, Course("restricted", {"politie"})));
  Item news = Course("restricted", {"politie"});
  news.type = "nieuws";
  EXPECT_FALSE(CanRead(manager, news));
  EXPECT_FALSE(CanRead(Member({"gemeenten"}), Course("restricted", {"politie"})));
  EXPECT_TRUE(CanManageAcademy(manager));
  EXPECT_TRUE(CanReadParticipants(manager));
  for (Role r : {Role::kMember, Role::kEditor, Role::kRedactie, Role::kAdmin}) {
    EXPECT_FALSE(CanManageAcademy(Member({}, r))) << RoleName(r);
    EXPECT_FALSE(CanReadParticipants(Member({}, r))) << RoleName(r);
  }
}

// The academy's key opens every course readers see, never the redactie's
// work on one (it read the drafts, revisions and pending attachments of
// every course before).
TEST(Policy, TheRedactiesWorkOnACourseIsNotTheAcademys) {
  Item course = Course("members");
  course.werkplaats = "bibob";
  EXPECT_FALSE(CanReadWork(Member({}, Role::kAcademie), course));
  EXPECT_FALSE(CanReadWork(Member({}), course));
  EXPECT_TRUE(CanReadWork(Member({}, Role::kRedactie), course));
  EXPECT_TRUE(CanReadWork(Member({}, Role::kAdmin), course));
  Principal editor = Member({}, Role::kEditor);
  editor.werkplaatsen = {"bibob"};
  EXPECT_TRUE(CanReadWork(editor, course));
  editor.werkplaatsen = {"vastgoed"};
  EXPECT_FALSE(CanReadWork(editor, course));
}

TEST(Policy, EnrolmentFollowsTheAudience) {
  const Item open = Course("members");
  const Item politie = Course("restricted", {"politie", "kmar"});
  EXPECT_TRUE(CourseAudience(open).empty());
  EXPECT_EQ(CourseAudience(politie), (std::vector<std::string>{"politie", "kmar"}));
  EXPECT_TRUE(CanEnrol(Member({}), open));
  EXPECT_TRUE(CanEnrol(Member({"kmar"}), politie));
  EXPECT_FALSE(CanEnrol(Member({"gemeenten"}), politie));
  EXPECT_FALSE(CanEnrol(Member({}, Role::kRedactie), politie));  // reads it, not its audience
  EXPECT_FALSE(CanEnrol(Principal::Anonymous(), open));
  Principal token = Member({"politie"});
  token.user_id = 0;  // an API token: places belong to people
  EXPECT_FALSE(CanEnrol(token, politie));
}

}  // namespace
}  // namespace kpo::access
