// Implements server_fixture.h.
#include "support/server_fixture.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kpo::testing {

access::AuthOptions FixtureAuthOptions() {
  access::AuthOptions options;
  options.second_factor_required = false;
  return options;
}

ServerFixture::ServerFixture(Corpus* corpus, access::AuthOptions auth_options,
                             std::vector<std::string> trusted_proxies, bool index_writer) {
  auto errors = corpus->Index();
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0]);
  auto search_log = searchlog::SearchLog::Open({corpus->data_dir() + "/searchlog.sqlite"});
  if (!search_log.ok()) {
    ADD_FAILURE() << search_log.status().ToString();
    std::abort();
  }
  search_log_ = std::move(*search_log);
  knowledge::Options options;
  options.data_dir = corpus->data_dir();
  options.index_writer = index_writer;
  options.on_search = [log = search_log_.get()](const std::string& q, bool found_nothing) {
    log->Record(q, found_nothing);
  };
  auto kb = knowledge::KnowledgeBase::Open(options);
  if (!kb.ok()) {
    ADD_FAILURE() << kb.status().ToString();
    std::abort();
  }
  kb_ = std::move(*kb);
  auth_options.password = access::PasswordOptions::Minimum();  // fast hashing in tests
  auto auth = access::AuthService::Open(corpus->data_dir(), auth_options);
  if (!auth.ok()) {
    ADD_FAILURE() << auth.status().ToString();
    std::abort();
  }
  auth_ = std::move(*auth);
  http::ServerOptions server_options;
  server_options.port = 0;
  server_options.threads = 2;
  server_options.static_dir = SourceDir() + "/static";
  auto academy = academy::Academy::Open(corpus->data_dir(), kb_.get(), auth_.get());
  if (!academy.ok()) {
    ADD_FAILURE() << academy.status().ToString();
    std::abort();
  }
  academy_ = std::move(*academy);
  server_options.trusted_proxies = std::move(trusted_proxies);
  // Editorial (issue 10): tests publish scheduled items with PublishDue.
  editorial::EditorialOptions editorial_options;
  editorial_options.data_dir = corpus->data_dir();
  editorial_options.search_log = search_log_.get();
  auto editorial = editorial::EditorialService::Open(editorial_options, kb_.get());
  if (!editorial.ok()) {
    ADD_FAILURE() << editorial.status().ToString();
    std::abort();
  }
  editorial_ = std::move(*editorial);
  auto news_feed = feed::NewsFeed::Open(kb_.get(), auth_.get(), {corpus->data_dir()});
  if (!news_feed.ok()) {
    ADD_FAILURE() << news_feed.status().ToString();
    std::abort();
  }
  news_feed_ = std::move(*news_feed);
  auto attachments = attachments::Attachments::Open(editorial_.get(), auth_.get(),
                                                    {corpus->data_dir(), kMaxUploadBytes});
  if (!attachments.ok()) {
    ADD_FAILURE() << attachments.status().ToString();
    std::abort();
  }
  attachments_ = std::move(*attachments);
  std::filesystem::create_directories(corpus->data_dir() + "/uploads");
  server_options.upload_dir = corpus->data_dir() + "/uploads";
  server_options.max_upload_bytes = kMaxUploadBytes;
  http::ApiDeps deps{kb_.get(), auth_.get(), academy_.get()};
  deps.editorial = editorial_.get();
  deps.attachments = attachments_.get();
  deps.news_feed = news_feed_.get();
  deps.search_log = search_log_.get();
  auto router = http::BuildApi(deps);
  portal::PortalDeps portal_deps{kb_.get(), auth_.get(), server_options.static_dir,
                                 auth_options.idle_timeout, academy_.get()};
  portal_deps.news_feed = news_feed_.get();  // issue 10
  // Issue 10: the editorial pages (/redactie).
  portal_deps.editorial = editorial_.get();
  portal_deps.attachments = attachments_.get();
  portal_deps.search_log = search_log_.get();
  auto portal = portal::BuildPortal(router.get(), portal_deps);
  if (!portal.ok()) {
    ADD_FAILURE() << portal.status().ToString();
    std::abort();
  }
  server_options.html_error = *portal;
  server_ = std::make_unique<http::Server>(server_options, router);
  Status s = server_->Start();
  if (!s.ok()) {
    ADD_FAILURE() << s.ToString();
    std::abort();
  }
}

ServerFixture::~ServerFixture() { server_->Drain(std::chrono::seconds(2)); }

}  // namespace kpo::testing
