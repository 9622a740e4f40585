// The HTTP server: Pistache 0.0.5 with its unsafe defaults fixed (see
// docs/architecture.md): explicit size limits and timeouts, keep-alive
// answered properly and sockets closed when the client asks, every
// exception caught inside our code, percent-decoding done by us, static
// files from one directory, and a drain on shutdown that lets in-flight
// requests finish. Owns: Pistache. May not touch: the domain.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "kpo/status.h"

namespace kpo::http {

struct ServerOptions {
  std::string address = "127.0.0.1";  // Default: loopback (nginx in front)
  uint16_t port = 8080;               // Default: 8080; 0 picks a free port
  int threads = 4;                    // Default: 4 reactor threads
  // Request line + headers + body. Default: 1 MiB body + 64 KiB headers.
  size_t max_request_bytes = (1u << 20) + (64u << 10);
  // Request line + headers alone; a longer head is answered 431 and the
  // connection closed. Default: 64 KiB.
  size_t max_header_bytes = 64u << 10;
  size_t max_response_bytes = 16u << 20;       // Default: 16 MiB
  std::chrono::seconds header_timeout{10};     // Default: 10 s
  std::chrono::seconds body_timeout{30};       // Default: 30 s
  std::chrono::seconds keepalive_timeout{75};  // Default: 75 s
  std::string static_dir;                      // Default: none (no static files)
  // Peers whose X-Forwarded-For names the client (addresses or networks,
  // e.g. "127.0.0.1" for an nginx on the same host). Default: none, so the
  // socket peer is the client; loopback is not trusted unless listed.
  std::vector<std::string> trusted_proxies;
  // Portal (issue 9): the HTML answer for a non-API path that matches no
  // route or file (404), not this method (405) or fails (500); the portal's
  // Dutch error pages. Default: none (JSON errors on every path).
  std::function<Reply(const Request&, int status)> html_error;
  // Issue 10, attachments: the body of POST /api/documents/{id}/attachments
  // may be this large (plus 64 KiB of multipart framing) and is streamed to
  // a file in `upload_dir` (Request::upload_path) instead of memory; every
  // other route keeps max_request_bytes. Default: 0, no such route.
  size_t max_upload_bytes = 0;
  std::string upload_dir;  // required with max_upload_bytes
  // Uploads handled at once. An upload's handler (type check, text
  // extraction by external tools that may run for seconds) runs on these
  // threads, never on a reactor thread, so it cannot hold up other
  // requests; an upload arriving while all are busy is answered 503 with
  // Retry-After at once. Default: 1.
  int upload_workers = 1;
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  // Binds and starts serving on background threads. Errors: kInternal
  // (address in use, cannot bind), kInvalidParameter (a trusted proxy that
  // is no address or network).
  Status Start();
  // The bound port (the real one when options.port was 0).
  uint16_t port() const;
  // Refuses new work with 503 (readiness fails), waits up to `grace` for
  // in-flight requests to be written and then for running uploads (however
  // long: their tools are killed after 20 s), then stops. Idempotent.
  void Drain(std::chrono::milliseconds grace);
  bool draining() const { return state_->draining.load(); }
  // The first step of Drain alone (the listener stays): tests of what
  // clients see while a drain runs.
  void StartDrainingForTest() { state_->draining = true; }

  struct State {
    std::atomic<bool> draining{false};
    std::atomic<int> in_flight{0};
  };

 private:
  struct Impl;
  ServerOptions options_;
  std::shared_ptr<const Router> router_;
  std::shared_ptr<State> state_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kpo::http
