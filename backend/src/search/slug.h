// Ids made from titles. The editorial service and the academy both make a
// new item's id here, so one title gives one address whichever screen
// created it. Owns: the slug rule only. May not touch: storage.
#pragma once

#include <string>
#include <string_view>

namespace kpo::search {

// A slug of `title` for an id: lowercase a-z0-9 words joined by '-', at most
// 60 characters, diacritics folded as search folds them ("Één aanpak voor
// café’s" -> "een-aanpak-voor-cafe-s"), so a permanent address keeps whole
// words. `fallback` when the title has no letter or digit. Always a valid
// content key (content::IsValidKey). Thread-safe.
std::string Slug(std::string_view title, std::string_view fallback);

}  // namespace kpo::search
