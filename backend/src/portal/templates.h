// The portal's page templates: Mustache (kainjow, logic-less, escaping by
// default) compiled into the binary from portal/templates/*.mustache.
// Owns: finding and rendering a template by name. May not touch: the
// domain; callers build the data.
// Thread-safety: Render may be called from any thread at once (each call
// parses its own copy: kainjow's renderer keeps state in the template).
#pragma once

#include <map>
#include <memory>
#include <string>

#include <kainjow/mustache.hpp>

#include "kpo/status.h"

namespace kpo::portal {

using View = kainjow::mustache::data;
// An empty list a template iterates with {{#name}}.
inline View ListView() { return View(View::type::list); }

class Templates {
 public:
  // Parses every embedded template once to prove it valid. Errors:
  // kInternal naming the template and kainjow's message.
  static StatusOr<std::shared_ptr<const Templates>> Load();

  // The rendered template `name` ("search" for templates/search.mustache).
  // `{{x}}` is HTML-escaped; `{{{x}}}` is reserved for HTML we produced
  // ourselves (cmark output, snippets, other rendered templates).
  // Errors: kInternal for an unknown name or a render error.
  StatusOr<std::string> Render(const std::string& name, const View& view) const;

 private:
  std::map<std::string, std::string> sources_;
};

}  // namespace kpo::portal
