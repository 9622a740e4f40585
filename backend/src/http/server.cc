// Implements server.h on Pistache 0.0.5.
#include "http/server.h"

#include <sodium.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include "access/password.h"
#include "common/log.h"
#include "common/metrics.h"
#include "http/request.h"

namespace kpo::http {

namespace fs = std::filesystem;
using namespace Pistache;

namespace {

const char* MethodName(Http::Method m) {
  switch (m) {
    case Http::Method::Get:
      return "GET";
    case Http::Method::Post:
      return "POST";
    case Http::Method::Put:
      return "PUT";
    case Http::Method::Patch:
      return "PATCH";
    case Http::Method::Delete:
      return "DELETE";
    case Http::Method::Head:
      return "HEAD";
    case Http::Method::Options:
      return "OPTIONS";
    case Http::Method::Trace:
      return "TRACE";
    case Http::Method::Connect:
      return "CONNECT";
    default:
      return "OTHER";
  }
}

std::string ContentTypeFor(const fs::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

// Serves /static/<path> from the file `root`/<path>, with an ETag of its
// bytes (304 when the client has them) and, for versioned links (?v=, set
// by the portal from the same hash), a year of caching.
std::optional<Reply> StaticFile(const std::string& root, const Request& request) {
  const auto& segments = request.segments;
  if (root.empty() || segments.size() < 2 || segments[0] != "static") return std::nullopt;
  fs::path rel;
  for (size_t i = 1; i < segments.size(); ++i) {
    const std::string& s = segments[i];
    if (s == ".." || s == "." || s.find('\0') != std::string::npos ||
        s.find('/') != std::string::npos) {
      return std::nullopt;
    }
    rel /= s;
  }
  std::error_code ec;
  fs::path full = fs::path(root) / rel;
  if (!fs::is_regular_file(full, ec)) return std::nullopt;
  std::ifstream in(full, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buf;
  buf << in.rdbuf();
  Reply r;
  r.body = buf.str();
  r.content_type = ContentTypeFor(full);
  const std::string etag = "\"" + access::TokenHash(r.body).substr(0, 16) + "\"";
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", request.query.count("v") > 0
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
  if (request.Header("if-none-match") == etag) {
    r.status = 304;
    r.body.clear();
  }
  return r;
}

// A response header with a name known only at run time. Pistache 0.0.5
// keeps raw headers of a response but never writes them, so every header we
// send goes through the typed collection.
class NamedHeader : public Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return 0; }
#endif

 private:
  std::string name_;
  std::string value_;
};

void SetHeader(Http::ResponseWriter& writer, const std::string& name, const std::string& value) {
  writer.headers().remove(name);
  writer.headers().add(std::make_shared<NamedHeader>(name, value));
}

std::string NewRequestId() {
  unsigned char raw[8];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return hex;
}

// What the request gate knows of one connection (peer data kGateKey).
// Only the connection's reactor thread touches it, in onInput; the last
// reference may still drop elsewhere (below).
struct Gate {
  std::string head;      // the current request's head so far (before the body)
  bool in_body = false;  // the head was checked and given to Pistache
  size_t body_left = 0;  // body bytes of the current request still to come
  bool closing = false;  // answered for the last time: input is discarded
  // Issue 10: an upload's body goes to this file, not to Pistache.
  int upload_fd = -1;
  std::string upload_path;
  std::string upload_type;  // its raw Content-Type
  void DropUpload() {
    if (upload_fd >= 0) ::close(upload_fd);
    if (!upload_path.empty()) ::unlink(upload_path.c_str());
    upload_fd = -1;
    upload_path.clear();
    upload_type.clear();
  }
  // Pistache can drop a peer's last reference, and so destroy its Gate, on
  // its listener thread instead of the reactor that wrote it. The order
  // between the two is the reference count's, inside libpistache, which
  // ThreadSanitizer does not see (it reported DropUpload below racing with
  // the Gate's construction, and the free of the Gate with onInput's own
  // reference count, LeakTest under TSan). onInput releases as its last
  // touch, the destructor acquires: the same order, stated where TSan sees
  // it.
  std::atomic<bool> written{false};
  ~Gate() {
    (void)written.load(std::memory_order_acquire);
    DropUpload();
  }
};
constexpr const char* kGateKey = "kpo.gate";

// Issue 10: the upload route's body limit and where its bodies go.
struct UploadGate {
  size_t max_bytes = 0;  // 0: no upload route
  std::string dir;
};
// Multipart framing around the file: boundaries and part headers.
constexpr size_t kUploadFramingBytes = 64u << 10;
// Seconds a client is told to wait when every upload worker is busy.
constexpr const char* kUploadRetryAfter = "10";

// A streamed upload body once its request is complete: the handler reads
// it, the last owner removes it.
struct UploadFile {
  std::string path;
  std::string content_type;  // its raw Content-Type (with boundary)
  UploadFile(std::string p, std::string t) : path(std::move(p)), content_type(std::move(t)) {}
  UploadFile(const UploadFile&) = delete;
  UploadFile& operator=(const UploadFile&) = delete;
  ~UploadFile() { Remove(); }
  void Remove() {
    if (!path.empty()) ::unlink(path.c_str());
    path.clear();
  }
};

// A few threads for uploads (ServerOptions::upload_workers), so that their
// handlers (external tools that may run until their 20 s kill) never hold a
// reactor thread: Pistache pins a connection to one reactor, and every
// connection pinned to a busy one waited (GET /api/health took 40 s behind
// four zip bombs). No queue: a job that finds every thread busy is refused
// and its client told to retry, so uploads cannot pile up.
// Thread-safety: TryRun and Stop from any thread.
class Workers {
 public:
  explicit Workers(int threads) {
    for (int i = 0; i < std::max(threads, 1); ++i) {
      threads_.emplace_back([this] { Loop(); });
    }
  }
  ~Workers() { Stop(); }

  // A job; it calls `release` (once) when its thread may count as free
  // again, before it answers: a client that sends its next upload as soon
  // as it has the answer must not find the worker still busy.
  using Job = std::function<void(const std::function<void()>& release)>;

  // Runs `job` on a free thread. False (job dropped) when all are busy or
  // stopped.
  bool TryRun(Job job) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || jobs_.size() + running_ >= threads_.size()) return false;
    jobs_.push_back(std::move(job));
    cv_.notify_one();
    return true;
  }

  // Refuses new jobs and waits for those taken. Idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, nothing taken left
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      ++running_;
      lock.unlock();
      bool released = false;
      auto release = [this, &released] {
        if (released) return;
        released = true;
        std::lock_guard<std::mutex> relock(mu_);
        --running_;
      };
      job(release);  // never throws (Handler::Serve catches everything)
      release();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;   // GUARDED_BY(mu_)
  size_t running_ = 0;     // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

// Whether `target` is <prefix><id><suffix> with one path segment as id.
bool IsItemPath(std::string_view target, std::string_view prefix, std::string_view suffix) {
  if (target.rfind(prefix, 0) != 0 || target.size() <= prefix.size() + suffix.size()) {
    return false;
  }
  const std::string_view id =
      target.substr(prefix.size(), target.size() - prefix.size() - suffix.size());
  return target.substr(target.size() - suffix.size()) == suffix &&
         id.find('/') == std::string_view::npos;
}

// Whether a checked head is "POST /api/documents/<id>/attachments[?…]" or
// the portal's upload form "POST /redactie/stukken/<id>/bijlagen[?…]"
// (issue 10, portal/editorial_pages.cc).
bool IsUploadHead(std::string_view head) {
  if (head.rfind("POST ", 0) != 0) return false;
  std::string_view target = head.substr(5, head.find(' ', 5) - 5);
  target = target.substr(0, target.find('?'));
  return IsItemPath(target, "/api/documents/", "/attachments") ||
         IsItemPath(target, "/redactie/stukken/", "/bijlagen");
}

// The value of header `lower_name` in a checked head, "" when absent.
std::string HeadValue(std::string_view head, std::string_view lower_name) {
  size_t line = head.find("\r\n");
  while (line != std::string_view::npos && line + 2 < head.size()) {
    const size_t start = line + 2;
    const size_t end = head.find("\r\n", start);
    std::string_view h = head.substr(start, end - start);
    if (IsFieldLine(h, lower_name)) {
      std::string_view v = h.substr(lower_name.size() + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      return std::string(v);
    }
    line = end;
  }
  return "";
}

// The head with "Content-Length: 0": Pistache gets no body (it went to a file).
std::string WithoutBody(std::string_view head) {
  std::string out;
  size_t start = 0;
  while (start < head.size()) {
    size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos) end = head.size();
    std::string_view h = head.substr(start, end - start);
    out += IsFieldLine(h, "content-length") ? std::string_view("Content-Length: 0") : h;
    if (end < head.size()) out += "\r\n";
    start = end + 2;
  }
  return out;
}

class Handler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(Handler)

  Handler(std::shared_ptr<const Router> router, std::shared_ptr<Server::State> state,
          std::string static_dir, size_t max_header_bytes, AddressSet trusted_proxies,
          std::function<Reply(const Request&, int)> html_error, UploadGate upload = {},
          std::shared_ptr<Workers> upload_workers = nullptr)
      : router_(std::move(router)),
        state_(std::move(state)),
        static_dir_(std::move(static_dir)),
        max_header_bytes_(max_header_bytes),
        trusted_proxies_(std::move(trusted_proxies)),
        html_error_(std::move(html_error)),
        upload_(std::move(upload)),
        upload_workers_(std::move(upload_workers)) {}

  // The request gate. Replaces Http::Handler::onInput (a private virtual of
  // Tcp::Handler; overriding it is how Pistache's own handler is plugged in,
  // docs/architecture.md): every head is checked by ParseRequestHead before
  // Pistache's parser sees a byte of it, each request is fed to the parser
  // up to its own end (so pipelined requests are no longer dropped), and
  // anything that fails, also inside Pistache's parser, is answered once with
  // our JSON error, logged, and the connection closed.
  void onInput(const char* buffer, size_t len, const std::shared_ptr<Tcp::Peer>& peer) override {
    Gate* gate = GateOf(peer);
    struct ReleaseOnReturn {
      Gate& gate;
      ~ReleaseOnReturn() { gate.written.store(true, std::memory_order_release); }
    } release{*gate};
    std::string_view data(buffer, len);
    while (!data.empty() && !gate->closing) {
      if (!gate->in_body) {
        const size_t before = gate->head.size();
        const size_t room = max_header_bytes_ + 4 - before;
        gate->head.append(data.substr(0, room));
        const size_t end = gate->head.find("\r\n\r\n", before < 3 ? 0 : before - 3);
        if (end == std::string::npos) {
          if (gate->head.size() > max_header_bytes_) {
            return Reject(peer, *gate,
                          Status::Error(ErrorCode::kHeadersTooLarge,
                                        "De headers van het verzoek zijn te groot: hoogstens " +
                                            std::to_string(max_header_bytes_ / 1024) + " KiB.",
                                        "head over " + std::to_string(max_header_bytes_)),
                          gate->head);
          }
          return;  // wait for the rest of the head
        }
        gate->head.resize(end + 4);
        data.remove_prefix(gate->head.size() - before);
        // Issue 10: only the upload route gets the upload limit.
        const bool upload = upload_.max_bytes > 0 && IsUploadHead(gate->head);
        const size_t body_room = upload
                                     ? upload_.max_bytes + kUploadFramingBytes
                                     : getMaxRequestSize() - std::min(getMaxRequestSize(), end + 4);
        auto head = ParseRequestHead(gate->head, body_room);
        if (!head.ok()) return Reject(peer, *gate, head.status(), gate->head);
        gate->head = JoinFieldLines(gate->head, "x-forwarded-for");
        gate->in_body = true;
        gate->body_left = head->content_length;
        if (upload) {
          // Decided on the head: a refused upload never writes a byte.
          if (auto refused = GuardUpload(peer, gate->head)) {
            return RejectWith(peer, *gate, std::move(refused->first), std::move(refused->second));
          }
          Status opened = StartUpload(*gate);
          if (!opened.ok()) return Reject(peer, *gate, opened, gate->head);
        }
        if (!Feed(peer, *gate, upload ? WithoutBody(gate->head) : gate->head)) return;
        gate->head.clear();
      }
      const size_t n = std::min(gate->body_left, data.size());
      if (n > 0 && gate->upload_fd >= 0) {
        Status written = WriteUpload(*gate, data.substr(0, n));
        if (!written.ok()) return Reject(peer, *gate, written, {});
      } else if (n > 0 && !Feed(peer, *gate, data.substr(0, n))) {
        return;
      }
      gate->body_left -= n;
      data.remove_prefix(n);
      if (gate->body_left > 0) return;  // wait for the rest of the body
      gate->in_body = false;
      Complete(peer, *gate);
    }
  }

  void onRequest(const Http::Request& req, Http::ResponseWriter writer) override {
    Serve(req, std::move(writer), nullptr, nullptr);
  }

 private:
  // Answers one request; `upload` (or null) holds its streamed body. Any
  // thread: a reactor, or an upload worker (Complete).
  // `handled` runs once the reply is ready, before it is sent.
  void Serve(const Http::Request& req, Http::ResponseWriter writer, UploadFile* upload,
             const std::function<void()>& handled = nullptr) {
    state_->in_flight++;
    const auto started = std::chrono::steady_clock::now();
    Request request;
    request.request_id = NewRequestId();
    if (upload != nullptr) {  // issue 10: the body is in a file
      request.upload_path = upload->path;
      request.upload_content_type = upload->content_type;
    }
    Reply reply;
    bool close = false;
    try {
      // While draining every answer closes its connection, so clients
      // reconnect to whatever replaces this process.
      close = WantsClose(req) || state_->draining;
      reply = Dispatch(req, &request);
    } catch (const std::exception& e) {
      // Never e.what() to the client: Pistache would send it as the body.
      reply = Failure(request, e.what());
    } catch (...) {
      reply = Failure(request, "unknown exception");
    }
    if (handled) handled();
    // Read by the handler: the body leaves the disk before the answer does,
    // so a client that has its answer finds no trace of its upload (the
    // worker that holds the file may let go of it only after the write).
    if (upload != nullptr) upload->Remove();
    // An upload's answer closes its connection (Complete), by its header
    // alone: it is written from a worker, whose completion callback may run
    // after the client has closed and its fd been reused by a new
    // connection, which a shutdown() by number would then cut off.
    const Closing closing = upload != nullptr ? Closing::kSayClose
                            : close           ? Closing::kClose
                                              : Closing::kKeepAlive;
    Send(std::move(writer), reply, closing, request, started);
  }

  enum class Closing {
    kKeepAlive,
    kClose,     // the request was read whole: close both directions
    kLinger,    // unread input may follow: stop writing, read and drop the rest
    kSayClose,  // "Connection: close", and the client closes (input is dropped)
  };

  // The peer owns its Gate and outlives the call that asks. No reference
  // of ours is left to drop after onInput's release (Gate::written).
  static Gate* GateOf(const std::shared_ptr<Tcp::Peer>& peer) {
    auto gate = std::static_pointer_cast<Gate>(peer->tryGetData(kGateKey));
    if (!gate) {
      gate = std::make_shared<Gate>();
      peer->putData(kGateKey, gate);
    }
    return gate.get();
  }

  // Gives checked bytes to Pistache's parser. False when it refused them
  // (then the connection has been answered and is closing).
  bool Feed(const std::shared_ptr<Tcp::Peer>& peer, Gate& gate, std::string_view bytes) {
    auto parser = getParser(peer);
    if (!parser->feed(bytes.data(), bytes.size())) {
      Reject(peer, gate,
             Status::Error(ErrorCode::kPayloadTooLarge, "Het verzoek is te groot.",
                           "parser buffer full"),
             {});
      return false;
    }
    return true;
  }

  // The current request is all fed: let Pistache parse it and serve it.
  void Complete(const std::shared_ptr<Tcp::Peer>& peer, Gate& gate) {
    auto parser = getParser(peer);
    Http::Private::State parsed = Http::Private::State::Again;
    try {
      parsed = parser->parse();
    } catch (const std::exception& e) {
      return Reject(peer, gate,
                    Status::Error(ErrorCode::kInvalidRequest, "Het verzoek is ongeldig.", e.what()),
                    {});
    }
    if (parsed != Http::Private::State::Done) {
      return Reject(peer, gate,
                    Status::Error(ErrorCode::kInvalidRequest, "Het verzoek is ongeldig.",
                                  "parser not done at the end of the framed request"),
                    {});
    }
    auto& request = parser->request;
    request.copyAddress(peer->address());
    peer->setIdle(false);
    if (WantsClose(request) || state_->draining) gate.closing = true;
    if (gate.upload_fd >= 0) {
      ::close(gate.upload_fd);
      gate.upload_fd = -1;
      auto file = std::make_shared<UploadFile>(std::exchange(gate.upload_path, {}),
                                               std::exchange(gate.upload_type, {}));
      // The upload's answer comes from a worker, later: anything the client
      // sends after it on this connection could be answered first, so it is
      // not read, and the answer closes the connection.
      gate.closing = true;
      ServeUpload(peer, request, std::move(file));
    } else {
      onRequest(request, Http::ResponseWriter(request.version(), transport(), this, peer));
    }
    gate.DropUpload();
    parser->reset();
  }

  // Hands a complete upload to a worker thread, or answers 503 with
  // Retry-After at once when every worker is busy.
  void ServeUpload(const std::shared_ptr<Tcp::Peer>& peer, const Http::Request& req,
                   std::shared_ptr<UploadFile> file) {
    // ResponseWriter is move-only and std::function needs a copyable job.
    auto writer = std::make_shared<Http::ResponseWriter>(req.version(), transport(), this, peer);
    auto job = [this, req, writer, file](const std::function<void()>& release) {
      Serve(req, std::move(*writer), file.get(), release);
    };
    if (upload_workers_ == nullptr) return job([] {});  // no workers: serve here
    if (upload_workers_->TryRun(job)) return;
    Request request;
    request.request_id = NewRequestId();
    request.method = MethodName(req.method());
    request.route = "upload_busy";
    Reply reply = ErrorReply(
        Status::Error(ErrorCode::kServiceUnavailable,
                      "Er wordt al een bijlage verwerkt. Probeer het zo opnieuw.", "upload busy"),
        request.request_id);
    if (auto segments = PathSegments(req.resource())) request.segments = std::move(*segments);
    if (auto page = PortalPage(request, 503)) reply = std::move(*page);
    reply.headers.emplace_back("Retry-After", kUploadRetryAfter);
    state_->in_flight++;
    Send(std::move(*writer), reply, Closing::kClose, request, std::chrono::steady_clock::now());
  }

  // The request a head names, as far as a refusal before the body needs it:
  // a new id, the method, the path (no segments when it is no path), the
  // headers the guards read and the cookies, as Pistache would give them.
  static Request HeadRequest(std::string_view head) {
    Request request;
    request.request_id = NewRequestId();
    const size_t method_end = std::min(head.find(' '), size_t{20});
    for (char c : head.substr(0, method_end)) {
      if (c > ' ' && c < 0x7f) request.method.push_back(c);
    }
    if (method_end >= head.size()) return request;
    const size_t target_end = head.find(' ', method_end + 1);
    if (target_end == std::string_view::npos) return request;
    std::string target(head.substr(method_end + 1, target_end - method_end - 1));
    target = target.substr(0, target.find('?'));
    if (auto segments = PathSegments(target)) request.segments = std::move(*segments);
    for (const char* name : {"authorization", "x-csrf-token", "x-forwarded-for"}) {
      std::string value = HeadValue(head, name);
      if (!value.empty()) request.headers[name] = std::move(value);
    }
    // "a=1; b=2", as Pistache would give them to Dispatch.
    const std::string cookies = HeadValue(head, "cookie");
    size_t pos = 0;
    while (pos < cookies.size()) {
      size_t end = cookies.find(';', pos);
      if (end == std::string::npos) end = cookies.size();
      std::string pair = cookies.substr(pos, end - pos);
      const size_t first = pair.find_first_not_of(' ');
      pair.erase(0, first == std::string::npos ? pair.size() : first);
      const size_t eq = pair.find('=');
      if (eq != std::string::npos && eq > 0) {
        request.cookies.emplace(pair.substr(0, eq), pair.substr(eq + 1));
      }
      pos = end + 1;
    }
    return request;
  }

  // Runs the router's body guard (Router::AddBodyGuard) on an upload's
  // head. The refusal (reply and the request it answers) or nothing.
  std::optional<std::pair<Reply, Request>> GuardUpload(const std::shared_ptr<Tcp::Peer>& peer,
                                                       std::string_view head) const {
    Request request = HeadRequest(head);
    if (request.segments.empty()) return std::nullopt;  // Dispatch answers it, no body stored
    std::string peer_host;
    try {
      peer_host = peer->address().host();
    } catch (...) {
      peer_host.clear();
    }
    request.remote_address =
        ClientAddress(peer_host, request.Header("x-forwarded-for"), trusted_proxies_);
    Status allowed = Status::Ok();
    try {
      allowed = router_->GuardBody(&request);
    } catch (const std::exception& e) {
      allowed = Status::Internal(std::string("upload guard: ") + e.what());
    }
    if (allowed.ok()) return std::nullopt;
    Reply reply = ErrorReply(allowed, request.request_id);
    // The portal has no 401 page: a visitor is refused with "Geen toegang".
    const int page_status = HttpStatus(allowed.code()) == 401 ? 403 : HttpStatus(allowed.code());
    if (auto page = PortalPage(request, page_status)) reply = std::move(*page);
    return std::make_pair(std::move(reply), std::move(request));
  }

  // The portal's HTML page for `status` on a non-API path, when it has one
  // for that status (else the caller keeps its JSON answer: never a 500
  // page for what is no failure).
  std::optional<Reply> PortalPage(const Request& request, int status) const {
    if (IsApi(request) || !html_error_) return std::nullopt;
    try {
      Reply page = html_error_(request, status);
      if (page.status == status) return page;
    } catch (...) {
      // keep the JSON answer
    }
    return std::nullopt;
  }

  // Issue 10: a file for the upload's body. Errors: kStorageError.
  Status StartUpload(Gate& gate) const {
    gate.DropUpload();
    std::string path = upload_.dir + "/body-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) {
      return Status::Error(ErrorCode::kStorageError, "De upload kan nu niet worden ontvangen.",
                           "mkstemp in " + upload_.dir + ": " + std::strerror(errno));
    }
    gate.upload_fd = fd;
    gate.upload_path = path;
    gate.upload_type = HeadValue(gate.head, "content-type");
    return Status::Ok();
  }

  static Status WriteUpload(Gate& gate, std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(gate.upload_fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = errno;
        gate.DropUpload();
        return Status::Error(err == ENOSPC ? ErrorCode::kNoSpaceLeft : ErrorCode::kStorageError,
                             "De upload kon niet worden opgeslagen.", std::strerror(err));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  // Answers `status` as the last answer on this connection and closes it
  // gracefully: the rest of the input is read and dropped, never parsed.
  // `head` (possibly partial) names the method in the log.
  void Reject(const std::shared_ptr<Tcp::Peer>& peer, Gate& gate, const Status& status,
              std::string_view head) {
    Request request = HeadRequest(head);
    Reply reply = ErrorReply(status, request.request_id);
    // A portal form that was too big (a long text, a large file) gets a
    // page saying so, not JSON; other refusals of a head are no page's
    // business (a broken header is no "wrong address").
    if (HttpStatus(status.code()) == 413 && !request.segments.empty()) {
      if (auto page = PortalPage(request, 413)) reply = std::move(*page);
    }
    RejectWith(peer, gate, std::move(reply), std::move(request));
  }

  // Reject with a ready reply to `request` (its id and method set).
  void RejectWith(const std::shared_ptr<Tcp::Peer>& peer, Gate& gate, Reply reply,
                  Request request) {
    gate.closing = true;
    gate.head.clear();
    gate.DropUpload();
    getParser(peer)->reset();
    state_->in_flight++;
    Send(Http::ResponseWriter(Http::Version::Http11, transport(), this, peer), reply,
         Closing::kLinger, request, std::chrono::steady_clock::now());
    // The reply made the peer "idle" (keep-alive timeout); a lingering
    // connection gets the header timeout instead.
    peer->setIdle(false);
  }

  static bool WantsClose(const Http::Request& req) {
    auto conn = req.headers().tryGet<Http::Header::Connection>();
    if (req.version() == Http::Version::Http10) {
      return !conn || conn->control() != Http::ConnectionControl::KeepAlive;
    }
    return conn && conn->control() == Http::ConnectionControl::Close;
  }

  Reply Dispatch(const Http::Request& req, Request* request) const {
    request->method = MethodName(req.method());
    auto segments = PathSegments(req.resource());
    if (!segments) {
      const bool api_path = req.resource() == "/api" || req.resource().rfind("/api/", 0) == 0;
      if (!api_path && html_error_) return html_error_(*request, 404);
      return ErrorReply(
          Status::Error(ErrorCode::kInvalidRequest, "Het adres bevat een ongeldige %-codering."));
    }
    request->segments = std::move(*segments);
    const bool api = IsApi(*request);
    if (state_->draining && api) {
      return ErrorReply(
          Status::Error(ErrorCode::kServiceUnavailable,
                        "De server wordt herstart. Probeer het over enkele seconden opnieuw."));
    }
    for (auto it = req.query().parameters_begin(); it != req.query().parameters_end(); ++it) {
      auto key = PercentDecode(it->first, true);
      auto value = PercentDecode(it->second, true);
      if (!key || !value) {
        if (!api && html_error_) return html_error_(*request, 400);
        return ErrorReply(
            Status::Error(ErrorCode::kInvalidParameter,
                          "Parameter '" + it->first + "' bevat een ongeldige %-codering."));
      }
      request->query[*key] = std::move(*value);
    }
    // host: the portal writes absolute calendar-feed URLs (academy_pages.cc).
    for (const char* name : {"x-csrf-token", "x-forwarded-proto", "x-forwarded-for", "content-type",
                             "if-none-match", "host"}) {
      if (auto raw = req.headers().tryGetRaw(name)) request->headers[name] = raw->value();
    }
    if (auto auth = req.headers().tryGet<Http::Header::Authorization>()) {
      request->headers["authorization"] = auth->value();
    }
    // Kept with a session for the user's session list (issue 13, auth).
    if (auto agent = req.headers().tryGet<Http::Header::UserAgent>()) {
      request->headers["user-agent"] = agent->agent();
    }
    if (auto ct = req.headers().tryGet<Http::Header::ContentType>()) {
      request->headers["content-type"] = ct->mime().toString();
    }
    for (const auto& cookie : req.cookies()) request->cookies[cookie.name] = cookie.value;
    request->body = req.body();
    request->remote_address =
        ClientAddress(req.address().host(), request->Header("x-forwarded-for"), trusted_proxies_);
    request->secure = request->Header("x-forwarded-proto") == "https";
    if (!api && (request->method == "GET" || request->method == "HEAD")) {
      if (auto file = StaticFile(static_dir_, *request)) {
        request->route = "static";
        return *file;
      }
    }
    Reply error;
    const HandlerFn* handler = router_->Match(request, &error);
    if (handler == nullptr) {
      // Portal paths get the portal's HTML error page (keeping Allow).
      if (!api && html_error_) {
        Reply page = html_error_(*request, error.status);
        for (const auto& header : error.headers) page.headers.push_back(header);
        return page;
      }
      return error;
    }
    return (*handler)(*request);
  }

  static bool IsApi(const Request& request) {
    return !request.segments.empty() && request.segments[0] == "api";
  }

  // The reply for an exception that escaped a handler: the portal's 500
  // page for portal paths, else the JSON error.
  Reply Failure(const Request& request, const std::string& detail) const {
    Reply reply = ErrorReply(Status::Internal(detail), request.request_id);
    if (IsApi(request) || !html_error_) return reply;
    try {
      return html_error_(request, 500);
    } catch (...) {
      return reply;
    }
  }

  void Send(Http::ResponseWriter writer, const Reply& reply, Closing closing,
            const Request& request, std::chrono::steady_clock::time_point started) {
    const bool close = closing != Closing::kKeepAlive;
    auto state = state_;
    int fd = -1;
    try {
      if (auto peer = writer.peer()) fd = peer->fd();
    } catch (...) {
      fd = -1;  // the peer is gone; the write below fails quietly
    }
    // Pistache pre-fills "Connection: Close"; add() would not replace it.
    writer.headers().remove<Http::Header::Connection>();
    writer.headers().add<Http::Header::Connection>(close ? Http::ConnectionControl::Close
                                                         : Http::ConnectionControl::KeepAlive);
    SetHeader(writer, "X-Request-Id", request.request_id);
    SetHeader(writer, "X-Content-Type-Options", "nosniff");
    SetHeader(writer, "Referrer-Policy", "same-origin");
    SetHeader(writer, "Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
              "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    // Answers depend on the caller unless a route says otherwise (static
    // files, public data): no shared or browser cache keeps them by default.
    SetHeader(writer, "Cache-Control", "private, no-store");
    for (const auto& [name, value] : reply.headers) SetHeader(writer, name, value);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    Log(LogLevel::kInfo, "request",
        {{"request_id", request.request_id},
         {"method", request.method},
         {"status", reply.status},
         {"ms", took.count() * 1000}});
    // Platform (issue 13): per route pattern, so ids in paths add no series;
    // unmatched paths share one label (methods are MethodName's few).
    const std::string route = request.route.empty() ? "unmatched" : request.route;
    metrics::Count(
        metrics::Family::kHttpRequests,
        {{"method", request.method}, {"route", route}, {"status", std::to_string(reply.status)}});
    metrics::Observe(metrics::Family::kHttpDuration, {{"method", request.method}, {"route", route}},
                     took.count());
    auto done = [state, fd, closing](bool) {
      // Pistache 0.0.5 never closes a socket the client asked to close. Our
      // FIN ends the client's read; Pistache closes the fd when the client's
      // FIN (or the header timeout) arrives. Shutting the read side too
      // would answer a client still sending with a reset, which can destroy
      // the answer before it is read.
      if ((closing == Closing::kClose || closing == Closing::kLinger) && fd >= 0) {
        ::shutdown(fd, closing == Closing::kLinger ? SHUT_WR : SHUT_RDWR);
      }
      state->in_flight--;
    };
    try {
      const auto mime = Http::Mime::MediaType::fromString(reply.content_type);
      auto sent =
          request.method == "HEAD"
              ? SendHead(writer, static_cast<Http::Code>(reply.status), mime, reply.body.size())
              : writer.send(static_cast<Http::Code>(reply.status), reply.body, mime);
      sent.then([done](ssize_t) { done(true); }, [done](std::exception_ptr) { done(false); });
    } catch (...) {
      state->in_flight--;
    }
  }

  // The answer to HEAD (RFC 9110 9.3.2): GET's status line and headers,
  // Content-Length that of GET's body, and no body. Pistache 0.0.5 sends
  // the body of every answer, also to HEAD, and writes Content-Length from
  // what it sends; a client on a keep-alive connection then reads that body
  // as the next answer. So the head is written here, as Pistache's own
  // serveFile does: our headers, then the lengths, through the transport.
  Async::Promise<ssize_t> SendHead(Http::ResponseWriter& writer, Http::Code code,
                                   const Http::Mime::MediaType& mime, size_t length) {
    auto peer = writer.peer();  // throws when the client is gone (Send catches)
    if (mime.isValid()) {
      writer.headers().remove<Http::Header::ContentType>();
      writer.headers().add<Http::Header::ContentType>(mime);
    }
    std::ostream os(writer.rdbuf());
    // HTTP/1.1 also to an HTTP/1.0 client: a server sends its own version.
    os << "HTTP/1.1 " << static_cast<int>(code) << ' ' << Http::codeString(code) << "\r\n";
    for (const auto& header : writer.headers().list()) {
      os << header->name() << ": ";
      header->write(os);
      os << "\r\n";
    }
    os << "Content-Length: " << length << "\r\n\r\n";
    if (!os)
      return Async::Promise<ssize_t>::rejected(Pistache::Error("Response exceeded buffer size"));
    return transport()->asyncWrite(peer->fd(), writer.rdbuf()->buffer());
  }

  std::shared_ptr<const Router> router_;
  std::shared_ptr<Server::State> state_;
  std::string static_dir_;
  size_t max_header_bytes_;
  AddressSet trusted_proxies_;
  std::function<Reply(const Request&, int)> html_error_;
  UploadGate upload_;
  std::shared_ptr<Workers> upload_workers_;  // shared by the reactors' clones
};

}  // namespace

struct Server::Impl {
  std::unique_ptr<Http::Endpoint> endpoint;
  std::shared_ptr<Workers> upload_workers;  // null without an upload route
};

Server::Server(ServerOptions options, std::shared_ptr<const Router> router)
    : options_(std::move(options)),
      router_(std::move(router)),
      state_(std::make_shared<State>()),
      impl_(std::make_unique<Impl>()) {}

Server::~Server() { Drain(std::chrono::milliseconds(0)); }

Status Server::Start() {
  if (sodium_init() < 0) return Status::Internal("libsodium init failed");
  // accept() spinning on EMFILE is Pistache's failure mode: raise the limit.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &lim);
  }
  auto trusted = AddressSet::Parse(options_.trusted_proxies);
  if (!trusted.ok()) return trusted.status();
  try {
    Address addr(options_.address, Port(options_.port));
    impl_->endpoint = std::make_unique<Http::Endpoint>(addr);
    if (options_.max_upload_bytes > 0) {
      impl_->upload_workers = std::make_shared<Workers>(options_.upload_workers);
    }
    auto opts = Http::Endpoint::options()
                    .threads(options_.threads)
                    .flags(Tcp::Options::ReuseAddr | Tcp::Options::NoDelay)
                    .maxRequestSize(options_.max_request_bytes)
                    .maxResponseSize(options_.max_response_bytes)
                    .headerTimeout(options_.header_timeout)
                    .bodyTimeout(options_.body_timeout)
                    .keepaliveTimeout(options_.keepalive_timeout);
    impl_->endpoint->init(opts);
    impl_->endpoint->setHandler(std::make_shared<Handler>(
        router_, state_, options_.static_dir, options_.max_header_bytes, *trusted,
        options_.html_error, UploadGate{options_.max_upload_bytes, options_.upload_dir},
        impl_->upload_workers));
    impl_->endpoint->serveThreaded();
  } catch (const std::exception& e) {
    impl_->endpoint.reset();
    impl_->upload_workers.reset();
    return Status::Error(ErrorCode::kInternal,
                         "De server kan niet starten op " + options_.address + ":" +
                             std::to_string(options_.port) + ".",
                         e.what());
  }
  return Status::Ok();
}

uint16_t Server::port() const {
  return impl_->endpoint ? static_cast<uint16_t>(impl_->endpoint->getPort()) : 0;
}

void Server::Drain(std::chrono::milliseconds grace) {
  if (!impl_->endpoint) return;
  state_->draining = true;
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (state_->in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // A running upload's worker uses the reactors' handlers and transport:
  // let it finish (its tools are killed after 20 s) before they go.
  if (impl_->upload_workers) impl_->upload_workers->Stop();
  impl_->endpoint->shutdown();
  impl_->endpoint.reset();
  impl_->upload_workers.reset();
}

}  // namespace kpo::http
