// Small pure helpers the portal's pages share: Dutch labels and dates,
// the pagination window, form bodies, safe redirect targets and URLs.
// Owns: how values are shown and linked. May not touch: the domain,
// templates, HTTP transport.
// Thread-safety: every function is pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kpo/access/principal.h"

namespace kpo::portal {

// "2022-05-24" -> "24 mei 2022"; anything else is returned unchanged.
std::string DutchDate(const std::string& iso_date);
// A local time "2027-01-12T09:30" (as the academy's SessionView gives it,
// already in Europe/Amsterdam) -> "di 12 januari 2027, 09:30"; anything
// else is returned unchanged.
std::string DutchDateTime(const std::string& local_time);
// "1 plaats vrij", "3 plaatsen vrij", "vol" (0 places).
std::string FreePlaces(int64_t free);
// "handreiking" -> "Handreiking"; unknown types unchanged.
std::string TypeLabel(const std::string& type);
// An attachment's size and kind as readers read them: "12 kB",
// "PDF-document" (by the detected MIME type; "bestand" when unknown).
std::string FileSize(int64_t bytes);
std::string FileKind(const std::string& mime);
// The Dutch role name shown in the header: lid, redacteur, redactie,
// academie, beheerder ("" for anonymous).
std::string RoleLabel(Role role);

// One entry of the pagination bar: a page number or a gap ("…").
struct PageLink {
  int number = 0;  // 0 for a gap
  bool current = false;
};
// First, last and `current` ± 2, with gaps between runs: every page is
// reachable in a few steps. Empty when there is one page or none.
std::vector<PageLink> PageWindow(int current, int last);

// Parses an application/x-www-form-urlencoded body. Later duplicates win.
// Malformed escapes make the field empty rather than failing the form.
std::map<std::string, std::string> ParseForm(const std::string& body);

// `next` when it is a path on this site ("/zoeken?q=x"), else "/". Refuses
// "//host", "/\\host", schemes and control characters (open redirects).
std::string SafeNext(const std::string& next);

}  // namespace kpo::portal
