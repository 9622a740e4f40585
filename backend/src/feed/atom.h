// Atom 1.0 (RFC 4287) documents of items. Owns: the XML of /feed.atom and
// of the personal feeds: element names, escaping, dates. Pure: it renders
// what it is given and decides nothing about who may read what.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "kpo/content/item.h"

namespace kpo::feed {

struct AtomFeed {
  std::string id;         // a URI naming the feed, e.g. "tag:kpo.nl,2020:feed"
  std::string title;      // "Kennisplatform Ondermijning — nieuws en producten"
  std::string self_path;  // the feed's own path, e.g. "/feed.atom"
  std::string updated;    // RFC 3339; used when there are no entries
};

// The feed with one entry per item, in the given order. Entries link to
// /items/<id> (a relative reference, so no Host header is ever trusted) and
// are identified by "tag:kpo.nl,2020:items/<id>"; an entry's updated is its
// ChangedDate (kpo/content/item.h: a real change, not the import), else its
// `published` date, at midnight UTC; the feed's updated is
// the newest entry's. Text is XML-escaped; characters XML 1.0 forbids are
// dropped, so any stored text gives a well-formed document.
std::string RenderAtom(const AtomFeed& feed, const std::vector<Item>& items);

}  // namespace kpo::feed
