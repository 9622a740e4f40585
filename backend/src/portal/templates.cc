// Implements templates.h.
#include "portal/templates.h"

namespace kpo::portal {

namespace {

// {name, source} rows generated from templates/*.mustache at build time.
const std::map<std::string, std::string>& Embedded() {
  static const std::map<std::string, std::string> kSources = {
#include "portal/templates.inc"
  };
  return kSources;
}

}  // namespace

StatusOr<std::shared_ptr<const Templates>> Templates::Load() {
  auto templates = std::make_shared<Templates>();
  for (const auto& [name, source] : Embedded()) {
    kainjow::mustache::mustache parsed{source};
    if (!parsed.is_valid()) {
      return Status::Internal("portaalsjabloon " + name +
                              ".mustache is ongeldig: " + parsed.error_message());
    }
    templates->sources_.emplace(name, source);
  }
  return std::shared_ptr<const Templates>(std::move(templates));
}

StatusOr<std::string> Templates::Render(const std::string& name, const View& view) const {
  auto it = sources_.find(name);
  if (it == sources_.end()) return Status::Internal("geen portaalsjabloon " + name);
  kainjow::mustache::mustache tmpl{it->second};
  std::string out = tmpl.render(view);
  if (!tmpl.is_valid()) {
    return Status::Internal("portaalsjabloon " + name + ": " + tmpl.error_message());
  }
  return out;
}

}  // namespace kpo::portal
