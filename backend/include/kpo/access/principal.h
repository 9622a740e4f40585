// Who is asking: the caller of a request, as far as access decisions go.
// Owns: roles and the principal value. Decisions live in access/policy.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kpo {

enum class Role { kAnonymous, kMember, kEditor, kRedactie, kAcademie, kAdmin };

// "member", "editor", ...; "anonymous" for kAnonymous.
const char* RoleName(Role role);
// Parses a role name; false when unknown (anonymous cannot be assigned).
bool ParseRole(const std::string& name, Role* role);

struct Principal {
  Role role = Role::kAnonymous;
  int64_t user_id = 0;  // 0 for anonymous
  std::string email;
  std::string name;                       // display name of an account; "" for tokens and anonymous
  std::vector<std::string> groups;        // partner groups (vocabulary keys)
  std::vector<std::string> werkplaatsen;  // werkplaatsen an editor edits for

  static Principal Anonymous() { return Principal(); }
  bool authenticated() const { return role != Role::kAnonymous; }
};

}  // namespace kpo
