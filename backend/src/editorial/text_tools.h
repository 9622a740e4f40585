// The editorial service's pure text work: moments in time, the readable
// line diff of two revisions, internal links in a body and the B1
// readability indicator. Owns: those computations. May not touch: storage,
// access, HTTP. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "editorial/service.h"
#include "kpo/content/item.h"
#include "kpo/status.h"

namespace kpo::editorial {

// Unix seconds as "2026-11-29T12:00:00Z".
std::string FormatUtc(int64_t unix_seconds);
// A moment as unix seconds: "2026-11-29T12:00:00Z", "2026-11-29T13:00+01:00"
// (seconds optional), or local Dutch time without an offset
// ("2026-11-29T13:00", Europe/Amsterdam, read by common/local_time.h as
// the academy reads its sessions). Errors: kInvalidField (Dutch, naming the
// field 'at'), also for a local time the clocks skip or show twice.
StatusOr<int64_t> ParseMoment(const std::string& text);

// An item as lines to compare: the fields as front-matter lines
// ("title: …", "themes: a, b"), an empty line, then the body's lines.
std::vector<std::string> ItemLines(const Item& item);
// A line diff of `from` and `to` (longest common subsequence; when both
// sides' differing middle is very large, it is shown as removed then added).
LineDiff DiffLines(const std::vector<std::string>& from, const std::vector<std::string>& to);

// Ids of the items a Markdown body links to inside KPO (/items/<id> and
// /api/documents/<id>, with or without a site's address), each once, in
// order of appearance: every link and image target cmark renders
// (reference links too), percent-decoded and lower-cased as the router
// reads a path ("/items/%68andreiking" opens "handreiking").
std::vector<std::string> InternalLinks(const std::string& markdown);

// The B1 indicator of a plain text (render::MarkdownToText of the body).
Readability MeasureReadability(const std::string& text);

}  // namespace kpo::editorial
