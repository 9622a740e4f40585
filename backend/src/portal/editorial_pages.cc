// Implements editorial_pages.h: thin page handlers (read the form, ask
// editorial::EditorialService / attachments::Attachments /
// searchlog::SearchLog, fill a view, render a template inside the portal's
// layout).
#include "portal/editorial_pages.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "access/auth_service.h"
#include "attachments/attachments.h"
#include "common/local_time.h"
#include "content/validate.h"
#include "content/vocabulary.h"
#include "editorial/service.h"
#include "editorial/text_tools.h"
#include "http/caller.h"
#include "http/request.h"
#include "knowledge/knowledge_base.h"
#include "portal/page_forms.h"
#include "portal/view.h"
#include "searchlog/search_log.h"

namespace kpo::portal {

namespace {

using editorial::Action;
using http::Reply;
using http::Request;
using Form = std::map<std::string, std::string>;

std::string Field(const Form& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

// What a redirect after a successful POST tells the next page (?melding=):
// only these fixed texts, so an address cannot put words on the page.
const std::map<std::string, std::string>& EditorialNotices() {
  static const std::map<std::string, std::string> kNotices = {
      {"opgeslagen", "Uw wijzigingen zijn opgeslagen."},
      {"ongewijzigd", "Er was niets gewijzigd: er is geen nieuwe versie gemaakt."},
      {"aangemaakt", "Het concept is aangemaakt."},
      {"bijlage", "De bijlage is toegevoegd."},
      {"bijlage-vervangt",
       "De nieuwe versie van de bijlage is toegevoegd. Lezers krijgen haar met de volgende "
       "goedgekeurde versie van het stuk; tot dan zien zij de gepubliceerde. Stond de bijlage op "
       "verwijderen, dan gaat dat niet door."},
      {"bijlage-weg", "De bijlage is verwijderd."},
      {"bijlage-weg-bij-goedkeuring",
       "De bijlage verdwijnt met de volgende goedgekeurde versie; tot dan zien lezers haar nog. "
       "Sla het stuk op en bied het aan de redactie aan om die versie te maken."},
      {"submit", "Het stuk is ter beoordeling aangeboden aan de redactie."},
      {"approve", "Het stuk is goedgekeurd en gepubliceerd."},
      {"schedule", "De publicatie is ingepland."},
      {"reject", "Het stuk is teruggestuurd naar de redacteur, met uw opmerking."},
      {"unpublish", "De publicatie is ingetrokken; het stuk is weer een concept."},
      {"archive", "Het stuk is gearchiveerd."},
      {"restore", "Het stuk is uit het archief teruggezet als concept."},
      {"versie-teruggezet", "De oude versie is teruggezet als nieuw concept."}};
  return kNotices;
}

std::string Notice(const Request& req) {
  auto it = EditorialNotices().find(req.Query("melding"));
  return it == EditorialNotices().end() ? "" : it->second;
}

// How an item's comment (its last transition's) is introduced. Only the
// redactie moves an item into any state but in review; into review it is
// sent by an editor (over the API with a comment, too) or sent back by the
// scheduler (EditorialService::PublishDue), so there it is no one's in
// particular.
std::string CommentLabel(editorial::State state) {
  return state == editorial::State::kInReview ? "Opmerking" : "Opmerking van de redactie";
}

// The button text of each workflow action.
std::string ActionLabel(Action a) {
  switch (a) {
    case Action::kSubmit:
      return "Ter beoordeling aanbieden";
    case Action::kApprove:
      return "Goedkeuren en nu publiceren";
    case Action::kSchedule:
      return "Publicatie inplannen";
    case Action::kReject:
      return "Terugsturen met opmerking";
    case Action::kUnpublish:
      return "Publicatie intrekken";
    case Action::kArchive:
      return "Archiveren";
    case Action::kRestore:
      return "Terugzetten uit archief";
  }
  return "";
}

// "2026-11-29T12:00:00Z" -> "zo 29 november 2026, 13:00" (Dutch time);
// anything unreadable is returned unchanged.
std::string LocalMoment(const std::string& utc) {
  if (utc.empty()) return "";
  auto seconds = editorial::ParseMoment(utc);
  auto zone = Zone::Amsterdam();
  if (!seconds.ok() || !zone.ok()) return utc;
  return DutchDateTime(FormatLocalTime((*zone)->ToLocal(*seconds)));
}

// A stored state name as its Dutch label ("in_review" -> "ter beoordeling").
std::string StateLabelOf(const std::string& name) {
  auto state = editorial::ParseState(name);
  return state.ok() ? editorial::StateLabel(*state) : name;
}

std::string ItemUrl(const std::string& id) { return "/redactie/stukken/" + id; }

// How many of others' recent steps "Mijn concepten" shows.
constexpr size_t kRecentSteps = 10;

// The editor's form as a DraftInput (the same fields as a content file).
editorial::DraftInput ReadDraft(const Form& form) {
  editorial::DraftInput input;
  Item& item = input.item;
  item.id = Field(form, "id");
  item.title = Field(form, "title");
  item.type = Field(form, "type");
  item.summary = Field(form, "summary");
  item.werkplaats = Field(form, "werkplaats");
  item.access = Field(form, "access").empty() ? "members" : Field(form, "access");
  item.published = Field(form, "published");
  input.review_by = Field(form, "review_by");
  // Browsers send CRLF line ends; the stored Markdown keeps LF.
  std::string body = Field(form, "body");
  body.erase(std::remove(body.begin(), body.end(), '\r'), body.end());
  item.body_markdown = body;
  std::string tag;
  for (char c : Field(form, "tags") + ",") {
    if (c != ',') {
      tag += c;
      continue;
    }
    const size_t b = tag.find_first_not_of(' ');
    if (b != std::string::npos) tag = tag.substr(b, tag.find_last_not_of(' ') - b + 1);
    if (b != std::string::npos && !tag.empty()) item.tags.push_back(tag);
    tag.clear();
  }
  for (const auto& [name, value] : form) {
    if (value.empty()) continue;
    for (const auto& [prefix, target] :
         {std::pair{"theme:", &item.themes}, std::pair{"region:", &item.regions},
          std::pair{"group:", &item.groups}}) {
      const std::string p = prefix;
      if (name.rfind(p, 0) == 0) target->push_back(name.substr(p.size()));
    }
  }
  return input;
}

// What the editor page shows besides the form.
struct EditorState {
  std::string id;  // "" for a new item
  int64_t base_revision = 0;
  std::string notice;
  std::string error;
  // A refused upload: said at the file field, which takes the focus.
  std::string files_error;
  std::vector<editorial::FieldProblem> problems;
  bool conflict = false;
  std::string current_body;  // the version saved by someone else (conflict)
  int64_t current_revision = 0;
  std::optional<editorial::Preview> preview;
  // A refused schedule or reject: its form shows the reason beside its
  // field, with what was typed, and takes the focus.
  std::optional<Action> refused_action;
  std::string refused_value;
  // The attachment whose removal asks for confirmation (?verwijderen=).
  std::string confirm_remove;
};

class EditorialPages {
 public:
  EditorialPages(std::shared_ptr<PageHost> host, const PortalDeps& deps)
      : host_(std::move(host)),
        kb_(deps.kb),
        service_(deps.editorial),
        files_(deps.attachments),
        log_(deps.search_log) {}

  // GET /redactie/concepten: the caller's drafts, in review and scheduled.
  Reply Drafts(const Request& req) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      auto mine = service_->MyDrafts(caller.principal);
      if (!mine.ok()) return Failed(req, caller, mine.status());
      View rows = ListView();
      for (const auto& e : *mine) rows.push_back(EntryView(e));
      View view;
      view.set("items", rows);
      view.set("has_items", !mine->empty());
      view.set("count", std::to_string(mine->size()) + (mine->size() == 1 ? " stuk" : " stukken"));
      // The redactie sees every werkplaats's work here (MyDrafts).
      view.set("whose",
               std::string(editorial::IsRedactie(caller.principal) ? "van alle werkplaatsen"
                                                                   : "van uw werkplaats"));
      SetText(&view, "notice", Notice(req));
      auto recent = service_->RecentSteps(caller.principal, kRecentSteps);
      if (!recent.ok()) return Failed(req, caller, recent.status());
      View recent_rows = ListView();
      for (const auto& r : *recent) {
        View row = StepView(r.step);
        row.set("title", r.title);
        row.set("url", ItemUrl(r.id) + "/versies#verloop");
        recent_rows.push_back(row);
      }
      view.set("recent", recent_rows);
      view.set("has_recent", !recent->empty());
      view.set("recent_days", std::to_string(editorial::EditorialService::kRecentStepDays));
      return host_->Page(req, caller, 200, "Mijn concepten", "editorial_drafts", view);
    });
  }

  // GET /redactie/nieuw: an empty editor.
  Reply NewForm(const Request& req) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      if (caller.principal.role != Role::kEditor && caller.principal.role != Role::kRedactie &&
          caller.principal.role != Role::kAdmin) {
        return host_->ErrorPage(req, caller, 403, Status::Ok());
      }
      editorial::DraftInput input;
      input.item.type = "product";
      input.item.access = "members";
      if (!caller.principal.werkplaatsen.empty()) {
        input.item.werkplaats = caller.principal.werkplaatsen.front();
      }
      return EditorPage(req, caller, 200, input, EditorState{});
    });
  }

  // POST /redactie/nieuw: create (or show the preview).
  Reply Create(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const Form& form) -> Reply {
      editorial::DraftInput input = ReadDraft(form);
      EditorState state;
      if (Field(form, "knop") == "voorbeeld") return WithPreview(req, caller, input, state);
      auto saved = service_->Create(caller.principal, req.remote_address, input);
      if (saved.ok()) return SeeOther(ItemUrl(saved->id) + "?melding=aangemaakt");
      return SaveRefused(req, caller, input, state, saved.status());
    });
  }

  // GET /redactie/stukken/{id}: the editor of an existing item.
  Reply Edit(const Request& req) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      EditorState state;
      state.notice = Notice(req);
      state.confirm_remove = req.Query("verwijderen");
      return ExistingEditor(req, caller, 200, state, nullptr);
    });
  }

  // POST /redactie/stukken/{id}: save (or show the preview) on base_revision.
  Reply Save(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const Form& form) -> Reply {
      const std::string& id = req.params.at("id");
      editorial::DraftInput input = ReadDraft(form);
      input.item.id = id;
      EditorState state;
      state.id = id;
      int64_t base = 0;
      if (!ParseRevision(Field(form, "base_revision"), &base)) {
        return host_->ErrorPage(req, caller, 400, Status::Ok());
      }
      state.base_revision = base;
      if (Field(form, "knop") == "voorbeeld") return WithPreview(req, caller, input, state);
      auto saved = service_->Save(caller.principal, req.remote_address, id, input, base);
      // "Opslaan en ter beoordeling aanbieden": the typed text is saved
      // first, with the same checks and conflict handling as "Opslaan", and
      // only a saved text is submitted. A separate submit form would submit
      // the last saved version and drop what was typed since.
      if (saved.ok() && Field(form, "knop") == "aanbieden") return SubmitSaved(req, caller, id);
      if (saved.ok()) {
        return SeeOther(ItemUrl(id) +
                        (saved->unchanged ? "?melding=ongewijzigd" : "?melding=opgeslagen"));
      }
      if (saved.status().Is(ErrorCode::kStaleRevision)) {
        // Nothing of the editor's work is lost: their text stays in the
        // form; the newer version is shown beside it, and the next save
        // is based on it (a deliberate choice, not a silent overwrite).
        auto current = service_->Get(caller.principal, id);
        if (!current.ok()) return Failed(req, caller, current.status());
        const auto& working = current->draft ? current->draft : current->live;
        state.conflict = true;
        state.current_revision = current->revision;
        state.current_body = working ? working->body_markdown : "";
        state.base_revision = current->revision;
        return ExistingEditor(req, caller, 409, state, &input);
      }
      return SaveRefused(req, caller, input, state, saved.status());
    });
  }

  // The submit half of "Opslaan en ter beoordeling aanbieden", after the
  // save succeeded. A refused submit (say the state changed meanwhile)
  // shows the editor with the saved text and the reason.
  Reply SubmitSaved(const Request& req, const PageCaller& caller, const std::string& id) {
    editorial::TransitionRequest request{Action::kSubmit, "", ""};
    auto done = service_->Transition(caller.principal, req.remote_address, id, request);
    if (done.ok()) return SeeOther(ItemUrl(id) + "?melding=submit");
    if (!Answerable(done.status())) return Failed(req, caller, done.status());
    EditorState state;
    state.error =
        "Uw tekst is opgeslagen, maar niet ter beoordeling aangeboden: " + done.status().message();
    return ExistingEditor(req, caller, HttpStatus(done.status().code()), state, nullptr);
  }

  // POST /redactie/stukken/{id}/actie: one workflow action; back to the
  // dashboard or the item.
  Reply Transition(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const Form& form) -> Reply {
      const std::string& id = req.params.at("id");
      const bool to_dashboard = Field(form, "terug") == "dashboard";
      auto action = editorial::ParseAction(Field(form, "actie"));
      if (!action.ok()) return host_->ErrorPage(req, caller, 400, Status::Ok());
      editorial::TransitionRequest request{*action, Field(form, "opmerking"), Field(form, "op")};
      Status refused = Status::Ok();
      if (*action == Action::kReject &&
          request.comment.find_first_not_of(" \r\n\t") == std::string::npos) {
        refused = Status::Error(ErrorCode::kInvalidField,
                                "Schrijf bij het terugsturen een opmerking voor de redacteur.");
      } else if (*action == Action::kSchedule && request.at.empty()) {
        refused = Status::Error(ErrorCode::kInvalidField,
                                "Kies de datum en tijd waarop het stuk verschijnt.");
      } else {
        auto done = service_->Transition(caller.principal, req.remote_address, id, request);
        if (done.ok()) {
          const std::string notice =
              std::string("?melding=") + editorial::ActionName(*action) + "#stuk-" + id;
          return SeeOther(to_dashboard ? "/redactie" + notice : ItemUrl(id) + notice);
        }
        refused = done.status();
      }
      if (!Answerable(refused)) return Failed(req, caller, refused);
      EditorState state;
      state.error = refused.message();
      if (refused.Is(ErrorCode::kInvalidField) &&
          (*action == Action::kSchedule || *action == Action::kReject)) {
        state.refused_action = *action;
        state.refused_value = *action == Action::kSchedule ? request.at : request.comment;
      }
      if (to_dashboard) {
        return DashboardPage(req, caller, HttpStatus(refused.code()), refused, id, &state);
      }
      return ExistingEditor(req, caller, HttpStatus(refused.code()), state, nullptr);
    });
  }

  // GET on the address a refused upload or workflow step leaves in the
  // address bar (/bijlagen, /actie), reloaded or opened again: back to the
  // item's page, at its attachments (was 405).
  Reply UploadAddress(const Request& req) { return BackToItem(req, "#bijlagen"); }
  Reply ActionAddress(const Request& req) { return BackToItem(req, ""); }

  // POST /redactie/stukken/{id}/bijlagen: multipart/form-data, streamed to
  // a file by the server's upload gate; the CSRF token is its first field.
  Reply Upload(const Request& req) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      const std::string& id = req.params.at("id");
      if (req.upload_path.empty()) {
        EditorState state;
        state.error = "Deze server neemt geen bijlagen aan.";
        return ExistingEditor(req, caller, 503, state, nullptr);
      }
      std::ifstream in(req.upload_path, std::ios::binary);
      std::string head(size_t{64} << 10, '\0');
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<size_t>(in.gcount()));
      if (!access::AuthService::CheckCsrf(caller.csrf_token, MultipartField(head, "csrf")).ok()) {
        return host_->ErrorPage(req, caller, 403, Status::Ok());
      }
      auto added = files_->Upload(caller.principal, req.remote_address, id, req.upload_content_type,
                                  req.upload_path);
      if (added.ok()) {
        return SeeOther(ItemUrl(id) + (added->pending && added->has_live_version
                                           ? "?melding=bijlage-vervangt"
                                           : "?melding=bijlage"));
      }
      if (!Answerable(added.status())) return Failed(req, caller, added.status());
      EditorState state;
      state.files_error = added.status().message();
      return ExistingEditor(req, caller, HttpStatus(added.status().code()), state, nullptr);
    });
  }

  // POST /redactie/stukken/{id}/bijlagen/{name}/verwijderen: the removal
  // confirmed on the item page (?verwijderen={name}); what it means depends
  // on the caller and the file (attachments.h Remove), and so does the text.
  Reply RemoveAttachment(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const Form&) -> Reply {
      const std::string& id = req.params.at("id");
      auto removed =
          files_->Remove(caller.principal, req.remote_address, id, req.params.at("name"));
      if (removed.ok()) {
        return SeeOther(ItemUrl(id) + "?melding=" +
                        (removed->now ? "bijlage-weg" : "bijlage-weg-bij-goedkeuring"));
      }
      if (!Answerable(removed.status())) return Failed(req, caller, removed.status());
      EditorState state;
      state.error = removed.status().message();
      return ExistingEditor(req, caller, HttpStatus(removed.status().code()), state, nullptr);
    });
  }

  // GET /redactie/stukken/{id}/versies[?van=&naar=]: the history and a diff.
  Reply History(const Request& req) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      const std::string& id = req.params.at("id");
      auto doc = service_->Get(caller.principal, id);
      if (!doc.ok()) return Failed(req, caller, doc.status());
      if (!doc->editorial_visible) return host_->ErrorPage(req, caller, 403, Status::Ok());
      auto revisions = service_->Revisions(caller.principal, id);
      if (!revisions.ok()) return Failed(req, caller, revisions.status());
      View view = Heading(*doc);
      view.set("csrf", caller.csrf_token);
      view.set("base_revision", std::to_string(doc->revision));
      view.set("can_edit", doc->can_edit);
      SetText(&view, "notice", Notice(req));
      int64_t from = 0;
      int64_t to = 0;
      const bool asked =
          ParseRevision(req.Query("van"), &from) && ParseRevision(req.Query("naar"), &to);
      if (!asked && revisions->size() >= 2) {
        from = (*revisions)[revisions->size() - 2].revision;
        to = revisions->back().revision;
      }
      View rows = ListView();
      View from_options = ListView();
      View to_options = ListView();
      for (auto r = revisions->rbegin(); r != revisions->rend(); ++r) {
        View row;
        const std::string n = std::to_string(r->revision);
        row.set("revision", n);
        row.set("author", r->author.empty() ? std::string("onbekend") : r->author);
        row.set("when", LocalMoment(r->created_at));
        row.set("version", r->live ? std::string("gepubliceerd") : std::string("concept"));
        row.set("view_url", ItemUrl(id) + "/versies/" + n);
        row.set("restore_action", ItemUrl(id) + "/versies/" + n + "/terugzetten");
        row.set("latest", r->revision == doc->revision);
        rows.push_back(row);
        for (auto [list, chosen] : {std::pair{&from_options, from}, std::pair{&to_options, to}}) {
          View o;
          o.set("value", n);
          o.set("selected", r->revision == chosen);
          list->push_back(o);
        }
      }
      view.set("revisions", rows);
      auto steps = service_->Steps(caller.principal, id);
      if (!steps.ok()) return Failed(req, caller, steps.status());
      View step_rows = ListView();
      for (auto s = steps->rbegin(); s != steps->rend(); ++s) step_rows.push_back(StepView(*s));
      view.set("steps", step_rows);
      view.set("has_steps", !steps->empty());
      view.set("from_options", from_options);
      view.set("to_options", to_options);
      // Comparing needs two versions: one alone would offer "1 → 1".
      view.set("can_compare", revisions->size() >= 2);
      view.set("has_diff", false);
      if (from > 0 && to > 0) {
        auto diff = service_->Diff(caller.principal, id, from, to);
        if (!diff.ok() && diff.status().Is(ErrorCode::kDocumentNotFound)) {
          view.set("diff_error", "Versie " + std::to_string(from) + " of " + std::to_string(to) +
                                     " bestaat niet. Kies twee versies uit de lijst.");
        } else if (!diff.ok()) {
          return Failed(req, caller, diff.status());
        } else {
          view.set("diff_error", false);
          view.set("has_diff", true);
          view.set("diff_from", std::to_string(diff->from));
          view.set("diff_to", std::to_string(diff->to));
          view.set("diff_summary", std::to_string(diff->added) +
                                       (diff->added == 1 ? " regel" : " regels") + " toegevoegd, " +
                                       std::to_string(diff->removed) +
                                       (diff->removed == 1 ? " regel" : " regels") + " verwijderd");
          View lines = ListView();
          for (const auto& l : diff->lines) {
            View line;
            line.set("text", l.text);
            line.set("added", l.op == '+');
            line.set("removed", l.op == '-');
            lines.push_back(line);
          }
          view.set("lines", lines);
        }
      } else {
        view.set("diff_error", false);
      }
      // Attachments belong to no revision: they change with the next
      // approval (attachments.h), so the line diff cannot show them and a
      // reviewer comparing versions is told here.
      View waiting = ListView();
      if (files_ != nullptr) {
        auto list = files_->List(caller.principal, id);
        if (!list.ok()) return Failed(req, caller, list.status());
        for (const auto& a : *list) {
          if (!a.pending && !a.removing) continue;
          View f;
          f.set("name", a.name);
          f.set("change", std::string(a.removing           ? "verdwijnt"
                                      : a.has_live_version ? "vervangt de gepubliceerde versie"
                                                           : "nieuw"));
          waiting.push_back(f);
        }
      }
      view.set("has_attachment_changes", !waiting.is_empty_list());
      view.set("has_live", doc->LiveIsPublished());
      view.set("attachment_changes", waiting);
      return host_->Page(req, caller, 200, "Versies van " + Title(*doc), "editorial_history", view);
    });
  }

  // GET /redactie/stukken/{id}/versies/{rev}: one revision as saved.
  Reply Revision(const Request& req) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      const std::string& id = req.params.at("id");
      int64_t rev = 0;
      if (!ParseRevision(req.params.at("rev"), &rev)) {
        return host_->ErrorPage(req, caller, 404, Status::Ok());
      }
      auto doc = service_->Get(caller.principal, id);
      if (!doc.ok()) return Failed(req, caller, doc.status());
      if (!doc->editorial_visible) return host_->ErrorPage(req, caller, 403, Status::Ok());
      auto item = service_->GetRevision(caller.principal, id, rev);
      if (!item.ok()) return Failed(req, caller, item.status());
      View view = Heading(*doc);
      view.set("revision", std::to_string(rev));
      view.set("lines", [&] {
        View lines = ListView();
        for (const auto& l : editorial::ItemLines(*item)) {
          View line;
          line.set("text", l);
          lines.push_back(line);
        }
        return lines;
      }());
      view.set("csrf", caller.csrf_token);
      view.set("base_revision", std::to_string(doc->revision));
      view.set("can_edit", doc->can_edit && rev != doc->revision);
      view.set("restore_action", ItemUrl(id) + "/versies/" + std::to_string(rev) + "/terugzetten");
      return host_->Page(req, caller, 200, "Versie " + std::to_string(rev) + " van " + Title(*doc),
                         "editorial_revision", view);
    });
  }

  // POST /redactie/stukken/{id}/versies/{rev}/terugzetten
  Reply Restore(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const Form& form) -> Reply {
      const std::string& id = req.params.at("id");
      int64_t rev = 0;
      int64_t base = 0;
      if (!ParseRevision(req.params.at("rev"), &rev) ||
          !ParseRevision(Field(form, "base_revision"), &base)) {
        return host_->ErrorPage(req, caller, 400, Status::Ok());
      }
      auto saved = service_->Restore(caller.principal, req.remote_address, id, rev, base);
      if (saved.ok()) {
        return SeeOther(ItemUrl(id) +
                        (saved->unchanged ? "?melding=ongewijzigd" : "?melding=versie-teruggezet"));
      }
      if (!Answerable(saved.status())) return Failed(req, caller, saved.status());
      EditorState state;
      state.error = saved.status().Is(ErrorCode::kStaleRevision)
                        ? "Iemand heeft het stuk intussen opgeslagen. Bekijk de nieuwste versie "
                          "en zet de oude versie daarna opnieuw terug."
                        : saved.status().message();
      return ExistingEditor(req, caller, HttpStatus(saved.status().code()), state, nullptr);
    });
  }

  // GET /redactie: the redactie's dashboard.
  Reply Dashboard(const Request& req) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      return DashboardPage(req, caller, 200, Status::Ok());
    });
  }

 private:
  template <typename Fn>
  Reply WithCaller(const Request& req, Fn fn) {
    return portal::WithCaller(host_.get(), req, fn);
  }

  // Signed in, else to the sign-in page and back here afterwards.
  template <typename Fn>
  Reply WithSignedIn(const Request& req, Fn fn) {
    return WithCaller(req, [&](const PageCaller& caller) -> Reply {
      if (!caller.principal.authenticated()) return SignIn(req);
      return fn(caller);
    });
  }

  // A POST form (page_forms.h).
  template <typename Fn>
  Reply WithForm(const Request& req, Fn fn) {
    return portal::WithForm(host_.get(), req, &SignIn, fn);
  }

  // To the sign-in page; back to the page (a form's page for a POST).
  static Reply SignIn(const Request& req) {
    std::string back;
    for (size_t i = 0; i < req.segments.size() && i < 3; ++i) back += "/" + req.segments[i];
    return SeeOther("/inloggen?next=" + http::PercentEncode(back.empty() ? "/redactie" : back));
  }

  static bool ParseRevision(const std::string& text, int64_t* out) {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    *out = std::stoll(text);
    return *out > 0;
  }

  // A refusal the page can explain to the person (invalid input, not
  // allowed, conflict); anything else is a 500.
  static bool Answerable(const Status& s) {
    const ErrorType type = TypeOf(s.code());
    return type == ErrorType::kInvalidRequest || type == ErrorType::kAuth;
  }

  // Not found (or not readable: the same page) is 404, forbidden 403.
  Reply Failed(const Request& req, const PageCaller& caller, const Status& s) {
    if (s.Is(ErrorCode::kDocumentNotFound) || s.Is(ErrorCode::kInvalidDocumentId)) {
      return host_->ErrorPage(req, caller, 404, Status::Ok());
    }
    if (s.Is(ErrorCode::kForbidden)) return host_->ErrorPage(req, caller, 403, Status::Ok());
    return host_->ErrorPage(req, caller, 500, s);
  }

  static std::string Title(const editorial::EditorialDocument& doc) {
    if (doc.draft) return doc.draft->title;
    return doc.live ? doc.live->title : doc.id;
  }

  View Heading(const editorial::EditorialDocument& doc) {
    View v;
    v.set("id", doc.id);
    v.set("title", Title(doc));
    v.set("edit_url", ItemUrl(doc.id));
    v.set("history_url", ItemUrl(doc.id) + "/versies");
    v.set("state", std::string(editorial::StateLabel(doc.editorial.state)));
    return v;
  }

  View EntryView(const editorial::ListEntry& e) {
    View v;
    v.set("id", e.id);
    v.set("anchor", "stuk-" + e.id);
    v.set("title", e.title.empty() ? e.id : e.title);
    v.set("url", ItemUrl(e.id));
    v.set("live_url", "/items/" + e.id);
    v.set("type", TypeLabel(e.type));
    v.set("werkplaats", kb_->vocabulary()->Label(content::Vocabulary::kWerkplaatsen, e.werkplaats));
    // Who will read it once live: the redactie approves with that in view.
    const std::string audience = Audience(*kb_->vocabulary(), e.access, e.groups);
    v.set("readers", audience.empty() ? std::string("Openbaar") : audience);
    v.set("state", std::string(editorial::StateLabel(e.editorial.state)));
    v.set("state_key", std::string(editorial::StateName(e.editorial.state)));
    v.set("updated", LocalMoment(e.editorial.updated_at));
    SetText(&v, "actor", e.editorial.actor);
    SetText(&v, "scheduled", LocalMoment(e.editorial.scheduled_at));
    SetText(&v, "review_by", DutchDate(e.editorial.review_by));
    SetText(&v, "comment", e.editorial.comment);
    v.set("comment_label", CommentLabel(e.editorial.state));
    v.set("live", e.live);
    return v;
  }

  // The editor page of an existing item: its current version, or
  // `typed` (what the editor sent, after a refusal).
  Reply ExistingEditor(const Request& req, const PageCaller& caller, int status, EditorState state,
                       const editorial::DraftInput* typed) {
    const std::string& id = req.params.at("id");
    auto doc = service_->Get(caller.principal, id);
    if (!doc.ok()) return Failed(req, caller, doc.status());
    // A reader of the published item who may not work on it.
    if (!doc->editorial_visible) return host_->ErrorPage(req, caller, 403, Status::Ok());
    state.id = id;
    if (state.base_revision == 0) state.base_revision = doc->revision;
    editorial::DraftInput input;
    if (typed != nullptr) {
      input = *typed;
    } else {
      input.item = doc->draft ? *doc->draft : *doc->live;
      input.review_by = doc->editorial.review_by;
    }
    if (!state.preview && status < 400) {
      auto preview = service_->MakePreview(caller.principal, input);
      if (preview.ok()) state.preview = *preview;
    }
    return EditorPage(req, caller, status, input, state, &*doc);
  }

  Reply WithPreview(const Request& req, const PageCaller& caller,
                    const editorial::DraftInput& input, EditorState state) {
    auto preview = service_->MakePreview(caller.principal, input);
    if (!preview.ok()) return Failed(req, caller, preview.status());
    state.preview = *preview;
    state.problems = preview->problems;
    if (state.id.empty()) return EditorPage(req, caller, 200, input, state);
    return ExistingEditor(req, caller, 200, state, &input);
  }

  // A refused create or save: the form again with what was typed, the
  // reasons beside the fields (the preview's problems are what Save
  // refuses, field by field).
  Reply SaveRefused(const Request& req, const PageCaller& caller,
                    const editorial::DraftInput& input, EditorState state, const Status& s) {
    if (!Answerable(s)) return Failed(req, caller, s);
    if (s.Is(ErrorCode::kDocumentNotFound)) return Failed(req, caller, s);
    auto preview = service_->MakePreview(caller.principal, input);
    if (preview.ok()) {
      state.preview = *preview;
      state.problems = preview->problems;
    }
    if (s.Is(ErrorCode::kDuplicateId)) {
      state.problems.push_back({"id", s.message()});
    } else if (state.problems.empty()) {
      state.error = s.message();  // e.g. forbidden for this werkplaats
    }
    const int status = HttpStatus(s.code());
    if (state.id.empty()) return EditorPage(req, caller, status, input, state);
    return ExistingEditor(req, caller, status, state, &input);
  }

  std::vector<std::pair<std::string, std::string>> Vocabulary(const char* kind) {
    return VocabularyEntries(*kb_->vocabulary(), kind);
  }

  View Checkboxes(const char* kind, const std::string& field,
                  const std::vector<std::string>& checked) {
    return portal::Checkboxes(*kb_->vocabulary(), kind, field, checked);
  }

  // One workflow step, for the history and "Mijn concepten".
  static View StepView(const editorial::StepEntry& s) {
    View row;
    row.set("label", editorial::StepLabel(s.action));
    row.set("when", LocalMoment(s.at));
    SetText(&row, "actor", s.actor);
    SetText(
        &row, "scheduled_for",
        s.action == editorial::ActionName(Action::kSchedule) ? LocalMoment(s.scheduled_at) : "");
    row.set("revision", std::to_string(s.revision));
    row.set("from", StateLabelOf(s.from));
    row.set("to", StateLabelOf(s.to));
    SetText(&row, "comment", s.comment);
    return row;
  }

  View PreviewView(const editorial::Preview& p) {
    View v;
    v.set("html", p.html);
    View links = ListView();
    for (const auto& l : p.links) {
      View o;
      o.set("target", l.target);
      o.set("reason", l.reason);
      links.push_back(o);
    }
    v.set("links", links);
    v.set("has_links", !p.links.empty());
    View not_shown = ListView();
    for (const auto& n : p.not_shown) not_shown.push_back(View(n));
    v.set("not_shown", not_shown);
    v.set("has_not_shown", !p.not_shown.empty());
    View advice = ListView();
    for (const auto& a : p.readability.advice) advice.push_back(View(a));
    v.set("advice", advice);
    v.set("has_advice", !p.readability.advice.empty());
    // Same words as static/js/editor.js's aids().
    v.set("b1", "lange zinnen " + std::to_string(p.readability.long_sentences) + " van de " +
                    std::to_string(p.readability.sentences) + ", lange woorden " +
                    std::to_string(p.readability.long_words) + " van de " +
                    std::to_string(p.readability.words));
    return v;
  }

  Reply EditorPage(const Request& req, const PageCaller& caller, int status,
                   const editorial::DraftInput& input, const EditorState& state,
                   const editorial::EditorialDocument* doc = nullptr) {
    const Item& item = input.item;
    const bool fresh = state.id.empty();
    View v;
    v.set("fresh", fresh);
    v.set("csrf", caller.csrf_token);
    v.set("action", fresh ? std::string("/redactie/nieuw") : ItemUrl(state.id));
    v.set("base_revision", std::to_string(state.base_revision));
    v.set("id", item.id);
    v.set("title", item.title);
    v.set("summary", item.summary);
    v.set("body", item.body_markdown);
    v.set("published", item.published);
    v.set("review_by", input.review_by);
    std::string tags;
    for (const auto& t : item.tags) tags += (tags.empty() ? "" : ", ") + t;
    v.set("tags", tags);
    View types = ListView();
    for (const auto& t : ItemTypes()) {
      // A course is made in the academy's form, with its facts and
      // sessions; made here it was a course page without either, missing
      // from the catalogue. An item that is a course keeps its type.
      if (t == "cursus" && item.type != t) continue;
      View o;
      o.set("key", t);
      o.set("label", TypeLabel(t));
      o.set("selected", t == item.type);
      types.push_back(o);
    }
    v.set("types", types);
    View access = ListView();
    for (const auto& [key, label] :
         {std::pair{"public", "Openbaar: iedereen, ook zonder in te loggen"},
          std::pair{"members", "Alle leden"},
          std::pair{"restricted", "Alleen de gekozen partnergroepen"}}) {
      View o;
      o.set("key", std::string(key));
      o.set("label", std::string(label));
      o.set("dom_id", "f-access-" + std::string(key));
      o.set("checked", item.access == key);
      access.push_back(o);
    }
    v.set("accesses", access);
    View werkplaatsen = ListView();
    const bool any = caller.principal.role != Role::kEditor;
    for (const auto& [label, key] : Vocabulary(content::Vocabulary::kWerkplaatsen)) {
      const auto& mine = caller.principal.werkplaatsen;
      if (!any && key != item.werkplaats &&
          std::find(mine.begin(), mine.end(), key) == mine.end()) {
        continue;
      }
      View o;
      o.set("key", key);
      o.set("label", label);
      o.set("selected", key == item.werkplaats);
      werkplaatsen.push_back(o);
    }
    v.set("werkplaatsen", werkplaatsen);
    v.set("no_werkplaats", any);
    v.set("themes", Checkboxes(content::Vocabulary::kThemes, "theme", item.themes));
    v.set("regions", Checkboxes(content::Vocabulary::kRegions, "region", item.regions));
    v.set("groups", Checkboxes(content::Vocabulary::kGroups, "group", item.groups));
    // An editor reads a restricted item only through a group of their own
    // (access.md), so the form says which those are before it is too late.
    if (caller.principal.role == Role::kEditor) {
      const std::string own = GroupLabels(*kb_->vocabulary(), caller.principal.groups);
      SetText(&v, "own_groups", own.empty() ? std::string("geen") : own);
    }

    // Errors: beside each field and in the summary at the top.
    std::map<std::string, std::string> by_field;
    View summary = ListView();
    // The preview words and orders the problems for this form
    // (editorial::EditorFields); a sentence ends once.
    const auto& fields = editorial::EditorFields();
    for (const auto& p : state.problems) {
      const bool known = std::any_of(fields.begin(), fields.end(),
                                     [&](const auto& f) { return f.first == p.field; });
      std::string sentence = p.message;
      if (!sentence.empty() && sentence.back() != '.') sentence += '.';
      std::string& text = by_field[known ? p.field : "body"];
      text += (text.empty() ? "" : " ") + sentence;
      View s;
      s.set("href", "#f-" + (known ? p.field : std::string("body")));
      s.set("text", sentence);
      summary.push_back(s);
    }
    for (const auto& f : fields) {
      auto it = by_field.find(f.first);
      SetText(&v, "err_" + f.first, it == by_field.end() ? std::string() : it->second);
    }
    v.set("errors", summary);
    v.set("has_errors", !state.problems.empty());
    SetText(&v, "error", state.error);
    SetText(&v, "notice", state.notice);
    v.set("conflict", state.conflict);
    v.set("current_revision", std::to_string(state.current_revision));
    v.set("current_body", state.current_body);
    v.set("has_preview", state.preview.has_value());
    v.set("preview", state.preview ? PreviewView(*state.preview) : View());

    // The existing item: state, workflow, attachments, history.
    v.set("existing", doc != nullptr);
    v.set("can_edit", doc == nullptr || doc->can_edit);
    std::string page_title = "Nieuw product";
    if (doc != nullptr) {
      page_title = "Bewerken: " + Title(*doc);
      v.set("heading", Title(*doc));
      v.set("state", std::string(editorial::StateLabel(doc->editorial.state)));
      v.set("state_key", std::string(editorial::StateName(doc->editorial.state)));
      v.set("waits", doc->editorial.state == editorial::State::kInReview ||
                         doc->editorial.state == editorial::State::kScheduled);
      v.set("is_scheduled", doc->editorial.state == editorial::State::kScheduled);
      SetText(&v, "scheduled", LocalMoment(doc->editorial.scheduled_at));
      SetText(&v, "comment", doc->editorial.comment);
      v.set("comment_label", CommentLabel(doc->editorial.state));
      v.set("updated", LocalMoment(doc->editorial.updated_at));
      SetText(&v, "actor", doc->editorial.actor);
      v.set("has_live", doc->LiveIsPublished());
      v.set("live_url", "/items/" + doc->id);
      v.set("history_url", ItemUrl(doc->id) + "/versies");
      v.set("transition_action", ItemUrl(doc->id) + "/actie");
      v.set("upload_action", ItemUrl(doc->id) + "/bijlagen");
      if (files_ != nullptr) v.set("upload_max_mb", std::to_string(files_->max_bytes() >> 20));
      // Submitting is a button of the edit form (it saves first, see Save);
      // the other actions are forms of their own.
      const bool can_submit = doc->can_edit && std::find(doc->actions.begin(), doc->actions.end(),
                                                         Action::kSubmit) != doc->actions.end();
      std::vector<Action> others;
      for (Action a : doc->actions) {
        if (!(can_submit && a == Action::kSubmit)) others.push_back(a);
      }
      v.set("can_submit", can_submit);
      v.set("actions", ActionForms(others, "stuk", &state));
      v.set("has_actions", !others.empty());
      // An editor changes files only in a draft (Attachments::MayChangeFiles).
      const bool editor_waits = !editorial::IsRedactie(caller.principal) &&
                                (doc->editorial.state == editorial::State::kInReview ||
                                 doc->editorial.state == editorial::State::kScheduled);
      View files = ListView();
      if (files_ != nullptr) {
        auto list = files_->List(caller.principal, doc->id);
        if (list.ok()) {
          const bool redactie = editorial::IsRedactie(caller.principal);
          for (const auto& a : *list) {
            View f;
            f.set("name", a.name);
            f.set("url", "/api/documents/" + doc->id + "/attachments/" + a.name);
            f.set("type", FileKind(a.mime));
            f.set("size", FileSize(a.size));
            f.set("pending", a.pending);
            f.set("removing", a.removing);
            // An editor's removal of a live file is already asked for.
            f.set("removable", (doc->can_edit && !editor_waits && (redactie || !a.removing)) ||
                                   (redactie && !doc->can_edit));
            // No fragment: a page opened at one skips autofocus (HTML's
            // autofocus steps), and the question's button must take it.
            f.set("ask_url", ItemUrl(doc->id) + "?verwijderen=" + a.name);
            f.set("confirm", state.confirm_remove == a.name);
            f.set("remove_action", ItemUrl(doc->id) + "/bijlagen/" + a.name + "/verwijderen");
            f.set("cancel_url", ItemUrl(doc->id) + "#bijlage-" + a.name);
            f.set("question", RemovalQuestion(a, redactie));
            files.push_back(f);
          }
        }
      }
      v.set("has_files", !files.is_empty_list());
      v.set("files", files);
      v.set("uploads", files_ != nullptr && doc->can_edit && !editor_waits);
      SetText(&v, "files_error", state.files_error);
      v.set("files_wait", files_ != nullptr && doc->can_edit && editor_waits);
      // Said where the change was made: the redirect comes back to the
      // section, whose message takes the focus.
      if (req.Query("melding").rfind("bijlage", 0) == 0) {
        SetText(&v, "files_notice", state.notice);
        SetText(&v, "notice", "");
      }
    }
    return host_->Page(req, caller, status, page_title, "editorial_editor", v);
  }

  // What removing `a` will do, as Attachments::Remove decides it.
  static std::string RemovalQuestion(const attachments::Attachment& a, bool redactie) {
    if (!a.has_live_version) return a.name + " is nog niet gepubliceerd en verdwijnt direct.";
    if (redactie) {
      return a.name + (a.pending ? ", de nieuwe versie en de gepubliceerde," : "") +
             " verdwijnt direct, ook voor lezers en uit de zoekresultaten. Dit kunt u niet "
             "ongedaan maken.";
    }
    return std::string(a.pending ? "De nieuwe versie van " + a.name + " verdwijnt direct. " : "") +
           "Lezers zien " + (a.pending ? "de gepubliceerde versie" : a.name) +
           " tot de redactie de volgende versie goedkeurt; daarna is de bijlage weg. Tot dan "
           "maakt u dit ongedaan door het bestand opnieuw te uploaden.";
  }

  // One form per action; schedule asks for a moment, reject for a comment.
  // `refused`, when given, may name the action just refused (its field
  // then shows the reason and the value typed).
  View ActionForms(const std::vector<Action>& actions, const std::string& back,
                   const EditorState* refused = nullptr) {
    View out = ListView();
    for (Action a : actions) {
      View f;
      // Set on every row, so a row never reads the page's own "error".
      const bool failed = refused != nullptr && refused->refused_action == a;
      f.set("action_failed", failed);
      f.set("action_error", failed ? refused->error : std::string());
      f.set("action_value", failed ? refused->refused_value : std::string());
      f.set("action", std::string(editorial::ActionName(a)));
      f.set("label", ActionLabel(a));
      f.set("schedule", a == Action::kSchedule);
      f.set("reject", a == Action::kReject);
      // Taking an item down or away may say why (the editor reads it on the
      // item and in its history); only on the item's page, where there is room.
      f.set("reason", back == "stuk" && (a == Action::kUnpublish || a == Action::kArchive));
      f.set("primary", a == Action::kSubmit || a == Action::kApprove);
      f.set("back", back);
      out.push_back(f);
    }
    return out;
  }

  Reply BackToItem(const Request& req, const std::string& fragment) {
    return WithSignedIn(req, [&](const PageCaller& caller) -> Reply {
      const std::string& id = req.params.at("id");
      if (!content::IsValidKey(id)) return host_->ErrorPage(req, caller, 404, Status::Ok());
      return SeeOther(ItemUrl(id) + fragment);
    });
  }

  // `refused_form`, for the item `refused_id`, names the action of that
  // item's forms just refused (ActionForms).
  Reply DashboardPage(const Request& req, const PageCaller& caller, int status,
                      const Status& refused, const std::string& refused_id = {},
                      const EditorState* refused_form = nullptr) {
    auto d = service_->GetDashboard(caller.principal);
    if (!d.ok()) return Failed(req, caller, d.status());
    View view;
    view.set("csrf", caller.csrf_token);
    SetText(&view, "notice", refused.ok() ? Notice(req) : std::string());
    SetText(&view, "error", refused.ok() ? std::string() : refused.message());
    auto rows = [&](const std::vector<editorial::ListEntry>& entries,
                    const std::vector<Action>& actions) {
      View list = ListView();
      for (const auto& e : entries) {
        View row = EntryView(e);
        row.set("transition_action", ItemUrl(e.id) + "/actie");
        row.set("actions",
                ActionForms(actions, "dashboard", e.id == refused_id ? refused_form : nullptr));
        list.push_back(row);
      }
      return list;
    };
    view.set("queue",
             rows(d->review_queue, {Action::kApprove, Action::kSchedule, Action::kReject}));
    view.set("has_queue", !d->review_queue.empty());
    view.set("scheduled",
             rows(d->scheduled, {Action::kApprove, Action::kSchedule, Action::kUnpublish}));
    view.set("has_scheduled", !d->scheduled.empty());
    view.set("overdue", rows(d->overdue, {}));
    view.set("has_overdue", !d->overdue.empty());
    view.set("published", rows(d->recently_published, {Action::kUnpublish, Action::kArchive}));
    view.set("has_published", !d->recently_published.empty());
    View searches = ListView();
    if (log_ != nullptr) {
      auto zero = log_->ZeroResultsFor(caller.principal, 50);
      if (!zero.ok()) return Failed(req, caller, zero.status());
      for (const auto& z : *zero) {
        View s;
        s.set("query", z.query);
        s.set("count", std::to_string(z.count));
        s.set("search_url", "/zoeken?q=" + http::PercentEncode(z.query));
        searches.push_back(s);
      }
    }
    view.set("has_searches", !searches.is_empty_list());
    view.set("searches", searches);
    return host_->Page(req, caller, status, "Redactie", "editorial_dashboard", view);
  }

  std::shared_ptr<PageHost> host_;
  knowledge::KnowledgeBase* kb_;
  editorial::EditorialService* service_;
  attachments::Attachments* files_;
  searchlog::SearchLog* log_;
};

}  // namespace

std::string MultipartField(std::string_view body, const std::string& name) {
  const std::string wanted = "name=\"" + name + "\"";
  size_t pos = 0;
  for (;;) {
    const size_t header = body.find("Content-Disposition:", pos);
    if (header == std::string_view::npos) return "";
    const size_t line_end = body.find("\r\n", header);
    if (line_end == std::string_view::npos) return "";
    std::string_view line = body.substr(header, line_end - header);
    if (line.find("filename=") != std::string_view::npos) return "";  // a file came first
    const size_t value_start = body.find("\r\n\r\n", header);
    if (value_start == std::string_view::npos) return "";
    const size_t value_end = body.find("\r\n", value_start + 4);
    if (value_end == std::string_view::npos) return "";
    if (line.find(wanted) != std::string_view::npos) {
      return std::string(body.substr(value_start + 4, value_end - value_start - 4));
    }
    pos = value_end;
  }
}

void AddEditorialPages(http::Router* router, std::shared_ptr<PageHost> host,
                       const PortalDeps& deps) {
  if (deps.editorial == nullptr) return;
  auto pages = std::make_shared<EditorialPages>(std::move(host), deps);
  using Handler = Reply (EditorialPages::*)(const Request&);
  // Fixed paths before the {id} ones: the router takes the first match.
  const std::vector<std::tuple<const char*, const char*, Handler>> routes = {
      {"GET", "/redactie", &EditorialPages::Dashboard},
      {"GET", "/redactie/concepten", &EditorialPages::Drafts},
      {"GET", "/redactie/nieuw", &EditorialPages::NewForm},
      {"POST", "/redactie/nieuw", &EditorialPages::Create},
      {"GET", "/redactie/stukken/{id}", &EditorialPages::Edit},
      {"POST", "/redactie/stukken/{id}", &EditorialPages::Save},
      {"POST", "/redactie/stukken/{id}/actie", &EditorialPages::Transition},
      {"GET", "/redactie/stukken/{id}/actie", &EditorialPages::ActionAddress},
      {"POST", "/redactie/stukken/{id}/bijlagen", &EditorialPages::Upload},
      {"GET", "/redactie/stukken/{id}/bijlagen", &EditorialPages::UploadAddress},
      {"POST", "/redactie/stukken/{id}/bijlagen/{name}/verwijderen",
       &EditorialPages::RemoveAttachment},
      {"GET", "/redactie/stukken/{id}/versies", &EditorialPages::History},
      {"GET", "/redactie/stukken/{id}/versies/{rev}", &EditorialPages::Revision},
      {"POST", "/redactie/stukken/{id}/versies/{rev}/terugzetten", &EditorialPages::Restore},
  };
  for (const auto& [method, path, handler] : routes) {
    router->Add(method, path,
                [pages, handler = handler](const Request& req) { return (*pages.*handler)(req); });
  }
  // The server's upload gate refuses a visitor's upload on its head, before
  // the body reaches the disk; the CSRF token is a field of that body, so
  // Upload checks it.
  router->AddBodyGuard("POST", "/redactie/stukken/{id}/bijlagen",
                       [auth = deps.auth](const Request& req) {
                         return http::CheckSignedInUploader(auth, req, false);
                       });
}

}  // namespace kpo::portal
