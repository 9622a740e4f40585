// Implements caller.h.
#include "http/caller.h"

#include <algorithm>
#include <cctype>

namespace kpo::http {

StatusOr<Caller> Identify(access::AuthService* auth, const Request& req) {
  Caller caller;
  const std::string authorization = req.Header("authorization");
  if (!authorization.empty()) {
    if (authorization.rfind("Bearer ", 0) != 0) {
      return Status::Error(ErrorCode::kInvalidToken,
                           "Gebruik de header 'Authorization: Bearer <token>'.");
    }
    auto principal = auth->AuthenticateToken(authorization.substr(7), req.remote_address);
    if (!principal.ok()) return principal.status();
    caller.principal = *principal;
    return caller;
  }
  auto cookie = req.cookies.find(kSessionCookie);
  if (cookie != req.cookies.end() && !cookie->second.empty()) {
    auto session = auth->AuthenticateSession(cookie->second);
    if (!session.ok()) return session.status();
    caller.principal = session->principal;
    caller.csrf_token = session->csrf_token;
    caller.via_cookie = true;
  }
  return caller;
}

Status CheckCsrf(access::AuthService* auth, const Caller& caller, const Request& req) {
  if (!caller.via_cookie) return Status::Ok();
  return auth->CheckCsrf(caller.csrf_token, req.Header("x-csrf-token"));
}

Status CheckSignedInUploader(access::AuthService* auth, const Request& req, bool csrf_header) {
  auto caller = Identify(auth, req);
  if (!caller.ok()) return caller.status();
  // The same answers as WithWrite gives once the body is in.
  if (!caller->principal.authenticated()) {
    return Status::Error(ErrorCode::kAuthenticationRequired, "Log eerst in.");
  }
  return csrf_header ? CheckCsrf(auth, *caller, req) : Status::Ok();
}

StatusOr<nlohmann::json> ParseJsonBody(const Request& req) {
  // Media types are case-insensitive (RFC 9110 8.3.1).
  std::string type = req.Header("content-type");
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type.rfind("application/json", 0) != 0) {
    return Status::Error(ErrorCode::kUnsupportedMediaType,
                         "Stuur de gegevens als JSON met 'Content-Type: application/json'.");
  }
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::Error(ErrorCode::kInvalidJson, "De body is geen geldig JSON-object.");
  }
  return body;
}

Status OnlyFields(const nlohmann::json& body, const std::vector<std::string>& allowed) {
  for (auto field = body.begin(); field != body.end(); ++field) {
    const std::string& key = field.key();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string names;
    for (const auto& name : allowed) names += (names.empty() ? "" : ", ") + name;
    // Cut at a character boundary: the message is JSON text.
    size_t cut = std::min<size_t>(key.size(), 60);
    while (cut < key.size() && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
    return Status::Error(
        ErrorCode::kInvalidField,
        "Onbekend veld '" + key.substr(0, cut) + "'. " +
            (names.empty() ? "Deze aanvraag heeft geen velden." : "Velden: " + names + "."));
  }
  return Status::Ok();
}

StatusOr<std::string> StringField(const nlohmann::json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Status::Error(ErrorCode::kInvalidField, "Veld '" + name + "' moet tekst zijn.");
  }
  return it->get<std::string>();
}

StatusOr<std::vector<std::string>> ListField(const nlohmann::json& body, const std::string& name) {
  std::vector<std::string> out;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    return Status::Error(ErrorCode::kInvalidField, "Veld '" + name + "' moet een lijst zijn.");
  }
  for (const auto& v : *it) {
    if (!v.is_string()) {
      return Status::Error(ErrorCode::kInvalidField,
                           "Veld '" + name + "' mag alleen tekst bevatten.");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

bool ParseId(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *out = std::stoll(text);
  return *out > 0;
}

std::string SessionCookie(const std::string& value, int64_t max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

}  // namespace kpo::http
