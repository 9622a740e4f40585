// Issue 10: attachments (bijlagen). POST /api/documents/{id}/attachments
// takes one file as multipart/form-data, streamed to disk by the request
// gate (http/server.cc, the only route with the upload limit); GET lists
// them; GET …/attachments/{name or hash} downloads one under the item's
// access rules; DELETE …/attachments/{name} removes one (at once for the
// redactie, with the next approved version for an editor's live file).
// Thin: attachments/ decides type, storage and who may do what.
#include <fstream>
#include <sstream>

#include "attachments/attachments.h"
#include "http/api.h"
#include "http/caller.h"

namespace kpo::http {

namespace {

nlohmann::json AttachmentJson(const attachments::Attachment& a) {
  nlohmann::json out = {{"name", a.name},
                        {"sha256", a.hash},
                        {"type", a.mime},
                        {"bytes", a.size},
                        {"uploaded_at", a.uploaded_at},
                        {"pending", a.pending},
                        {"removing", a.removing},
                        {"live_version", a.has_live_version},
                        {"url", "/api/documents/" + a.item_id + "/attachments/" + a.name}};
  if (!a.uploaded_by.empty()) out["uploaded_by"] = a.uploaded_by;
  return out;
}

}  // namespace

void AddAttachmentRoutes(Router* router, const ApiDeps& deps) {
  access::AuthService* auth = deps.auth;
  attachments::Attachments* files = deps.attachments;

  router->Add("POST", "/api/documents/{id}/attachments", [auth, files](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const nlohmann::json&) {
      if (req.upload_path.empty()) {
        return ErrorReply(
            Status::Error(ErrorCode::kServiceUnavailable, "Deze server neemt geen bijlagen aan."),
            req.request_id);
      }
      auto a = files->Upload(caller.principal, req.remote_address, req.params.at("id"),
                             req.upload_content_type, req.upload_path);
      if (!a.ok()) return ErrorReply(a.status(), req.request_id);
      return JsonReply(201, {{"attachment", AttachmentJson(*a)}});
    });
  });

  // Refused on the head, before the gate stores the body (up to the upload
  // limit) on disk: anonymous callers and cookie sessions without their
  // CSRF header never get to send one.
  router->AddBodyGuard("POST", "/api/documents/{id}/attachments", [auth](const Request& req) {
    return CheckSignedInUploader(auth, req, true);
  });

  router->Add("GET", "/api/documents/{id}/attachments", [auth, files](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      auto list = files->List(caller.principal, req.params.at("id"));
      if (!list.ok()) return ErrorReply(list.status(), req.request_id);
      nlohmann::json out = {{"id", req.params.at("id")}, {"attachments", nlohmann::json::array()}};
      for (const auto& a : *list) out["attachments"].push_back(AttachmentJson(a));
      return JsonReply(200, out);
    });
  });

  router->Add(
      "DELETE", "/api/documents/{id}/attachments/{name}", [auth, files](const Request& req) {
        return WithWrite(auth, req, false, [&](const Caller& caller, const nlohmann::json&) {
          auto removed = files->Remove(caller.principal, req.remote_address, req.params.at("id"),
                                       req.params.at("name"));
          if (!removed.ok()) return ErrorReply(removed.status(), req.request_id);
          return JsonReply(200, {{"removed", removed->name}, {"now", removed->now}});
        });
      });

  router->Add("GET", "/api/documents/{id}/attachments/{name}", [auth, files](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      auto file = files->Open(caller.principal, req.params.at("id"), req.params.at("name"));
      if (!file.ok()) return ErrorReply(file.status(), req.request_id);
      std::ifstream in(file->path, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      if (!in.good() && !in.eof()) {
        return ErrorReply(
            Status::Error(ErrorCode::kStorageError, "De bijlage is niet leesbaar.", file->path),
            req.request_id);
      }
      Reply r;
      r.body = bytes.str();
      r.content_type = file->attachment.mime;
      // Only images are shown in the browser; everything else is saved.
      r.headers.emplace_back("Content-Disposition",
                             std::string(file->attachment.image ? "inline" : "attachment") +
                                 "; filename=\"" + file->attachment.name + "\"");
      return r;
    });
  });
}

}  // namespace kpo::http
