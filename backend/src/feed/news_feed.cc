// Implements news_feed.h.
#include "feed/news_feed.h"

#include <chrono>
#include <vector>

#include "access/auth_service.h"
#include "access/password.h"
#include "feed/atom.h"
#include "knowledge/knowledge_base.h"
#include "store/sqlite.h"

namespace kpo::feed {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS news_feeds(
  user_id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL);
)sql";

Status NotFound() {
  return Status::Error(ErrorCode::kNewsFeedNotFound,
                       "Deze feed-link werkt niet (meer). Maak een nieuwe aan in het portaal.");
}

// Links belong to accounts: anonymous callers and API tokens (user id 0) have none.
Status RequireAccount(const Principal& who) {
  if (who.user_id > 0) return Status::Ok();
  return Status::Error(ErrorCode::kAuthenticationRequired,
                       "Log in met uw account om een persoonlijke feed-link te beheren.");
}

}  // namespace

StatusOr<std::unique_ptr<NewsFeed>> NewsFeed::Open(knowledge::KnowledgeBase* kb,
                                                   access::AuthService* auth, FeedOptions options) {
  auto db = store::Db::Open(options.data_dir + "/feeds.sqlite");
  if (!db.ok()) return db.status();
  KPO_RETURN_IF_ERROR((*db)->Exec(kSchema));
  return std::unique_ptr<NewsFeed>(new NewsFeed(kb, auth, std::move(options), std::move(*db)));
}

NewsFeed::NewsFeed(knowledge::KnowledgeBase* kb, access::AuthService* auth, FeedOptions options,
                   std::unique_ptr<store::Db> db)
    : kb_(kb), auth_(auth), options_(std::move(options)), db_(std::move(db)) {}

NewsFeed::~NewsFeed() = default;

int64_t NewsFeed::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StatusOr<std::string> NewsFeed::Render(const Principal& who, const std::string& self_path) {
  knowledge::SearchParams params;
  params.filters["type"] = "nieuws,product";
  params.sort = "date";
  params.size = std::to_string(options_.entries);
  auto page = kb_->Search(who, params);
  if (!page.ok()) return page.status();
  std::vector<Item> items;
  for (auto& hit : page->hits) {
    // Editors and the redactie may read unpublished items; a feed is what
    // readers get, so only what is published goes in.
    if (hit.item.status == "published") items.push_back(std::move(hit.item));
  }
  AtomFeed feed;
  feed.id = "tag:kpo.nl,2020:feed";
  feed.title = "Kennisplatform Ondermijning — nieuws en producten";
  feed.self_path = self_path;
  feed.updated = "2020-11-01T00:00:00Z";  // the platform's launch: a feed with no entries yet
  return RenderAtom(feed, items);
}

StatusOr<std::string> NewsFeed::Atom(const Principal& who) { return Render(who, "/feed.atom"); }

StatusOr<std::string> NewsFeed::PersonalAtom(const std::string& token) {
  if (!access::IsWellFormedToken(token)) return NotFound();
  int64_t user_id = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto stmt = db_->Prepare("SELECT user_id FROM news_feeds WHERE token_hash = ?");
    if (!stmt.ok()) return stmt.status();
    auto row = stmt->Bind(1, access::TokenHash(token)).Step();
    if (!row.ok()) return row.status();
    if (!*row) return NotFound();
    user_id = stmt->Int(0);
  }
  auto owner = auth_->PrincipalOfUser(user_id);
  if (!owner.ok()) {
    return owner.status().code() == ErrorCode::kUserNotFound ? NotFound() : owner.status();
  }
  // The self link is the generic one: the secret never appears in the body.
  return Render(*owner, "/feed.atom");
}

StatusOr<FeedLink> NewsFeed::CreateLink(const Principal& who) {
  KPO_RETURN_IF_ERROR(RequireAccount(who));
  FeedLink link;
  link.token = access::RandomToken();
  link.path = "/feed/" + link.token + ".atom";
  link.created_at = Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(
      "INSERT INTO news_feeds(user_id, token_hash, created_at) VALUES(?, ?, ?) "
      "ON CONFLICT(user_id) DO UPDATE SET token_hash = excluded.token_hash, "
      "created_at = excluded.created_at");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, who.user_id)
                          .Bind(2, access::TokenHash(link.token))
                          .Bind(3, link.created_at)
                          .Run());
  return link;
}

Status NewsFeed::RevokeLink(const Principal& who) {
  KPO_RETURN_IF_ERROR(RequireAccount(who));
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("DELETE FROM news_feeds WHERE user_id = ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, who.user_id).Run();
}

StatusOr<std::optional<FeedLink>> NewsFeed::Link(const Principal& who) {
  KPO_RETURN_IF_ERROR(RequireAccount(who));
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("SELECT created_at FROM news_feeds WHERE user_id = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, who.user_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<FeedLink>();
  FeedLink link;
  link.created_at = stmt->Int(0);
  return std::optional<FeedLink>(link);
}

}  // namespace kpo::feed
