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
// of a werkplaats), "unpublished" (every unpublished item; held by admin),
// "academie" (every course, whatever its audience or state;
// held by academy managers), "all" (every item; held by the redactie).
// Published public -> {public, all}; published members -> {members, all};
// published restricted -> {group:<g>..., all}; draft or archived ->
// {werkplaats:<w>, unpublished, all} (only the werkplaats' editors, admin
// and the redactie).
std::vector<std::string> ItemKeys(const Item& item);

// Anonymous -> {public}; any signed-in role -> {public, members, group:<g>...};
// editors add {werkplaats:<w>...}; admin adds {unpublished}; the redactie
// holds {all}.
std::vector<std::string> PrincipalKeys(const Principal& principal);

// True when ItemKeys(item) and PrincipalKeys(principal) meet.
bool CanRead(const Principal& principal, const Item& item);

// Who reads the editorial work on `item` (a draft beside it, or the item
// while unpublished): the keys of the item unpublished, so its
// werkplaats's editors, the redactie and admins — not the academy, whose
// key opens every course readers see but not the redactie's work on one.
bool CanReadWork(const Principal& principal, const Item& item);

// Roles that may see who can read an item (GET /api/documents/{id}/access).
bool CanInspectAccess(const Principal& principal);

// --- academy ----------------------------------------------------------------
// A course's audience is its partner groups (`access: restricted` with
// `groups`), so who sees a course in search, listings and calendars follows
// ItemKeys like any item; empty means every member.
std::vector<std::string> CourseAudience(const Item& course);
// Academy managers (role academie): edit courses' academy fields and
// sessions, change capacity, cancel sessions, read participant lists.
bool CanManageAcademy(const Principal& principal);
// May `principal` take a place on a session of `course`? A signed-in
// account (not an API token: places belong to people) in the audience.
// Readers outside the audience (the redactie, academy managers) may read
// the course but not enrol.
bool CanEnrol(const Principal& principal, const Item& course);
// May `principal` read the participants of a session (names, e-mail,
// organisation)? Only academy managers; members see only their own place.
bool CanReadParticipants(const Principal& principal);

}  // namespace kpo::access
