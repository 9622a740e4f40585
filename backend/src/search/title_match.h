// How much of an item's title a one-word query covers: a weight beside BM25's.
// Owns: the posting source that reads schema::kTitleStem terms. May not touch:
// matching (it never adds or removes a match: it is always the optional side
// of OP_AND_MAYBE) or access (it only weighs matches the access filter let
// through).
//
// Why: BM25 here sees one document length, the whole item's. A long page
// titled "Oplosser" or "Draaitabel" lost to short pages that also name the
// word in a longer title ("Oplosser Opties", "Draaitabellen opmaken"), which
// BM25 favours for their length. The title says what a page is about, and how
// much of it the word covers does not depend on the length of the body: a
// title of n distinct stems that holds the word adds kTitleMatchScale x the
// word's idf x 1/sqrt(n). Only for one-word queries: beside other words it
// lifted pages with short generic titles ("Opties", "Index") over the how-to
// guides that answer a task (docs/search.md: measured on every judged set).
#pragma once

#include <string>

#include <xapian.h>

namespace kpo::search {

// The title-coverage weight of `stem` (a bare stem, without schema::kStem).
// Never matches an item on its own; use it only as the right side of
// OP_AND_MAYBE. Empty when no title holds the stem.
Xapian::Query TitleMatch(const std::string& stem);

}  // namespace kpo::search
