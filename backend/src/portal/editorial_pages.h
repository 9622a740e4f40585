// The editorial portal pages (issue 10): "Mijn concepten" /redactie/concepten,
// the editor /redactie/nieuw and /redactie/stukken/{id} (Markdown body with
// a preview, the metadata form with the controlled vocabulary, attachments,
// the workflow buttons the caller may use), the revision history with its
// line diff and restore /redactie/stukken/{id}/versies, and the redactie's
// dashboard /redactie (review queue with approve / schedule / send back,
// scheduled, past review_by, recently published, zero-result searches).
// Plain GET and POST forms (POSTs carry the session's CSRF token), redirect
// after POST; static/js/editor.js only adds the live preview.
// Owns: these routes, their views and Dutch notices. May not touch: the
// editorial rules (editorial::EditorialService decides who may read, save
// and move what), attachment storage, the search log, SQL, access keys.
// Thread-safety: handlers run on any reactor thread at once; nothing here
// keeps mutable state.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "http/router.h"
#include "portal/page_host.h"
#include "portal/portal.h"

namespace kpo::portal {

// Registers the editorial pages on `router`; without `deps.editorial` none.
// `host` and the pointers in `deps` must outlive the router.
void AddEditorialPages(http::Router* router, std::shared_ptr<PageHost> host,
                       const PortalDeps& deps);

// The value of the text field `name` of a multipart/form-data body when it
// comes before the first file part ("" otherwise): the upload form puts its
// CSRF token first. Exposed for its unit test.
std::string MultipartField(std::string_view body, const std::string& name);

}  // namespace kpo::portal
