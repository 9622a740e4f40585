// The JSON shape of every API answer, in one place. Owns: field names.
#pragma once

#include <nlohmann/json.hpp>

#include "access/auth_service.h"
#include "content/vocabulary.h"
#include "knowledge/knowledge_base.h"
#include "searchlog/search_log.h"

namespace kpo::http {

nlohmann::json ItemSummaryJson(const Item& item);
nlohmann::json SearchPageJson(const knowledge::SearchPage& page);
nlohmann::json DocumentJson(const knowledge::Document& doc);
nlohmann::json SuggestionsJson(const std::string& q, const knowledge::Suggestions& s);
nlohmann::json HealthJson(const knowledge::Health& health);
nlohmann::json ReadinessJson(const knowledge::Readiness& ready);
nlohmann::json VocabularyJson(const content::Vocabulary& vocabulary);
nlohmann::json AccessReportJson(const std::string& id, const knowledge::AccessReport& report);
nlohmann::json PrincipalJson(const Principal& principal);
nlohmann::json UserJson(const access::User& user);
nlohmann::json AuditJson(const access::AuditPage& page, int64_t page_no, int64_t size);
// Issue 10: the searches that found nothing, as the redactie dashboard and
// GET /api/redactie/zero-results show them.
nlohmann::json ZeroResultsJson(const std::vector<searchlog::ZeroResult>& zero);

}  // namespace kpo::http
