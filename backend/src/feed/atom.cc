// Implements atom.h.
#include "feed/atom.h"

#include "search/snippet.h"

namespace kpo::feed {

namespace {

// XML-escapes `text` (search's escaping serves XML as well) after dropping
// C0 controls other than tab/newline/CR, which XML 1.0 does not allow even
// escaped.
std::string Escape(const std::string& text) {
  std::string allowed;
  allowed.reserve(text.size());
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
      allowed.push_back(c);
    }
  }
  return search::EscapeHtml(allowed);
}

std::string EntryUpdated(const Item& item) {
  const std::string changed = ChangedDate(item);
  const std::string& day = !changed.empty() ? changed : item.published;
  return day.empty() ? "1970-01-01T00:00:00Z" : day + "T00:00:00Z";
}

const char* TypeLabel(const std::string& type) {
  if (type == "nieuws") return "Nieuws";
  if (type == "product") return "Product";
  if (type == "handreiking") return "Handreiking";
  if (type == "cursus") return "Cursus";
  return "Pagina";
}

}  // namespace

std::string RenderAtom(const AtomFeed& feed, const std::vector<Item>& items) {
  std::string updated = feed.updated;
  for (const auto& item : items) {
    const std::string u = EntryUpdated(item);
    if (updated.empty() || u > updated) updated = u;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n";
  out += "  <id>" + Escape(feed.id) + "</id>\n";
  out += "  <title>" + Escape(feed.title) + "</title>\n";
  out += "  <updated>" + Escape(updated) + "</updated>\n";
  out += "  <author><name>Kennisplatform Ondermijning</name></author>\n";
  out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + Escape(feed.self_path) +
         "\"/>\n";
  out += "  <link rel=\"alternate\" type=\"text/html\" href=\"/\"/>\n";
  for (const auto& item : items) {
    out += "  <entry>\n";
    out += "    <id>tag:kpo.nl,2020:items/" + Escape(item.id) + "</id>\n";
    out += "    <title>" + Escape(item.title) + "</title>\n";
    out += "    <updated>" + Escape(EntryUpdated(item)) + "</updated>\n";
    if (!item.published.empty()) {
      out += "    <published>" + Escape(item.published) + "T00:00:00Z</published>\n";
    }
    out += "    <link rel=\"alternate\" type=\"text/html\" href=\"/items/" + Escape(item.id) +
           "\"/>\n";
    out += "    <category term=\"" + Escape(item.type) + "\" label=\"" +
           Escape(TypeLabel(item.type)) + "\"/>\n";
    if (!item.summary.empty()) out += "    <summary>" + Escape(item.summary) + "</summary>\n";
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace kpo::feed
