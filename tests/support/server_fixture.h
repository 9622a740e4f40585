// A real KPO server on an ephemeral port over a real, freshly indexed
// corpus: the same assembly as kpo-server (KnowledgeBase + AuthService +
// Academy + BuildApi + BuildPortal + Server), in-process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "academy/academy.h"
#include "access/auth_service.h"
#include "attachments/attachments.h"
#include "editorial/service.h"
#include "feed/news_feed.h"
#include "http/api.h"
#include "http/server.h"
#include "knowledge/knowledge_base.h"
#include "portal/portal.h"
#include "searchlog/search_log.h"
#include "support/test_support.h"

namespace kpo::testing {

// The fixture's default AuthOptions: as kpo-server's, except that redactie
// and admin sign in with a password alone (issue 13: the suites that test
// the second factor turn `second_factor_required` back on).
access::AuthOptions FixtureAuthOptions();

class ServerFixture {
 public:
  // Indexes `corpus` (already filled) and starts serving.
  // `trusted_proxies`: http::ServerOptions::trusted_proxies. With
  // `index_writer` the server is the index's writer, as kpo-server is.
  explicit ServerFixture(Corpus* corpus, access::AuthOptions auth_options = FixtureAuthOptions(),
                         std::vector<std::string> trusted_proxies = {}, bool index_writer = false);
  ~ServerFixture();
  int port() const { return server_->port(); }
  access::AuthService* auth() { return auth_.get(); }
  http::Server* server() { return server_.get(); }
  knowledge::KnowledgeBase* kb() { return kb_.get(); }
  editorial::EditorialService* editorial() { return editorial_.get(); }

  // Issue 10: the search log behind the knowledge base.
  searchlog::SearchLog* search_log() { return search_log_.get(); }
  // Issue 10: uploads are limited to this many bytes in tests.
  static constexpr size_t kMaxUploadBytes = size_t{2} << 20;

 private:
  std::unique_ptr<searchlog::SearchLog> search_log_;  // declared first: outlives kb_
  std::unique_ptr<knowledge::KnowledgeBase> kb_;
  std::unique_ptr<access::AuthService> auth_;
  std::unique_ptr<academy::Academy> academy_;
  std::unique_ptr<editorial::EditorialService> editorial_;  // no scheduler thread
  std::unique_ptr<feed::NewsFeed> news_feed_;               // issue 10
  std::unique_ptr<attachments::Attachments> attachments_;   // issue 10
  std::unique_ptr<http::Server> server_;
};

}  // namespace kpo::testing
