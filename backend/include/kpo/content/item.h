// The knowledge item: one handreiking, product, cursus, news item or page.
// Owns: the item's fields and their allowed values. Values only; parsing
// lives in content/, storage in store/, indexing in search/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kpo/content/course.h"

namespace kpo {

struct Item {
  std::string id;                    // [a-z0-9-]+, unique
  std::string title;                 // required, non-empty
  std::string type;                  // handreiking | product | cursus | nieuws | pagina
  std::string summary;               // one or two sentences; may be empty
  std::vector<std::string> themes;   // vocabulary keys
  std::vector<std::string> regions;  // vocabulary keys
  std::string werkplaats;            // vocabulary key or empty
  std::string access = "members";    // public | members | restricted
  std::vector<std::string> groups;   // partner groups; only with restricted
  std::string published;             // YYYY-MM-DD or empty
  std::string status = "published";  // draft | published | archived
  std::vector<std::string> tags;
  std::string body_markdown;
  std::string body_text;     // plain text of the body, derived from body_markdown
  std::string source_path;   // content file it came from, relative to the content dir
  std::string content_hash;  // hash of the source bytes; unchanged hash = no re-index
  long long revision = 0;    // increases with every stored change
  std::string updated;       // YYYY-MM-DD of the last stored change (set by the store only)
  // The revision whose attachments the live version's readers see: that of
  // the latest approval (store::SaveRequest::approval) at or below
  // `revision`, so an upload goes live with an approval and with nothing
  // else. Set by the store only; 0 before any approval.
  long long attachments_revision = 0;
  // Academy fields and sessions of a `cursus` file (front matter); handed to
  // academy/ by the indexer, not stored with the item.
  std::optional<CourseFacts> course;
  // Where the item is edited: "file" (content/, by kpo-index) or "api" (over
  // the API, by editors). A file import never overwrites or removes an "api" item.
  std::string source = "file";
};

// The date (YYYY-MM-DD) of the item's last real change, "" when it has not
// changed since it was first stored: the store's first revision is the
// import (or first save) itself, and its date says nothing about the item
// (a fresh import would date every item today). The item page and the Atom
// feed both go by this, so they never disagree.
inline std::string ChangedDate(const Item& item) {
  return item.revision > 1 ? item.updated : std::string();
}

// The allowed values, in display order.
inline const std::vector<std::string>& ItemTypes() {
  static const std::vector<std::string> kTypes = {"handreiking", "product", "cursus", "nieuws",
                                                  "pagina"};
  return kTypes;
}
inline const std::vector<std::string>& AccessLevels() {
  static const std::vector<std::string> kLevels = {"public", "members", "restricted"};
  return kLevels;
}
inline const std::vector<std::string>& ItemStatuses() {
  static const std::vector<std::string> kStatuses = {"draft", "published", "archived"};
  return kStatuses;
}

}  // namespace kpo
