// Implements api_json.h.
#include "http/api_json.h"

namespace kpo::http {

nlohmann::json ItemSummaryJson(const Item& item) {
  return {{"id", item.id},
          {"title", item.title},
          {"type", item.type},
          {"summary", item.summary},
          {"url", "/api/documents/" + item.id},
          {"published", item.published},
          {"themes", item.themes},
          {"regions", item.regions},
          {"werkplaats", item.werkplaats},
          {"access", item.access},
          {"status", item.status}};
}

nlohmann::json SearchPageJson(const knowledge::SearchPage& page) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& hit : page.hits) {
    nlohmann::json r = ItemSummaryJson(hit.item);
    r["snippet"] = hit.snippet;
    r["partial"] = hit.partial;
    if (!hit.attachment.empty()) r["attachment"] = hit.attachment;  // issue 10
    results.push_back(std::move(r));
  }
  nlohmann::json facets = nlohmann::json::object();
  for (const char* facet : {"type", "theme", "region", "werkplaats", "year"}) {
    facets[facet] = nlohmann::json::object();
    auto it = page.facets.find(facet);
    if (it == page.facets.end()) continue;
    for (const auto& [value, count] : it->second) facets[facet][value] = count;
  }
  // Moved in, not listed in an initializer: that would deep-copy the page.
  nlohmann::json out = {{"query", page.query},
                        {"total", page.total},
                        {"page", page.page},
                        {"size", page.size},
                        {"sort", page.sort}};
  out["results"] = std::move(results);
  out["facets"] = std::move(facets);
  out["corrected"] = page.corrected;
  out["relaxed"] = page.relaxed;
  out["suggestion"] = page.suggestion.empty() ? nlohmann::json() : nlohmann::json(page.suggestion);
  out["also_searched"] = page.also_searched;
  return out;
}

nlohmann::json DocumentJson(const knowledge::Document& doc) {
  nlohmann::json out = ItemSummaryJson(doc.item);
  out["tags"] = doc.item.tags;
  out["groups"] = doc.item.groups;
  out["revision"] = doc.item.revision;
  out["html"] = doc.html;
  return out;
}

nlohmann::json SuggestionsJson(const std::string& q, const knowledge::Suggestions& s) {
  nlohmann::json titles = nlohmann::json::array();
  for (const auto& item : s.titles) {
    titles.push_back({{"id", item.id},
                      {"title", item.title},
                      {"type", item.type},
                      {"url", "/api/documents/" + item.id}});
  }
  return {{"query", q}, {"completions", s.completions}, {"titles", titles}};
}

nlohmann::json ReadinessJson(const knowledge::Readiness& ready) {
  return {{"status", "ready"},
          {"pending_index_jobs", ready.pending_index_jobs},
          {"index_generation", ready.index_generation}};
}

nlohmann::json HealthJson(const knowledge::Health& health) {
  return {{"status", "ok"},
          {"items", health.visible_items},
          {"index_generation", health.index_generation}};
}

nlohmann::json VocabularyJson(const content::Vocabulary& vocabulary) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [kind, entries] : vocabulary.all()) {
    out[kind] = nlohmann::json::object();
    for (const auto& [key, label] : entries) out[kind][key] = label;
  }
  out["types"] = ItemTypes();
  return out;
}

nlohmann::json AccessReportJson(const std::string& id, const knowledge::AccessReport& report) {
  return {{"id", id},
          {"access", report.access},
          {"status", report.status},
          {"roles", report.roles},
          {"groups", report.groups},
          {"werkplaatsen", report.werkplaatsen}};
}

nlohmann::json PrincipalJson(const Principal& principal) {
  return {{"id", principal.user_id},
          {"email", principal.email},
          {"role", RoleName(principal.role)},
          {"groups", principal.groups},
          {"werkplaatsen", principal.werkplaatsen}};
}

nlohmann::json UserJson(const access::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.name},
          {"role", RoleName(user.role)},
          {"groups", user.groups},
          {"werkplaatsen", user.werkplaatsen},
          {"disabled", user.disabled},
          {"created_at", user.created_at}};
}

nlohmann::json AuditJson(const access::AuditPage& page, int64_t page_no, int64_t size) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : page.entries) {
    nlohmann::json detail =
        nlohmann::json::parse(e.detail.empty() ? "{}" : e.detail, nullptr, false);
    entries.push_back({{"id", e.id},
                       {"at", e.at},
                       {"actor", e.actor},
                       {"event", e.event},
                       {"subject", e.subject},
                       {"address", e.address},
                       {"detail", detail.is_discarded() ? nlohmann::json::object() : detail}});
  }
  return {{"total", page.total}, {"page", page_no}, {"size", size}, {"entries", entries}};
}

nlohmann::json ZeroResultsJson(const std::vector<searchlog::ZeroResult>& zero) {
  nlohmann::json out = {{"days", 30}, {"queries", nlohmann::json::array()}};
  for (const auto& z : zero) {
    out["queries"].push_back({{"query", z.query}, {"count", z.count}, {"last_day", z.last_day}});
  }
  return out;
}

}  // namespace kpo::http
