// Issue 10, attachments on a real server: type by content (an executable
// renamed .pdf is refused), PDF text found by search with the hit naming
// the attachment, the upload limit for the upload route only (a larger
// body gets one 413 and the connection closes cleanly; other routes keep
// their 1 MiB limit), who may upload, downloads under the item's access
// rules (the same 404 as a missing item), Content-Disposition, the audit;
// an item that exists only as a draft takes attachments from its
// werkplaats's editors and the redactie and shows them to nobody else; an
// upload goes live with the item's next approved version, never before (not
// with a live save that is no approval: the academy's, the importer's).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/item_store.h"
#include "support/server_fixture.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::ConnectRaw;
using testing::HttpCall;
using testing::HttpResponse;
using testing::ReadUntilClosed;
using testing::SendAll;

constexpr const char* kBoundary = "----kpoGrens7MA4YWxkTrZu0gW";

// A minimal one-page PDF 1.4 with `text` in Helvetica, xref offsets computed.
std::string MinimalPdf(const std::string& text) {
  const std::string stream = "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A PNG signature and header chunk followed by `size` bytes of filler:
// libmagic reads the type from the first bytes.
std::string PngOf(size_t size) {
  std::string png(
      "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0\x90\x91\x68\x36", 33);
  png += std::string(size, '\0');
  return png;
}

std::string Multipart(const std::string& filename, const std::string& bytes,
                      const std::string& declared_type = "application/pdf") {
  return std::string("--") + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"" + filename +
         "\"\r\nContent-Type: " + declared_type + "\r\n\r\n" + bytes + "\r\n--" + kBoundary +
         "--\r\n";
}

using Login = testing::Session;

class AttachmentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "handreiking-bibob",
                  .title = "Handreiking Bibob",
                  .werkplaats = "bibob",
                  .body = "Over de Bibob-toets."});
    corpus_->Add({.id = "politie-notitie",
                  .title = "Notitie voor de politie",
                  .access = "restricted",
                  .groups = {"politie"},
                  .werkplaats = "bibob",
                  .body = "Alleen voor de politie."});
    server_ = new testing::ServerFixture(corpus_, testing::FixtureAuthOptions(), {},
                                         /*index_writer=*/true);
    AddUser("redacteur@bibob.nl", "editor", {"gemeenten"}, {"bibob"});
    AddUser("redacteur@integriteit.nl", "editor", {"gemeenten"}, {"integriteit"});
    AddUser("redactie@kpo.nl", "redactie", {}, {});
    AddUser("agent@politie.nl", "member", {"politie"}, {});
    AddUser("ambtenaar@gemeente.nl", "member", {"gemeenten"}, {});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }
  static void AddUser(const std::string& email, const std::string& role,
                      const std::vector<std::string>& groups,
                      const std::vector<std::string>& werkplaatsen) {
    auto user =
        server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "",
                                 {email, "Naam", role, groups, werkplaatsen, testing::kPassword});
    ASSERT_TRUE(user.ok()) << user.status().ToString();
  }
  static Login SignIn(const std::string& email) {
    auto login = server_->auth()->Login(email, testing::kPassword, "127.0.0.1");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login.ok() ? Login{login->session_id, login->csrf_token} : Login{};
  }
  static std::vector<std::string> Headers(const Login* who) {
    if (who == nullptr) return {};
    return {"Cookie: kpo_session=" + who->cookie, "X-CSRF-Token: " + who->csrf};
  }
  static HttpResponse Upload(const std::string& id, const Login* who, const std::string& body) {
    auto headers = Headers(who);
    headers.push_back(std::string("Content-Type: multipart/form-data; boundary=") + kBoundary);
    return HttpCall(server_->port(), "POST", "/api/documents/" + id + "/attachments", headers,
                    body);
  }
  static HttpResponse Get(const std::string& target, const Login* who = nullptr) {
    return HttpCall(server_->port(), "GET", target, Headers(who));
  }
  static HttpResponse Post(const std::string& target, const Login* who, const json& body) {
    auto headers = Headers(who);
    headers.push_back("Content-Type: application/json");
    return HttpCall(server_->port(), "POST", target, headers, body.dump());
  }
  // The redactie publishes the item's next version (its latest revision
  // saved again, submitted, approved) and waits for the index: what takes
  // an upload live.
  static void ReleaseNextVersion(const std::string& id) {
    Login redactie = SignIn("redactie@kpo.nl");
    const std::string base = "/api/documents/" + id;
    const int64_t revision = Get(base, &redactie).Json()["editorial"]["revision"];
    HttpResponse saved =
        Post(base + "/restore", &redactie, {{"revision", revision}, {"base_revision", revision}});
    ASSERT_EQ(saved.status, 200) << saved.body;
    for (const char* action : {"submit", "approve"}) {
      HttpResponse step = Post(base + "/transitions", &redactie, {{"action", action}});
      ASSERT_EQ(step.status, 200) << action << ": " << step.body;
    }
    ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};

testing::Corpus* AttachmentTest::corpus_ = nullptr;
testing::ServerFixture* AttachmentTest::server_ = nullptr;

TEST_F(AttachmentTest, PdfTextIsFoundBySearchAndTheHitNamesTheAttachment) {
  Login editor = SignIn("redacteur@bibob.nl");
  HttpResponse r = Upload("handreiking-bibob", &editor,
                          Multipart("Notitie kwartel.pdf", MinimalPdf("kwartelverordening 2026")));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["attachment"]["name"], "Notitie-kwartel.pdf");
  EXPECT_EQ(r.Json()["attachment"]["type"], "application/pdf");
  EXPECT_EQ(r.Json()["attachment"]["pending"], true);
  ReleaseNextVersion("handreiking-bibob");
  HttpResponse found = Get("/api/search?q=kwartelverordening");
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.Json()["total"], 1) << found.body;
  EXPECT_EQ(found.Json()["results"][0]["id"], "handreiking-bibob");
  EXPECT_EQ(found.Json()["results"][0]["attachment"], "Notitie-kwartel.pdf");
  // The portal's result says so too.
  HttpResponse page = Get("/zoeken?q=kwartelverordening");
  EXPECT_NE(page.body.find("Gevonden in bijlage <a class=\"utrecht-link\" "
                           "href=\"/api/documents/handreiking-bibob/attachments/"
                           "Notitie-kwartel.pdf\">"),
            std::string::npos);
  // A word of the body alone names no attachment.
  HttpResponse body_hit = Get("/api/search?q=bibob-toets");
  ASSERT_GE(body_hit.Json()["total"].get<int>(), 1);
  EXPECT_FALSE(body_hit.Json()["results"][0].contains("attachment"));

  // Listed and downloadable, as a download (not shown inline).
  HttpResponse list = Get("/api/documents/handreiking-bibob/attachments");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.Json()["attachments"].size(), 1u);
  HttpResponse file = Get("/api/documents/handreiking-bibob/attachments/Notitie-kwartel.pdf");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.Header("content-type"), "application/pdf");
  EXPECT_EQ(file.Header("content-disposition"), "attachment; filename=\"Notitie-kwartel.pdf\"");
  EXPECT_EQ(file.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(file.body.rfind("%PDF-1.4", 0), 0u);
  const std::string hash = list.Json()["attachments"][0]["sha256"];
  EXPECT_EQ(Get("/api/documents/handreiking-bibob/attachments/" + hash).status, 200);

  // The same bytes under another name are stored once.
  ASSERT_EQ(Upload("handreiking-bibob", &editor,
                   Multipart("kopie.pdf", MinimalPdf("kwartelverordening 2026")))
                .status,
            201);
  size_t stored = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(corpus_->data_dir() + "/attachments")) {
    if (e.is_regular_file() && e.path().filename() == hash) ++stored;
  }
  EXPECT_EQ(stored, 1u);
  // Audited: who, what, which item.
  auto audit = server_->auth()->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 100);
  ASSERT_TRUE(audit.ok());
  bool seen = false;
  for (const auto& e : audit->entries) {
    if (e.event == "attachment_uploaded" && e.actor == "redacteur@bibob.nl" &&
        e.subject == "handreiking-bibob" &&
        e.detail.find("\"name\":\"Notitie-kwartel.pdf\"") != std::string::npos) {
      seen = true;
      EXPECT_NE(e.detail.find(hash), std::string::npos);
    }
  }
  EXPECT_TRUE(seen);
}

TEST_F(AttachmentTest, TypeIsCheckedByContentNotByNameOrHeader) {
  Login editor = SignIn("redacteur@bibob.nl");
  const std::string elf = testing::ReadFile("/bin/true");
  ASSERT_EQ(elf.rfind("\x7f"
                      "ELF",
                      0),
            0u);
  HttpResponse r = Upload("handreiking-bibob", &editor, Multipart("rapport.pdf", elf));
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_EQ(r.ErrorCodeName(), "unsupported_attachment_type");
  EXPECT_NE(r.body.find("PDF"), std::string::npos);  // the Dutch message names what is accepted
  EXPECT_EQ(r.body.find("dosexec"), std::string::npos);
  EXPECT_EQ(r.body.find("executable"), std::string::npos);
  HttpResponse html =
      Upload("handreiking-bibob", &editor,
             Multipart("foto.png", "<html><script>alert(1)</script></html>", "image/png"));
  EXPECT_EQ(html.status, 415);
  // A real PNG under a .pdf name is stored as the PNG it is, and shown inline.
  HttpResponse png = Upload("handreiking-bibob", &editor, Multipart("plaatje.pdf", PngOf(100)));
  ASSERT_EQ(png.status, 201) << png.body;
  EXPECT_EQ(png.Json()["attachment"]["name"], "plaatje.png");
  ReleaseNextVersion("handreiking-bibob");
  HttpResponse shown = Get("/api/documents/handreiking-bibob/attachments/plaatje.png");
  EXPECT_EQ(shown.Header("content-type"), "image/png");
  EXPECT_EQ(shown.Header("content-disposition").rfind("inline", 0), 0u);
  EXPECT_EQ(shown.Header("x-content-type-options"), "nosniff");
  for (const std::string& bad :
       {std::string("geen multipart"), std::string("--") + kBoundary + "\r\nkapot",
        Multipart("leeg.pdf", "")}) {
    HttpResponse b = Upload("handreiking-bibob", &editor, bad);
    EXPECT_EQ(b.status, 400) << bad;
  }
}

TEST_F(AttachmentTest, OnlyTheUploadRouteTakesLargeBodiesAndTooLargeIsOne413) {
  Login editor = SignIn("redacteur@bibob.nl");
  // 1.5 MiB: above every other route's 1 MiB, within the upload limit (2 MiB here).
  HttpResponse big =
      Upload("handreiking-bibob", &editor, Multipart("groot.png", PngOf(size_t{3} << 19)));
  EXPECT_EQ(big.status, 201) << big.body.substr(0, 300);
  HttpResponse login =
      HttpCall(server_->port(), "POST", "/api/auth/login", {"Content-Type: application/json"},
               std::string(size_t{3} << 19, ' '));
  EXPECT_EQ(login.status, 413);

  // Over the limit: refused from the head alone, once, and the connection
  // closes. The read waits up to 20 s, past the server's 10 s header
  // timeout: on a loaded CI machine the answer once came later than 5 s
  // (the server had logged the 413 at once; not explained), and a lost
  // answer still fails here, as a close without a 413.
  const int fd = testing::ConnectRaw(server_->port(), 20);
  ASSERT_GE(fd, 0);
  const size_t length = size_t{3} << 20;
  std::string head =
      "POST /api/documents/handreiking-bibob/attachments HTTP/1.1\r\nHost: x\r\n"
      "Cookie: kpo_session=" +
      editor.cookie + "\r\nX-CSRF-Token: " + editor.csrf +
      "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
      "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
  ASSERT_TRUE(testing::SendAll(fd, head));
  (void)testing::SendAll(fd, std::string(64 << 10, 'x'));  // may fail once the server closes
  bool closed = false;
  const std::string answer = testing::ReadUntilClosed(fd, &closed);
  close(fd);
  EXPECT_TRUE(closed);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
  size_t responses = 0;
  for (size_t p = answer.find("HTTP/1."); p != std::string::npos;
       p = answer.find("HTTP/1.", p + 1)) {
    ++responses;
  }
  EXPECT_EQ(responses, 1u);
  EXPECT_NE(answer.find("payload_too_large"), std::string::npos);
  // The server still serves, and left no upload file behind.
  EXPECT_EQ(Get("/api/health").status, 200);
  size_t left = 0;
  for (const auto& e : std::filesystem::directory_iterator(corpus_->data_dir() + "/uploads")) {
    (void)e;
    ++left;
  }
  EXPECT_EQ(left, 0u);
}

TEST_F(AttachmentTest, OnlyEditorsOfTheWerkplaatsAndTheRedactieUpload) {
  Login other = SignIn("redacteur@integriteit.nl");
  Login member = SignIn("ambtenaar@gemeente.nl");
  Login redactie = SignIn("redactie@kpo.nl");
  const std::string body = Multipart("x.pdf", MinimalPdf("toegang"));
  EXPECT_EQ(Upload("handreiking-bibob", nullptr, body).status, 401);
  EXPECT_EQ(Upload("handreiking-bibob", &other, body).status, 403);
  EXPECT_EQ(Upload("handreiking-bibob", &member, body).status, 403);
  HttpResponse no_csrf =
      HttpCall(server_->port(), "POST", "/api/documents/handreiking-bibob/attachments",
               {"Cookie: kpo_session=" + redactie.cookie,
                std::string("Content-Type: multipart/form-data; boundary=") + kBoundary},
               body);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(Upload("bestaat-niet", &redactie, body).status, 404);
  // The member cannot read the police item: 404, as if it did not exist.
  HttpResponse hidden = Upload("politie-notitie", &member, body);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.ErrorCodeName(), "document_not_found");
  EXPECT_EQ(hidden.body.find("Notitie voor de politie"), std::string::npos);
  EXPECT_EQ(Upload("politie-notitie", &redactie, body).status, 201);
}

TEST_F(AttachmentTest, DownloadsFollowTheItemsAccessRules) {
  Login redactie = SignIn("redactie@kpo.nl");
  Login agent = SignIn("agent@politie.nl");
  Login member = SignIn("ambtenaar@gemeente.nl");
  ASSERT_EQ(
      Upload("politie-notitie", &redactie, Multipart("geheim.pdf", MinimalPdf("zebravinkoperatie")))
          .status,
      201);
  ReleaseNextVersion("politie-notitie");
  const std::string url = "/api/documents/politie-notitie/attachments/geheim.pdf";
  EXPECT_EQ(Get(url, &agent).status, 200);
  const HttpResponse missing = Get("/api/documents/bestaat-niet/attachments/geheim.pdf", &member);
  for (const Login* who :
       {static_cast<const Login*>(nullptr), static_cast<const Login*>(&member)}) {
    HttpResponse r = Get(url, who);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.ErrorCodeName(), missing.ErrorCodeName());
    EXPECT_EQ(r.body.find("geheim"), std::string::npos);
    EXPECT_EQ(Get("/api/documents/politie-notitie/attachments", who).status, 404);
  }
  EXPECT_EQ(Get("/api/documents/politie-notitie/attachments/ander.pdf", &agent).status, 404);
  // Who uploaded is for those who work on the item, not for its readers.
  const auto listed = Get("/api/documents/politie-notitie/attachments", &agent).Json();
  ASSERT_FALSE(listed["attachments"].empty());
  for (const auto& a : listed["attachments"]) EXPECT_FALSE(a.contains("uploaded_by")) << a;
  const auto staff = Get("/api/documents/politie-notitie/attachments", &redactie).Json();
  for (const auto& a : staff["attachments"]) EXPECT_EQ(a["uploaded_by"], "redactie@kpo.nl") << a;
  // Search finds the police attachment's text only for those who read the item.
  ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  EXPECT_EQ(Get("/api/search?q=zebravinkoperatie", &agent).Json()["total"], 1);
  EXPECT_EQ(Get("/api/search?q=zebravinkoperatie", &member).Json()["total"], 0);
  EXPECT_EQ(Get("/api/search?q=zebravinkoperatie").Json()["total"], 0);
}

TEST_F(AttachmentTest, DraftOnlyItemTakesAttachmentsAndShowsThemOnlyToItsEditors) {
  Login editor = SignIn("redacteur@bibob.nl");
  Login other = SignIn("redacteur@integriteit.nl");
  Login redactie = SignIn("redactie@kpo.nl");
  Login member = SignIn("ambtenaar@gemeente.nl");
  auto headers = Headers(&editor);
  headers.push_back("Content-Type: application/json");
  HttpResponse created = HttpCall(server_->port(), "POST", "/api/documents", headers,
                                  json{{"id", "concept-met-bijlage"},
                                       {"title", "Concept met bijlage"},
                                       {"type", "nieuws"},
                                       {"themes", {"bibob"}},
                                       {"access", "public"},
                                       {"body", "Nog niet gepubliceerd."}}
                                      .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  // Never published: the editors of its werkplaats and the redactie upload.
  HttpResponse by_editor =
      Upload("concept-met-bijlage", &editor, Multipart("plan.pdf", MinimalPdf("uilenconcept")));
  ASSERT_EQ(by_editor.status, 201) << by_editor.body;
  ASSERT_EQ(Upload("concept-met-bijlage", &redactie, Multipart("bijlage.pdf", MinimalPdf("extra")))
                .status,
            201);
  // Those who may not read the draft learn nothing: the 404 of a missing item.
  const HttpResponse missing = Get("/api/documents/bestaat-niet/attachments/plan.pdf", &member);
  EXPECT_EQ(Upload("concept-met-bijlage", &other, Multipart("x.pdf", MinimalPdf("x"))).status, 404);
  EXPECT_EQ(Upload("concept-met-bijlage", &member, Multipart("x.pdf", MinimalPdf("x"))).status,
            404);
  const std::string url = "/api/documents/concept-met-bijlage/attachments/plan.pdf";
  for (const Login* who : {&editor, &redactie}) {
    HttpResponse file = Get(url, who);
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_EQ(file.Header("content-disposition"), "attachment; filename=\"plan.pdf\"");
    EXPECT_EQ(
        Get("/api/documents/concept-met-bijlage/attachments", who).Json()["attachments"].size(),
        2u);
  }
  for (const Login* who : {static_cast<const Login*>(nullptr), static_cast<const Login*>(&member),
                           static_cast<const Login*>(&other)}) {
    HttpResponse r = Get(url, who);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.ErrorCodeName(), missing.ErrorCodeName());
    EXPECT_EQ(r.body.find("plan"), std::string::npos);
    EXPECT_EQ(Get("/api/documents/concept-met-bijlage/attachments", who).status, 404);
  }
  // The draft's attachment text is in no reader's search.
  ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  EXPECT_EQ(Get("/api/search?q=uilenconcept").Json()["total"], 0);
  EXPECT_EQ(Get("/api/search?q=uilenconcept", &member).Json()["total"], 0);
  EXPECT_EQ(Get("/api/search?q=uilenconcept", &redactie).Json()["total"], 0);
  // Audited with the draft's state.
  auto audit = server_->auth()->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 100);
  ASSERT_TRUE(audit.ok());
  bool seen = false;
  for (const auto& e : audit->entries) {
    if (e.event == "attachment_uploaded" && e.subject == "concept-met-bijlage" &&
        e.detail.find("\"name\":\"plan.pdf\"") != std::string::npos) {
      seen = true;
      EXPECT_NE(e.detail.find("\"state\":\"draft\""), std::string::npos) << e.detail;
    }
  }
  EXPECT_TRUE(seen);
}

// An editor's upload to a published item is the editor's part of the next
// version: readers of the live one neither see, download nor find it (nor
// a replacement of a live file) until the redactie approves.
TEST_F(AttachmentTest, UploadToAPublishedItemGoesLiveOnlyWithTheNextApproval) {
  Login editor = SignIn("redacteur@bibob.nl");
  Login member = SignIn("ambtenaar@gemeente.nl");
  const std::string base = "/api/documents/handreiking-bibob/attachments";
  ASSERT_EQ(Upload("handreiking-bibob", &editor,
                   Multipart("wachtrij.pdf", MinimalPdf("reigerprotocol eerste")))
                .status,
            201);
  ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  auto names = [&](const Login* who) {
    std::vector<std::string> out;
    const json list = Get(base, who).Json();  // kept: the loop reads into it
    for (const auto& a : list["attachments"]) {
      out.push_back(a["name"].get<std::string>() + (a["pending"].get<bool>() ? "*" : ""));
    }
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& name) {
    return std::find(v.begin(), v.end(), name) != v.end();
  };
  EXPECT_TRUE(has(names(&editor), "wachtrij.pdf*"));
  for (const Login* who :
       {static_cast<const Login*>(nullptr), static_cast<const Login*>(&member)}) {
    EXPECT_FALSE(has(names(who), "wachtrij.pdf")) << "a reader sees an unapproved upload";
    EXPECT_FALSE(has(names(who), "wachtrij.pdf*"));
    EXPECT_EQ(Get(base + "/wachtrij.pdf", who).status, 404);
    EXPECT_EQ(Get("/api/search?q=reigerprotocol", who).Json()["total"], 0);
  }
  EXPECT_EQ(Get(base + "/wachtrij.pdf", &editor).status, 200);
  const std::string link = "href=\"" + base + "/wachtrij.pdf\">wachtrij.pdf</a>";
  EXPECT_EQ(Get("/items/handreiking-bibob").body.find(link), std::string::npos);

  // A live save that is no approval, made as the academy saves a course
  // and the file importer an item: the upload stays pending. Before, any
  // live revision above the upload's released it.
  {
    auto store = store::ItemStore::Open(corpus_->data_dir() + "/kpo.sqlite");
    ASSERT_TRUE(store.ok());
    auto item = (*store)->Get("handreiking-bibob");
    auto latest = (*store)->LatestRevision("handreiking-bibob");
    ASSERT_TRUE(item.ok() && item->has_value() && latest.ok());
    ASSERT_TRUE(
        (*store)
            ->Save(**item, store::SaveRequest{*latest, "academie@kpo.nl", store::Version::kLive})
            .ok());
  }
  ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  for (const Login* who :
       {static_cast<const Login*>(nullptr), static_cast<const Login*>(&member)}) {
    EXPECT_FALSE(has(names(who), "wachtrij.pdf")) << "a live save that is no approval released it";
    EXPECT_EQ(Get(base + "/wachtrij.pdf", who).status, 404);
    EXPECT_EQ(Get("/api/search?q=reigerprotocol", who).Json()["total"], 0);
  }
  EXPECT_EQ(Get("/items/handreiking-bibob").body.find(link), std::string::npos);

  ReleaseNextVersion("handreiking-bibob");
  EXPECT_TRUE(has(names(&member), "wachtrij.pdf"));
  // The public item page lists it, with its kind in words.
  const std::string page = Get("/items/handreiking-bibob").body;
  EXPECT_NE(page.find(link), std::string::npos);
  EXPECT_NE(page.find("PDF-document"), std::string::npos);
  EXPECT_EQ(Get(base + "/wachtrij.pdf").status, 200);
  EXPECT_EQ(Get("/api/search?q=reigerprotocol").Json()["total"], 1);

  // A replacement under the same name: the live file stays until approved.
  ASSERT_EQ(Upload("handreiking-bibob", &editor,
                   Multipart("wachtrij.pdf", MinimalPdf("reigerprotocol tweede kraanvogel")))
                .status,
            201);
  ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  EXPECT_EQ(Get(base + "/wachtrij.pdf").body.find("kraanvogel"), std::string::npos);
  EXPECT_NE(Get(base + "/wachtrij.pdf", &editor).body.find("kraanvogel"), std::string::npos);
  EXPECT_EQ(Get("/api/search?q=kraanvogel").Json()["total"], 0);
  ReleaseNextVersion("handreiking-bibob");
  EXPECT_NE(Get(base + "/wachtrij.pdf").body.find("kraanvogel"), std::string::npos);
  EXPECT_EQ(Get("/api/search?q=kraanvogel").Json()["total"], 1);
}

// Removing: an upload not yet live goes at once; an editor's removal of a
// live file goes with the next approved version (readers keep it, search
// finds it, until then); the redactie removes at once; the bytes leave the
// disk when no row uses them, right after the approval that makes them
// unreachable. Each step is audited.
TEST_F(AttachmentTest, RemovalGoesWithTheNextApprovalOrAtOnceForTheRedactie) {
  Login editor = SignIn("redacteur@bibob.nl");
  Login other = SignIn("redacteur@integriteit.nl");
  Login redactie = SignIn("redactie@kpo.nl");
  Login member = SignIn("ambtenaar@gemeente.nl");
  const std::string base = "/api/documents/handreiking-bibob/attachments";
  auto remove = [&](const std::string& name, const Login* who) {
    return HttpCall(server_->port(), "DELETE", base + "/" + name, Headers(who));
  };
  auto stored = [&](const HttpResponse& upload) {
    const std::string hash = upload.Json()["attachment"]["sha256"];
    return std::filesystem::exists(corpus_->data_dir() + "/attachments/" + hash.substr(0, 2) + "/" +
                                   hash);
  };
  auto listed = [&](const Login* who) {
    std::map<std::string, json> out;
    const json list = Get(base, who).Json();
    for (const auto& a : list["attachments"]) out[a["name"].get<std::string>()] = a;
    return out;
  };
  auto found = [&](const std::string& word, const Login* who) {
    return Get("/api/search?q=" + word, who).Json()["total"].get<int>();
  };

  // Not yet live: gone at once, bytes and all.
  HttpResponse first =
      Upload("handreiking-bibob", &editor, Multipart("kievit.pdf", MinimalPdf("grutto eerste")));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_TRUE(stored(first));
  EXPECT_EQ(remove("kievit.pdf", &other).status, 403);  // another werkplaats's editor
  EXPECT_EQ(remove("kievit.pdf", nullptr).status, 401);
  EXPECT_EQ(HttpCall(server_->port(), "DELETE", base + "/kievit.pdf",
                     {"Cookie: kpo_session=" + editor.cookie})
                .status,
            403);  // no CSRF header
  HttpResponse gone = remove("kievit.pdf", &editor);
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_EQ(gone.Json()["now"], true);
  EXPECT_EQ(listed(&editor).count("kievit.pdf"), 0u);
  EXPECT_FALSE(stored(first)) << "the bytes of a removed upload stayed on disk";
  HttpResponse again = remove("kievit.pdf", &editor);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.ErrorCodeName(), "attachment_not_found");
  EXPECT_EQ(remove("bestaat-niet.pdf", &editor).status, 404);

  // Live, then an editor removes it: readers keep it until the next approval.
  HttpResponse live =
      Upload("handreiking-bibob", &editor, Multipart("kievit.pdf", MinimalPdf("grutto tweede")));
  ASSERT_EQ(live.status, 201) << live.body;
  ReleaseNextVersion("handreiking-bibob");
  ASSERT_EQ(found("grutto", &member), 1);
  HttpResponse asked = remove("kievit.pdf", &editor);
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(asked.Json()["now"], false);
  ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  EXPECT_EQ(listed(&member).count("kievit.pdf"), 1u);
  EXPECT_EQ(Get(base + "/kievit.pdf", &member).status, 200);
  EXPECT_EQ(found("grutto", &member), 1);
  EXPECT_EQ(listed(&editor)["kievit.pdf"]["removing"], true);
  EXPECT_EQ(remove("kievit.pdf", &editor).status, 404);  // already asked for
  ReleaseNextVersion("handreiking-bibob");
  EXPECT_EQ(listed(&member).count("kievit.pdf"), 0u);
  EXPECT_EQ(listed(&editor).count("kievit.pdf"), 0u);
  EXPECT_EQ(Get(base + "/kievit.pdf", &member).status, 404);
  EXPECT_EQ(found("grutto", &member), 0);
  EXPECT_FALSE(stored(live)) << "the approval left the removed file's bytes";

  // The redactie removes a live file at once: readers, search, bytes.
  HttpResponse urgent = Upload("handreiking-bibob", &editor,
                               Multipart("persoonsgegevens.pdf", MinimalPdf("tureluur derde")));
  ASSERT_EQ(urgent.status, 201) << urgent.body;
  ReleaseNextVersion("handreiking-bibob");
  ASSERT_EQ(found("tureluur", nullptr), 1);
  HttpResponse now = remove("persoonsgegevens.pdf", &redactie);
  ASSERT_EQ(now.status, 200) << now.body;
  EXPECT_EQ(now.Json()["now"], true);
  ASSERT_TRUE(server_->kb()->WaitForIndex(std::chrono::seconds(10)));
  EXPECT_EQ(Get(base + "/persoonsgegevens.pdf").status, 404);
  EXPECT_EQ(found("tureluur", nullptr), 0);
  EXPECT_FALSE(stored(urgent));

  // Each removal is in the audit log.
  auto audit = server_->auth()->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 100);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> removals;
  for (const auto& e : audit->entries) {
    if (e.event == "attachment_removed") removals.push_back(e.actor + " " + e.detail);
  }
  ASSERT_EQ(removals.size(), 3u);
  EXPECT_NE(removals[0].find("redactie@kpo.nl"), std::string::npos);  // newest first
  EXPECT_NE(removals[0].find("\"now\":true"), std::string::npos);
}

// What the redactie approves is what goes live: while an item is in review
// or scheduled its editors neither upload nor remove (the redactie may); an
// archived item's file can still be taken down by the redactie. A pending
// upload that replaces a live file says so, and removing it takes both.
TEST_F(AttachmentTest, EditorsChangeFilesOnlyInADraftAndTheRedactieAlsoOnAnArchivedItem) {
  Login editor = SignIn("redacteur@bibob.nl");
  Login redactie = SignIn("redactie@kpo.nl");
  auto json_headers = [](const Login& who) {
    auto h = Headers(&who);
    h.push_back("Content-Type: application/json");
    return h;
  };
  const std::string id = "stuk-in-beoordeling";
  ASSERT_EQ(HttpCall(server_->port(), "POST", "/api/documents", json_headers(editor),
                     json{{"id", id},
                          {"title", "Stuk in beoordeling"},
                          {"type", "nieuws"},
                          {"themes", {"bibob"}},
                          {"access", "public"},
                          {"body", "Tekst."}}
                         .dump())
                .status,
            201);
  const std::string base = "/api/documents/" + id + "/attachments";
  ASSERT_EQ(Upload(id, &editor, Multipart("lepelaar.pdf", MinimalPdf("lepelaar een"))).status, 201);
  ASSERT_EQ(Post("/api/documents/" + id + "/transitions", &editor, {{"action", "submit"}}).status,
            200);
  HttpResponse upload = Upload(id, &editor, Multipart("later.pdf", MinimalPdf("later")));
  EXPECT_EQ(upload.status, 409) << upload.body;
  EXPECT_EQ(upload.ErrorCodeName(), "invalid_transition");
  EXPECT_NE(upload.body.find("ligt bij de redactie"), std::string::npos);
  auto remove = [&](const std::string& name, const Login& who) {
    return HttpCall(server_->port(), "DELETE", base + "/" + name, Headers(&who));
  };
  EXPECT_EQ(remove("lepelaar.pdf", editor).status, 409);
  ASSERT_EQ(Upload(id, &redactie, Multipart("toelichting.pdf", MinimalPdf("toelichting"))).status,
            201);
  ASSERT_EQ(
      Post("/api/documents/" + id + "/transitions", &redactie, {{"action", "approve"}}).status,
      200);
  EXPECT_EQ(Get(base + "/lepelaar.pdf").status, 200);

  // A replacement not yet live: the list says a live version exists, and
  // the redactie's removal takes both at once.
  HttpResponse replacement =
      Upload(id, &editor, Multipart("lepelaar.pdf", MinimalPdf("lepelaar twee")));
  ASSERT_EQ(replacement.status, 201) << replacement.body;
  EXPECT_EQ(replacement.Json()["attachment"]["live_version"], true);
  const json listed = Get(base, &editor).Json();
  ASSERT_EQ(listed["attachments"].size(), 2u) << listed;
  EXPECT_EQ(listed["attachments"][0]["name"], "lepelaar.pdf");
  EXPECT_EQ(listed["attachments"][0]["pending"], true);
  EXPECT_EQ(listed["attachments"][0]["live_version"], true);
  EXPECT_EQ(listed["attachments"][1]["live_version"], true);  // toelichting.pdf, live

  // Archived: the editor may not touch it, the redactie takes a file down.
  ASSERT_EQ(
      Post("/api/documents/" + id + "/transitions", &redactie, {{"action", "archive"}}).status,
      200);
  EXPECT_EQ(remove("lepelaar.pdf", editor).status, 403);
  HttpResponse gone = remove("lepelaar.pdf", redactie);
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_EQ(gone.Json()["now"], true);
  EXPECT_EQ(Get(base + "/lepelaar.pdf", &redactie).status, 404);
  EXPECT_EQ(Get(base, &redactie).Json()["attachments"].size(), 1u);

  // A name that cannot be a stored one is not repeated in the answer.
  HttpResponse odd = remove(std::string(300, 'a') + "%E2%80%AE.pdf", redactie);
  EXPECT_EQ(odd.status, 404);
  EXPECT_EQ(odd.body.find("aaaaaaaaaa"), std::string::npos) << odd.body;
  EXPECT_NE(odd.body.find("geen bijlage met die naam"), std::string::npos) << odd.body;
}

// A body on a removal is refused, as on every route without one.
TEST_F(AttachmentTest, RemovalTakesNoBody) {
  Login editor = SignIn("redacteur@bibob.nl");
  auto headers = Headers(&editor);
  headers.push_back("Content-Type: application/json");
  HttpResponse r =
      HttpCall(server_->port(), "DELETE", "/api/documents/handreiking-bibob/attachments/x.pdf",
               headers, R"({"now": true})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCodeName(), "invalid_field");
}

}  // namespace
}  // namespace kpo

namespace kpo {
namespace {

// Files under the server's upload directory (streamed bodies).
std::set<std::string> UploadFiles(const std::string& data_dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir + "/uploads", ec)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// The files in data/uploads that `before` did not list. Only new ones
// count: an earlier test's upload may still be cleared away meanwhile.
size_t NewUploadFiles(const std::string& data_dir, const std::set<std::string>& before) {
  size_t n = 0;
  for (const auto& name : UploadFiles(data_dir)) n += before.count(name) == 0 ? 1 : 0;
  return n;
}

// Before the fix the gate stored the whole body (8 anonymous 25 MB
// uploads put 193 MB on disk) and answered 401 only after it: here the
// client sends the head alone and must get its answer, and the connection
// closed, within the socket's 5 s timeout, with nothing stored.
TEST_F(AttachmentTest, AnUploadWithoutSessionOrCsrfIsRefusedOnItsHeadBeforeAnyBody) {
  Login editor = SignIn("redacteur@bibob.nl");
  struct Case {
    std::string target;
    std::string headers;
    int status;
  };
  const std::string api = "/api/documents/bestaat-niet/attachments";
  const std::vector<Case> cases = {
      {api, "", 401},
      {api, "Authorization: Bearer onzin\r\n", 401},
      {api, "Cookie: kpo_session=verlopen\r\n", 401},
      {api, "Cookie: kpo_session=" + editor.cookie + "\r\n", 403},  // no CSRF header
      {api, "Cookie: kpo_session=" + editor.cookie + "\r\nX-CSRF-Token: fout\r\n", 403},
      {"/redactie/stukken/handreiking-bibob/bijlagen", "", 403},  // the portal: "Geen toegang"
  };
  const std::set<std::string> before = UploadFiles(corpus_->data_dir());
  for (const Case& c : cases) {
    const int fd = ConnectRaw(server_->port());
    ASSERT_GE(fd, 0);
    const std::string head =
        "POST " + c.target + " HTTP/1.1\r\nHost: kpo.test\r\n" + c.headers +
        "Content-Type: multipart/form-data; boundary=" + kBoundary +
        "\r\nContent-Length: " + std::to_string(testing::ServerFixture::kMaxUploadBytes) +
        "\r\n\r\n";
    ASSERT_TRUE(SendAll(fd, head));
    ASSERT_TRUE(SendAll(fd, std::string(4096, 'x')));  // a first piece of body
    EXPECT_EQ(NewUploadFiles(corpus_->data_dir(), before), 0u) << c.target << " " << c.headers;
    bool closed = false;
    const std::string got = ReadUntilClosed(fd, &closed);
    ::close(fd);
    EXPECT_EQ(got.rfind("HTTP/1.1 " + std::to_string(c.status) + " ", 0), 0u)
        << c.target << " " << c.headers << ": " << got.substr(0, 300);
    EXPECT_TRUE(closed) << c.target << " " << c.headers;
    EXPECT_NE(got.find("Connection: Close"), std::string::npos) << got.substr(0, 300);
  }
  EXPECT_EQ(NewUploadFiles(corpus_->data_dir(), before), 0u);
  // A signed-in editor's upload still goes through.
  EXPECT_EQ(
      Upload("handreiking-bibob", &editor, Multipart("ok.pdf", MinimalPdf("toegestaan"))).status,
      201);
}

// Before the fix an upload's text extraction ran on a reactor thread, and
// every connection pinned to it waited (GET /api/health took 40 s behind
// four zip bombs). A stand-in pdftotext that takes 8 s keeps one upload in
// extraction: health answers on several connections (so on every reactor)
// within 5 s meanwhile, and a second upload is told to retry (503).
TEST_F(AttachmentTest, HealthAnswersPromptlyWhileAnUploadsTextIsExtracted) {
  testing::TempDir tools;
  const std::string marker = tools.Sub("gestart");
  testing::WriteFile(tools.Sub("pdftotext"), "#!/bin/sh\ntouch '" + marker +
                                                 "'\nsleep 8\nexec /usr/bin/pdftotext \"$@\"\n");
  std::filesystem::permissions(tools.Sub("pdftotext"), std::filesystem::perms::owner_all);
  const std::string old_path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  ::setenv("PATH", (tools.path() + ":" + old_path).c_str(), 1);
  struct RestorePath {
    std::string path;
    ~RestorePath() { ::setenv("PATH", path.c_str(), 1); }
  } restore{old_path};

  Login editor = SignIn("redacteur@bibob.nl");
  // New bytes on every run (--gtest_repeat): a file stored before may not
  // be extracted again.
  const std::string unique =
      "traagheid" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  HttpResponse slow;
  std::thread upload([&] {
    slow = Upload("handreiking-bibob", &editor, Multipart("traag.pdf", MinimalPdf(unique)));
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!std::filesystem::exists(marker) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!std::filesystem::exists(marker)) {
    upload.join();
    FAIL() << "the extraction did not start: " << slow.status << " " << slow.body;
  }
  const auto asked = std::chrono::steady_clock::now();
  std::vector<int> fds;
  for (int i = 0; i < 4; ++i) fds.push_back(ConnectRaw(server_->port(), 5));
  for (int fd : fds) {
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(
        SendAll(fd, "GET /api/health HTTP/1.1\r\nHost: kpo.test\r\nConnection: close\r\n\r\n"));
  }
  for (int fd : fds) {
    const std::string got = ReadUntilClosed(fd);
    ::close(fd);
    EXPECT_EQ(got.rfind("HTTP/1.1 200 ", 0), 0u) << got.substr(0, 200);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(5));
  // The one upload worker is busy: a second upload is refused, not queued.
  HttpResponse busy =
      Upload("handreiking-bibob", &editor, Multipart("tweede.pdf", MinimalPdf("tweede")));
  EXPECT_EQ(busy.status, 503) << busy.body;
  EXPECT_EQ(busy.ErrorCodeName(), "service_unavailable");
  EXPECT_FALSE(busy.Header("retry-after").empty());
  upload.join();
  EXPECT_EQ(slow.status, 201) << slow.body;
}

}  // namespace
}  // namespace kpo
