// The editorial routes (issue 10): thin handlers over
// editorial::EditorialService (parse, call, serialise). Owns: the editorial
// paths, parameter names and JSON shapes. May not touch: SQL, access rules,
// workflow rules (editorial/ decides; this file reads the request and writes
// the reply).
#include "editorial/service.h"
#include "http/api.h"
#include "http/api_json.h"
#include "http/caller.h"
#include "knowledge/knowledge_base.h"

namespace kpo::http {

namespace {

using editorial::EditorialService;
using nlohmann::json;

// Every editorial answer depends on the caller.
Reply Error(const Status& status, const Request& req) {
  return PrivateReply(ErrorReply(status, req.request_id));
}

// The fields of an item a client may send; anything else is refused, so a
// misspelt field is not silently lost.
const std::vector<std::string>& TextFields() {
  static const std::vector<std::string> kFields = {
      "id", "title", "type", "summary", "werkplaats", "access", "published", "review_by", "body"};
  return kFields;
}
const std::vector<std::string>& ListFields() {
  static const std::vector<std::string> kFields = {"themes", "regions", "groups", "tags"};
  return kFields;
}

// The front-matter fields and body of `body` as an editor's input.
// Errors: kInvalidField naming the field.
StatusOr<editorial::DraftInput> ParseInput(const json& body,
                                           const std::vector<std::string>& also_allowed) {
  std::vector<std::string> allowed = TextFields();
  allowed.insert(allowed.end(), ListFields().begin(), ListFields().end());
  allowed.insert(allowed.end(), also_allowed.begin(), also_allowed.end());
  KPO_RETURN_IF_ERROR(OnlyFields(body, allowed));
  editorial::DraftInput input;
  Item& item = input.item;
  item.access.clear();
  std::string* texts[] = {&item.id,        &item.title,      &item.type,
                          &item.summary,   &item.werkplaats, &item.access,
                          &item.published, &input.review_by, &item.body_markdown};
  for (size_t i = 0; i < TextFields().size(); ++i) {
    auto v = StringField(body, TextFields()[i]);
    if (!v.ok()) return v.status();
    *texts[i] = *v;
  }
  if (item.access.empty()) item.access = "members";  // as in a content file
  std::vector<std::string>* lists[] = {&item.themes, &item.regions, &item.groups, &item.tags};
  for (size_t i = 0; i < ListFields().size(); ++i) {
    auto v = ListField(body, ListFields()[i]);
    if (!v.ok()) return v.status();
    *lists[i] = *v;
  }
  return input;
}

// A whole number >= 0 in a JSON field. Errors: kInvalidField.
StatusOr<int64_t> RevisionField(const json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_number_integer() || it->get<int64_t>() < 0) {
    return Status::Error(ErrorCode::kInvalidField,
                         "Veld '" + name +
                             "' is verplicht: het revisienummer (een geheel getal) "
                             "waarop uw wijziging is gebaseerd.");
  }
  return it->get<int64_t>();
}

// A revision number in the path or query. Errors: kInvalidParameter.
StatusOr<int64_t> RevisionParam(const std::string& text, const std::string& name) {
  int64_t v = 0;
  if (!ParseId(text, &v)) {
    return Status::Error(ErrorCode::kInvalidParameter,
                         "'" + name + "' moet een revisienummer zijn (1, 2, ...).");
  }
  return v;
}

// An item with its body both as Markdown (to edit) and as HTML.
json EditableJson(const Item& item, const std::string& html) {
  json out = DocumentJson({item, html});
  out["body"] = item.body_markdown;
  return out;
}

json EditorialJson(const editorial::EditorialInfo& e) {
  return {{"state", editorial::StateName(e.state)},
          {"state_label", editorial::StateLabel(e.state)},
          {"scheduled_at", e.scheduled_at},
          {"review_by", e.review_by},
          {"comment", e.comment},
          {"actor", e.actor},
          {"created_by", e.created_by},
          {"updated_at", e.updated_at}};
}

json ListJson(const std::vector<editorial::ListEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    json row = {{"id", e.id},
                {"title", e.title},
                {"type", e.type},
                {"werkplaats", e.werkplaats},
                {"revision", e.revision},
                {"live", e.live},
                {"url", "/api/documents/" + e.id}};
    row.update(EditorialJson(e.editorial));
    out.push_back(std::move(row));
  }
  return out;
}

json SavedJson(const editorial::SaveResult& r) {
  return {{"id", r.id},
          {"revision", r.revision},
          {"state", editorial::StateName(r.state)},
          {"unchanged", r.unchanged},
          {"url", "/api/documents/" + r.id}};
}

}  // namespace

void AddEditorialRoutes(Router* router, const ApiDeps& deps) {
  access::AuthService* auth = deps.auth;
  EditorialService* service = deps.editorial;
  knowledge::KnowledgeBase* kb = deps.kb;

  router->Add("POST", "/api/documents", [auth, service](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      auto input = ParseInput(body, {});
      if (!input.ok()) return Error(input.status(), req);
      auto saved = service->Create(caller.principal, req.remote_address, *input);
      if (!saved.ok()) return Error(saved.status(), req);
      Reply r = PrivateReply(JsonReply(201, SavedJson(*saved)));
      r.headers.emplace_back("Location", "/api/documents/" + saved->id);
      return r;
    });
  });

  // Registered before the reader's route of the same path (api.cc), which
  // answers when the caller may read no version: the very same 404.
  router->Add("GET", "/api/documents/{id}", [auth, service, kb](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      const std::string& id = req.params.at("id");
      auto doc = service->Get(caller.principal, id);
      if (!doc.ok() && doc.status().Is(ErrorCode::kDocumentNotFound)) {
        auto reader = kb->GetDocument(caller.principal, id);
        return ErrorReply(reader.ok() ? doc.status() : reader.status(), req.request_id);
      }
      if (!doc.ok()) return ErrorReply(doc.status(), req.request_id);
      if (!doc->editorial_visible)
        return JsonReply(200, DocumentJson({*doc->live, doc->live_html}));
      json out = doc->live ? EditableJson(*doc->live, doc->live_html)
                           : EditableJson(*doc->draft, doc->draft_html);
      json actions = json::array();
      for (auto a : doc->actions) actions.push_back(editorial::ActionName(a));
      json editorial = EditorialJson(doc->editorial);
      editorial["revision"] = doc->revision;
      editorial["can_edit"] = doc->can_edit;
      editorial["actions"] = actions;
      editorial["live"] = doc->live.has_value();
      editorial["draft"] = doc->draft ? EditableJson(*doc->draft, doc->draft_html) : json();
      out["editorial"] = std::move(editorial);
      return PrivateReply(JsonReply(200, out));
    });
  });

  router->Add("PUT", "/api/documents/{id}", [auth, service](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      const std::string& id = req.params.at("id");
      auto base = RevisionField(body, "base_revision");
      if (!base.ok()) return Error(base.status(), req);
      auto input = ParseInput(body, {"base_revision"});
      if (!input.ok()) return Error(input.status(), req);
      if (input->item.id.empty()) input->item.id = id;
      if (input->item.id != id) {
        return Error(Status::Error(ErrorCode::kInvalidField,
                                   "Veld 'id' verschilt van het id in het adres; een id "
                                   "verandert niet."),
                     req);
      }
      auto saved = service->Save(caller.principal, req.remote_address, id, *input, *base);
      if (saved.ok()) return PrivateReply(JsonReply(200, SavedJson(*saved)));
      Reply r = Error(saved.status(), req);
      if (saved.status().Is(ErrorCode::kStaleRevision)) {
        // Nothing of the editor's work is lost: their text comes back.
        json answer = json::parse(r.body);
        answer["yours"] = body;
        auto current = service->Get(caller.principal, id);
        if (current.ok()) answer["current_revision"] = current->revision;
        r.body = answer.dump(-1, ' ', false, json::error_handler_t::replace);
      }
      return r;
    });
  });

  router->Add("POST", "/api/documents/{id}/transitions", [auth, service](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      Status known = OnlyFields(body, {"action", "comment", "at"});
      if (!known.ok()) return Error(known, req);
      auto action_name = StringField(body, "action");
      if (!action_name.ok()) return Error(action_name.status(), req);
      auto action = editorial::ParseAction(*action_name);
      if (!action.ok()) return Error(action.status(), req);
      auto comment = StringField(body, "comment");
      if (!comment.ok()) return Error(comment.status(), req);
      auto at = StringField(body, "at");
      if (!at.ok()) return Error(at.status(), req);
      auto done = service->Transition(caller.principal, req.remote_address, req.params.at("id"),
                                      {*action, *comment, *at});
      if (!done.ok()) return Error(done.status(), req);
      return PrivateReply(JsonReply(200, {{"id", req.params.at("id")},
                                          {"from", editorial::StateName(done->from)},
                                          {"state", editorial::StateName(done->to)},
                                          {"revision", done->revision},
                                          {"scheduled_at", done->scheduled_at}}));
    });
  });

  router->Add("GET", "/api/documents/{id}/revisions", [auth, service](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      const std::string& id = req.params.at("id");
      auto revisions = service->Revisions(caller.principal, id);
      if (!revisions.ok()) return Error(revisions.status(), req);
      json out = json::array();
      for (const auto& r : *revisions) {
        out.push_back(
            {{"revision", r.revision},
             {"author", r.author},
             {"created_at", r.created_at},
             {"version", r.live ? "live" : "draft"},
             {"complete", r.complete},
             {"url", "/api/documents/" + id + "/revisions/" + std::to_string(r.revision)}});
      }
      return PrivateReply(JsonReply(200, {{"id", id}, {"revisions", out}}));
    });
  });

  router->Add("GET", "/api/documents/{id}/steps", [auth, service](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      const std::string& id = req.params.at("id");
      auto steps = service->Steps(caller.principal, id);
      if (!steps.ok()) return Error(steps.status(), req);
      json out = json::array();
      for (const auto& s : *steps) {
        out.push_back({{"action", s.action},
                       {"from", s.from},
                       {"to", s.to},
                       {"actor", s.actor},
                       {"comment", s.comment},
                       {"scheduled_at", s.scheduled_at},
                       {"revision", s.revision},
                       {"at", s.at}});
      }
      return PrivateReply(JsonReply(200, {{"id", id}, {"steps", out}}));
    });
  });

  router->Add("GET", "/api/documents/{id}/revisions/{rev}", [auth, service](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto rev = RevisionParam(req.params.at("rev"), "rev");
      if (!rev.ok()) return Error(rev.status(), req);
      auto item = service->GetRevision(caller.principal, req.params.at("id"), *rev);
      if (!item.ok()) return Error(item.status(), req);
      json out = EditableJson(*item, "");
      out.erase("html");
      out["revision"] = *rev;
      return PrivateReply(JsonReply(200, out));
    });
  });

  router->Add("GET", "/api/documents/{id}/diff", [auth, service](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto from = RevisionParam(req.Query("from"), "from");
      if (!from.ok()) return Error(from.status(), req);
      auto to = RevisionParam(req.Query("to"), "to");
      if (!to.ok()) return Error(to.status(), req);
      auto diff = service->Diff(caller.principal, req.params.at("id"), *from, *to);
      if (!diff.ok()) return Error(diff.status(), req);
      json lines = json::array();
      for (const auto& l : diff->lines) {
        lines.push_back({{"op", std::string(1, l.op)}, {"text", l.text}});
      }
      return PrivateReply(JsonReply(200, {{"id", req.params.at("id")},
                                          {"from", diff->from},
                                          {"to", diff->to},
                                          {"added", diff->added},
                                          {"removed", diff->removed},
                                          {"lines", lines}}));
    });
  });

  router->Add("POST", "/api/documents/{id}/restore", [auth, service](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      Status known = OnlyFields(body, {"revision", "base_revision"});
      if (!known.ok()) return Error(known, req);
      auto rev = RevisionField(body, "revision");
      if (!rev.ok()) return Error(rev.status(), req);
      auto base = RevisionField(body, "base_revision");
      if (!base.ok()) return Error(base.status(), req);
      auto saved =
          service->Restore(caller.principal, req.remote_address, req.params.at("id"), *rev, *base);
      if (!saved.ok()) return Error(saved.status(), req);
      return PrivateReply(JsonReply(200, SavedJson(*saved)));
    });
  });

  // A preview changes nothing, but it is a POST with the editor's text: the
  // CSRF check keeps another site from using a signed-in editor's session.
  router->Add("POST", "/api/preview", [auth, service](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      auto input = ParseInput(body, {});
      if (!input.ok()) return Error(input.status(), req);
      auto preview = service->MakePreview(caller.principal, *input);
      if (!preview.ok()) return Error(preview.status(), req);
      json problems = json::array();
      for (const auto& p : preview->problems) {
        problems.push_back({{"field", p.field}, {"message", p.message}});
      }
      json links = json::array();
      for (const auto& l : preview->links)
        links.push_back({{"id", l.target}, {"reason", l.reason}});
      const auto& r = preview->readability;
      return PrivateReply(JsonReply(200, {{"html", preview->html},
                                          {"problems", problems},
                                          {"links", links},
                                          {"not_shown", preview->not_shown},
                                          {"readability",
                                           {{"sentences", r.sentences},
                                            {"long_sentences", r.long_sentences},
                                            {"long_sentence_share", r.long_sentence_share},
                                            {"words", r.words},
                                            {"long_words", r.long_words},
                                            {"long_word_share", r.long_word_share},
                                            {"advice", r.advice}}}}));
    });
  });

  router->Add("GET", "/api/me/documents", [auth, service](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto mine = service->MyDrafts(caller.principal);
      if (!mine.ok()) return Error(mine.status(), req);
      return PrivateReply(JsonReply(200, {{"total", mine->size()}, {"results", ListJson(*mine)}}));
    });
  });

  router->Add("GET", "/api/redactie/dashboard", [auth, service](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto d = service->GetDashboard(caller.principal);
      if (!d.ok()) return Error(d.status(), req);
      return PrivateReply(JsonReply(200, {{"review_queue", ListJson(d->review_queue)},
                                          {"scheduled", ListJson(d->scheduled)},
                                          {"overdue", ListJson(d->overdue)},
                                          {"recently_published", ListJson(d->recently_published)},
                                          {"zero_results", ZeroResultsJson(d->zero_results)}}));
    });
  });
}

}  // namespace kpo::http
