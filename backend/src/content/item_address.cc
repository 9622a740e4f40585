#include "content/item_address.h"

#include <cctype>

#include "common/percent.h"
#include "content/validate.h"

namespace kpo::content {

std::optional<std::string> LinkedItemId(const std::string& url) {
  auto decoded = PercentDecode(url, false);
  if (!decoded) return std::nullopt;
  std::string path = *decoded;
  const size_t scheme = path.find("://");
  if (path.rfind("//", 0) == 0 || (scheme != std::string::npos && scheme < path.find('/'))) {
    const size_t host = path.rfind("//", 0) == 0 ? 2 : scheme + 3;
    const size_t slash = path.find('/', host);
    path = slash == std::string::npos ? std::string() : path.substr(slash);
  }
  path = path.substr(0, path.find_first_of("?#"));
  for (char& c : path) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string prefix : {"/items/", "/api/documents/"}) {
    if (path.rfind(prefix, 0) != 0) continue;
    std::string id = path.substr(prefix.size());
    id = id.substr(0, id.find('/'));
    if (IsValidKey(id)) return id;
  }
  return std::nullopt;
}

}  // namespace kpo::content
