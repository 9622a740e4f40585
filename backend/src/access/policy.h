// The one place that decides who may read what. Owns: the access keys an item
// carries and the keys a principal holds; a principal may read an item when
// the two sets meet. The search index stores the item keys as boolean terms
// and filters every query by the principal's keys, so search, counts, facets,
// suggestions and document fetches all follow the same rule.
// May not touch: storage, Xapian, HTTP.
#pragma once

#include <string>
#include <vector>

#include "kpo/access/principal.h"
#include "kpo/content/item.h"

namespace kpo::access {

// Keys: "public", "members", "group:<g>", "werkplaats:<w>" (unpublished items
// of a werkplaats), "all" (every item; held by the redactie).
// Published public -> {public, all}; published members -> {members, all};
// published restricted -> {group:<g>..., all}; draft or archived ->
// {werkplaats:<w>, all} (only the werkplaats' editors and the redactie).
std::vector<std::string> ItemKeys(const Item& item);

// Anonymous -> {public}; any signed-in role -> {public, members, group:<g>...};
// editors add {werkplaats:<w>...}; the redactie holds {all}.
std::vector<std::string> PrincipalKeys(const Principal& principal);

// True when ItemKeys(item) and PrincipalKeys(principal) meet.
bool CanRead(const Principal& principal, const Item& item);

// Roles that may see who can read an item (GET /api/documents/{id}/access).
bool CanInspectAccess(const Principal& principal);

}  // namespace kpo::access
