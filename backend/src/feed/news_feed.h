// The news feed (issue 10): GET /feed.atom, the published news and products
// the caller may read, and personal feed links for members, whose feed
// readers send no cookie. Owns: the file <data>/feeds.sqlite (one row per
// account: the BLAKE2b hash of its feed secret and when it was made; the
// secret itself is shown once and never stored) and which items a feed
// holds. Who may read an item is the knowledge base's (access keys): a
// personal feed is the search of its owner, read fresh on every request, so a
// changed role, group or a disabled account applies at once.
// Why a file of its own: accounts.sqlite belongs to access/ (and its
// migrations); a feed secret needs no transaction with anything there.
// May not touch: HTTP, Xapian, accounts (read through AuthService only).
// Thread-safety: every method may be called from any thread at once (one
// SQLite connection behind a mutex: feeds are read rarely).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kpo/access/principal.h"
#include "kpo/status.h"

namespace kpo::knowledge {
class KnowledgeBase;
}
namespace kpo::access {
class AuthService;
}
namespace kpo::store {
class Db;
}

namespace kpo::feed {

struct FeedOptions {
  std::string data_dir;  // holds feeds.sqlite; required
  // Entries per feed, newest first. Default: 50.
  int entries = 50;
  // Current time in unix seconds. Default: empty, meaning the system clock.
  std::function<int64_t()> clock;
};

// A personal feed link (CreateLink); `token` only right after creation.
struct FeedLink {
  std::string token;       // raw secret; "" when read back
  std::string path;        // /feed/<token>.atom; "" when read back
  int64_t created_at = 0;  // unix seconds
};

class NewsFeed {
 public:
  // `kb` and `auth` must outlive the feed. Errors: kStorageError.
  static StatusOr<std::unique_ptr<NewsFeed>> Open(knowledge::KnowledgeBase* kb,
                                                  access::AuthService* auth, FeedOptions options);
  ~NewsFeed();

  // Atom 1.0 of the published nieuws and product items `who` may read,
  // newest first. Errors: kIndexError, kStorageError.
  StatusOr<std::string> Atom(const Principal& who);
  // The feed behind a personal link, as its owner would see it now.
  // Errors: kNewsFeedNotFound (malformed, unknown or revoked secret, or the
  // account is disabled or gone: one answer for all), kStorageError.
  StatusOr<std::string> PersonalAtom(const std::string& token);

  // A new secret link for the caller; an older one stops working.
  // Errors: kAuthenticationRequired (anonymous, or an API token: links
  // belong to accounts), kStorageError.
  StatusOr<FeedLink> CreateLink(const Principal& who);
  // Revokes the caller's link (OK when there is none).
  // Errors: kAuthenticationRequired, kStorageError.
  Status RevokeLink(const Principal& who);
  // Whether the caller has a link (never its secret).
  // Errors: kAuthenticationRequired, kStorageError.
  StatusOr<std::optional<FeedLink>> Link(const Principal& who);

 private:
  NewsFeed(knowledge::KnowledgeBase* kb, access::AuthService* auth, FeedOptions options,
           std::unique_ptr<store::Db> db);
  StatusOr<std::string> Render(const Principal& who, const std::string& self_path);
  int64_t Now() const;

  knowledge::KnowledgeBase* kb_;
  access::AuthService* auth_;
  const FeedOptions options_;
  std::mutex mu_;
  std::unique_ptr<store::Db> db_;  // GUARDED_BY(mu_)
};

}  // namespace kpo::feed
