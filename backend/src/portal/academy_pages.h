// The academy's portal pages (issue 11): the course catalogue /academie with
// its filters, a course page with its sessions, free places and the
// enrol / cancel / waiting-list forms, "Mijn inschrijvingen" with calendar
// links, and for academy managers the course and session forms, capacity,
// cancelling a session and the participant list export. Plain GET and POST
// forms (POSTs carry the session's CSRF token), redirect after POST; no
// JavaScript needed. Owns: these routes, their views and Dutch messages.
// May not touch: the academy's rules (academy::Academy decides, including
// who may manage), SQL, access keys.
// Thread-safety: handlers run on any reactor thread at once; nothing here
// keeps mutable state.
#pragma once

#include <memory>

#include "http/router.h"
#include "portal/page_host.h"
#include "portal/portal.h"

namespace kpo::portal {

// Registers the academy's pages on `router`; without `deps.academy` none.
// `host` and the pointers in `deps` must outlive the router.
void AddAcademyPages(http::Router* router, std::shared_ptr<PageHost> host, const PortalDeps& deps);

}  // namespace kpo::portal
