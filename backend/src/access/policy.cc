// Implements policy.h and the role names of principal.h.
#include "access/policy.h"

#include <algorithm>

namespace kpo {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAnonymous:
      return "anonymous";
    case Role::kMember:
      return "member";
    case Role::kEditor:
      return "editor";
    case Role::kRedactie:
      return "redactie";
    case Role::kAcademie:
      return "academie";
    case Role::kAdmin:
      return "admin";
  }
  return "anonymous";
}

bool ParseRole(const std::string& name, Role* role) {
  for (Role r : {Role::kMember, Role::kEditor, Role::kRedactie, Role::kAcademie, Role::kAdmin}) {
    if (name == RoleName(r)) {
      *role = r;
      return true;
    }
  }
  return false;
}

}  // namespace kpo

namespace kpo::access {

std::vector<std::string> ItemKeys(const Item& item) {
  std::vector<std::string> keys;
  if (item.status == "published") {
    if (item.access == "public") {
      keys.push_back("public");
    } else if (item.access == "restricted") {
      for (const auto& g : item.groups) keys.push_back("group:" + g);
    } else {
      keys.push_back("members");
    }
  } else {
    if (!item.werkplaats.empty()) keys.push_back("werkplaats:" + item.werkplaats);
    // Editorial (issue 10): admin reads unpublished items too.
    keys.push_back("unpublished");
  }
  if (item.type == "cursus") keys.push_back("academie");
  keys.push_back("all");
  return keys;
}

std::vector<std::string> PrincipalKeys(const Principal& principal) {
  switch (principal.role) {
    case Role::kAnonymous:
      return {"public"};
    case Role::kRedactie:
      return {"all"};
    default:
      break;
  }
  std::vector<std::string> keys = {"public", "members"};
  for (const auto& g : principal.groups) keys.push_back("group:" + g);
  if (principal.role == Role::kEditor) {
    for (const auto& w : principal.werkplaatsen) keys.push_back("werkplaats:" + w);
  }
  if (principal.role == Role::kAcademie) keys.push_back("academie");
  if (principal.role == Role::kAdmin) keys.push_back("unpublished");
  return keys;
}

namespace {

bool KeysMeet(const Principal& principal, const std::vector<std::string>& item_keys) {
  for (const auto& key : PrincipalKeys(principal)) {
    if (std::find(item_keys.begin(), item_keys.end(), key) != item_keys.end()) return true;
  }
  return false;
}

}  // namespace

bool CanRead(const Principal& principal, const Item& item) {
  return KeysMeet(principal, ItemKeys(item));
}

bool CanReadWork(const Principal& principal, const Item& item) {
  Item work = item;
  work.status = "draft";
  auto item_keys = ItemKeys(work);
  item_keys.erase(std::remove(item_keys.begin(), item_keys.end(), "academie"), item_keys.end());
  return KeysMeet(principal, item_keys);
}

bool CanInspectAccess(const Principal& principal) {
  return principal.role == Role::kRedactie || principal.role == Role::kAdmin;
}

std::vector<std::string> CourseAudience(const Item& course) {
  return course.access == "restricted" ? course.groups : std::vector<std::string>();
}

bool CanManageAcademy(const Principal& principal) { return principal.role == Role::kAcademie; }

bool CanEnrol(const Principal& principal, const Item& course) {
  if (!principal.authenticated() || principal.user_id == 0) return false;
  const auto audience = CourseAudience(course);
  if (audience.empty()) return true;
  return std::any_of(audience.begin(), audience.end(), [&](const std::string& g) {
    return std::find(principal.groups.begin(), principal.groups.end(), g) != principal.groups.end();
  });
}

bool CanReadParticipants(const Principal& principal) { return CanManageAcademy(principal); }

}  // namespace kpo::access
