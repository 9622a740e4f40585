// The one table of KPO's error codes. Owns: every public error code, its type
// and its HTTP status. Each row is X(Enum, "wire_code", type, http_status).
// Codes name the thing that failed (invalid_search_size), never a generic
// "bad_request". Add a row here; nothing else needs to change to use it.
#pragma once

#define KPO_ERROR_CODES(X)                                                 \
  X(kInvalidRequest, "invalid_request", kInvalidRequest, 400)              \
  X(kInvalidJson, "invalid_json", kInvalidRequest, 400)                    \
  X(kInvalidSearchQ, "invalid_search_q", kInvalidRequest, 400)             \
  X(kInvalidSearchPage, "invalid_search_page", kInvalidRequest, 400)       \
  X(kInvalidSearchSize, "invalid_search_size", kInvalidRequest, 400)       \
  X(kInvalidSearchSort, "invalid_search_sort", kInvalidRequest, 400)       \
  X(kInvalidSearchFilter, "invalid_search_filter", kInvalidRequest, 400)   \
  X(kInvalidSearchDate, "invalid_search_date", kInvalidRequest, 400)       \
  X(kInvalidParameter, "invalid_parameter", kInvalidRequest, 400)          \
  X(kInvalidDocumentId, "invalid_document_id", kInvalidRequest, 400)       \
  X(kInvalidField, "invalid_field", kInvalidRequest, 400)                  \
  X(kDocumentNotFound, "document_not_found", kInvalidRequest, 404)         \
  X(kUserNotFound, "user_not_found", kInvalidRequest, 404)                 \
  X(kTokenNotFound, "token_not_found", kInvalidRequest, 404)               \
  X(kRouteNotFound, "route_not_found", kInvalidRequest, 404)               \
  X(kMethodNotAllowed, "method_not_allowed", kInvalidRequest, 405)         \
  X(kUserExists, "user_exists", kInvalidRequest, 409)                      \
  X(kPayloadTooLarge, "payload_too_large", kInvalidRequest, 413)           \
  X(kUnsupportedMediaType, "unsupported_media_type", kInvalidRequest, 415) \
  X(kAuthenticationRequired, "authentication_required", kAuth, 401)        \
  X(kInvalidCredentials, "invalid_credentials", kAuth, 401)                \
  X(kInvalidToken, "invalid_token", kAuth, 401)                            \
  X(kForbidden, "forbidden", kAuth, 403)                                   \
  X(kInvalidCsrfToken, "invalid_csrf_token", kAuth, 403)                   \
  X(kTooManyRequests, "too_many_requests", kAuth, 429)                     \
  X(kInvalidContent, "invalid_content", kInvalidRequest, 422)              \
  X(kDuplicateId, "duplicate_id", kInvalidRequest, 422)                    \
  X(kStorageError, "storage_error", kInternal, 500)                        \
  X(kIndexError, "index_error", kInternal, 500)                            \
  X(kNoSpaceLeft, "no_space_left_on_device", kSystem, 507)                 \
  X(kServiceUnavailable, "service_unavailable", kSystem, 503)              \
  X(kInternal, "internal", kInternal, 500)                                 \
  /* HTTP framing, answered by http/server.cc before any handler runs */   \
  X(kInvalidRequestLine, "invalid_request_line", kInvalidRequest, 400)     \
  X(kInvalidHeader, "invalid_header", kInvalidRequest, 400)                \
  X(kInvalidContentLength, "invalid_content_length", kInvalidRequest, 400) \
  X(kLengthRequired, "length_required", kInvalidRequest, 411)              \
  X(kHeadersTooLarge, "headers_too_large", kInvalidRequest, 431)           \
  X(kMethodNotImplemented, "method_not_implemented", kInvalidRequest, 501) \
  /* academy (issue 11): courses, sessions, enrolments */                  \
  X(kCourseNotFound, "course_not_found", kInvalidRequest, 404)             \
  X(kSessionNotFound, "session_not_found", kInvalidRequest, 404)           \
  X(kEnrolmentNotFound, "enrolment_not_found", kInvalidRequest, 404)       \
  X(kFeedNotFound, "calendar_feed_not_found", kInvalidRequest, 404)        \
  X(kSessionCancelled, "session_cancelled", kInvalidRequest, 409)          \
  X(kDeadlinePassed, "enrolment_deadline_passed", kInvalidRequest, 409)    \
  X(kNotInAudience, "not_in_audience", kAuth, 403)                         \
  /* editorial storage (store/item_store.h) */                             \
  X(kStaleRevision, "stale_revision", kInvalidRequest, 409)                \
  X(kInvalidTransition, "invalid_transition", kInvalidRequest, 409)        \
  X(kLinkToClosedItem, "link_to_closed_item", kInvalidRequest, 409)        \
  /* second factor, sessions, privacy (issue 13, auth) */                  \
  X(kSecondFactorRequired, "second_factor_required", kAuth, 401)           \
  X(kEnrolSecondFactor, "second_factor_enrolment_required", kAuth, 403)    \
  X(kInvalidTotpCode, "invalid_second_factor_code", kInvalidRequest, 400)  \
  X(kTotpAlreadyEnrolled, "second_factor_enrolled", kInvalidRequest, 409)  \
  X(kTotpNotEnrolled, "second_factor_not_enrolled", kInvalidRequest, 409)  \
  X(kUserSessionNotFound, "user_session_not_found", kInvalidRequest, 404)  \
  /* one's own password (access/auth_service.h, ChangePassword) */         \
  X(kCurrentPassword, "invalid_current_password", kInvalidRequest, 400)    \
  X(kPasswordMismatch, "new_password_mismatch", kInvalidRequest, 400)      \
  /* issue 10, feeds and attachments (feed/, attachments/) */              \
  X(kNewsFeedNotFound, "news_feed_not_found", kInvalidRequest, 404)        \
  X(kAttachmentNotFound, "attachment_not_found", kInvalidRequest, 404)     \
  X(kUnsupportedAttachmentType, "unsupported_attachment_type", kInvalidRequest, 415)

namespace kpo {

// Who is to blame, for clients that branch on it (Meilisearch's four types).
enum class ErrorType { kInvalidRequest, kAuth, kInternal, kSystem };

enum class ErrorCode {
  kOk,
#define KPO_ERROR_ENUM(name, wire, type, http) name,
  KPO_ERROR_CODES(KPO_ERROR_ENUM)
#undef KPO_ERROR_ENUM
};

// The wire name ("invalid_search_size"); "ok" for kOk.
const char* WireName(ErrorCode code);
// The HTTP status for `code`; 200 for kOk.
int HttpStatus(ErrorCode code);
ErrorType TypeOf(ErrorCode code);
const char* TypeName(ErrorType type);

}  // namespace kpo
