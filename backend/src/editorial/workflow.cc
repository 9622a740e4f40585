// Implements workflow.h.
#include "editorial/workflow.h"

#include <algorithm>
#include <array>
#include <vector>

namespace kpo::editorial {

namespace {

struct StateRow {
  State state;
  const char* name;
  const char* label;
};
constexpr std::array<StateRow, 5> kStates = {{
    {State::kDraft, "draft", "concept"},
    {State::kInReview, "in_review", "ter beoordeling"},
    {State::kScheduled, "scheduled", "ingepland"},
    {State::kPublished, "published", "gepubliceerd"},
    {State::kArchived, "archived", "gearchiveerd"},
}};

// One row per action: where it may start, where it leads, and whether an
// editor of the item's werkplaats may take it (else only redactie and admin).
struct Rule {
  Action action;
  const char* name;
  const char* verb;  // Dutch, for messages
  const char* done;  // Dutch, past tense, for the history (StepLabel)
  std::vector<State> from;
  State to;
  bool editors = false;
};
const std::vector<Rule>& Rules() {
  static const std::vector<Rule> kRules = {
      {Action::kSubmit,
       "submit",
       "indienen",
       "Ter beoordeling aangeboden",
       {State::kDraft},
       State::kInReview,
       true},
      // A scheduled item may still go out now, or at another moment.
      {Action::kApprove,
       "approve",
       "publiceren",
       "Goedgekeurd en gepubliceerd",
       {State::kInReview, State::kScheduled},
       State::kPublished},
      {Action::kSchedule,
       "schedule",
       "inplannen",
       "Publicatie ingepland",
       {State::kInReview, State::kScheduled},
       State::kScheduled},
      {Action::kReject,
       "reject",
       "terugsturen",
       "Teruggestuurd",
       {State::kInReview, State::kScheduled},
       State::kDraft},
      {Action::kUnpublish,
       "unpublish",
       "depubliceren",
       "Publicatie ingetrokken",
       {State::kPublished, State::kScheduled},
       State::kDraft},
      {Action::kArchive,
       "archive",
       "archiveren",
       "Gearchiveerd",
       {State::kDraft, State::kPublished},
       State::kArchived},
      {Action::kRestore,
       "restore",
       "terugzetten",
       "Teruggezet uit het archief",
       {State::kArchived},
       State::kDraft},
  };
  return kRules;
}

const Rule& RuleFor(Action action) {
  return *std::find_if(Rules().begin(), Rules().end(),
                       [&](const Rule& r) { return r.action == action; });
}

bool EditsFor(const Principal& who, const std::string& werkplaats) {
  return who.role == Role::kEditor && !werkplaats.empty() &&
         std::find(who.werkplaatsen.begin(), who.werkplaatsen.end(), werkplaats) !=
             who.werkplaatsen.end();
}

}  // namespace

const char* StateName(State state) { return kStates[static_cast<size_t>(state)].name; }

const char* StateLabel(State state) { return kStates[static_cast<size_t>(state)].label; }

StatusOr<State> ParseState(std::string_view name) {
  for (const auto& row : kStates) {
    if (name == row.name) return row.state;
  }
  return Status::Error(
      ErrorCode::kInvalidParameter,
      "Onbekende status: kies draft, in_review, scheduled, published of archived.");
}

const char* ActionName(Action action) { return RuleFor(action).name; }

std::string StepLabel(std::string_view action) {
  if (action == kPublishScheduled) return "Gepubliceerd op het geplande moment";
  if (action == kPublishScheduledRefused) return "Niet gepubliceerd op het geplande moment";
  for (const auto& rule : Rules()) {
    if (action == rule.name) return rule.done;
  }
  return std::string(action);
}

StatusOr<Action> ParseAction(std::string_view name) {
  for (const auto& rule : Rules()) {
    if (name == rule.name) return rule.action;
  }
  return Status::Error(ErrorCode::kInvalidParameter,
                       "Onbekende actie: kies submit, approve, schedule, reject, unpublish, "
                       "archive of restore.");
}

StatusOr<State> Transition(const Principal& who, const std::string& werkplaats, State from,
                           Action action) {
  const Rule& rule = RuleFor(action);
  const bool redactie = who.role == Role::kRedactie || who.role == Role::kAdmin;
  if (!redactie && !(rule.editors && EditsFor(who, werkplaats))) {
    std::string missing =
        rule.editors
            ? "U moet redacteur zijn van werkplaats '" + werkplaats + "', of de redactie, om te " +
                  rule.verb + "."
            : std::string("Alleen de redactie kan ") + rule.verb +
                  (who.role == Role::kEditor ? "; redacteuren publiceren nooit alleen." : ".");
    return Status::Error(ErrorCode::kForbidden, missing);
  }
  if (std::find(rule.from.begin(), rule.from.end(), from) == rule.from.end()) {
    std::string allowed;
    for (size_t i = 0; i < rule.from.size(); ++i) {
      if (i > 0) allowed += i + 1 == rule.from.size() ? " of " : ", ";
      allowed += std::string("'") + StateLabel(rule.from[i]) + "'";
    }
    return Status::Error(ErrorCode::kInvalidTransition, std::string("Het item is '") +
                                                            StateLabel(from) + "'; " + rule.verb +
                                                            " kan alleen vanuit " + allowed + ".");
  }
  return rule.to;
}

}  // namespace kpo::editorial
