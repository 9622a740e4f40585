// The editorial workflow: the states an item passes through and who may move
// it from one to the next. Owns: the state and action names and the
// transition rules, checked on the server for every transition.
//   draft ──submit──▶ in_review ──approve──▶ published ──archive──▶ archived
//                      │   └──schedule──▶ scheduled ──(at its time)──▶ published
//                      │◀──(at its time, when it now links a closed item)── scheduled
//                      └──reject──▶ draft ◀──unpublish── published | scheduled
//   archived ──restore──▶ draft
// Editors create, edit and submit the drafts of their own werkplaats; the
// redactie (and admin) approve, schedule, send back, unpublish, archive and
// restore. Editors never publish alone.
// May not touch: storage, the index, HTTP; who may *read* an item is
// access/policy's (the werkplaats:<id> keys), not this module's.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "kpo/access/principal.h"
#include "kpo/status.h"

namespace kpo::editorial {

enum class State { kDraft, kInReview, kScheduled, kPublished, kArchived };
enum class Action { kSubmit, kApprove, kSchedule, kReject, kUnpublish, kArchive, kRestore };

// Wire names: "draft", "in_review", "scheduled", "published", "archived".
const char* StateName(State state);
// Dutch, for messages: "concept", "ter beoordeling", ...
const char* StateLabel(State state);
// Errors: kInvalidParameter naming the allowed values.
StatusOr<State> ParseState(std::string_view name);
// Wire names: "submit", "approve", "schedule", "reject", "unpublish", "archive", "restore".
const char* ActionName(Action action);
// Errors: kInvalidParameter naming the allowed values.
StatusOr<Action> ParseAction(std::string_view name);
// The scheduler's steps (EditorialService::PublishDue), beside the actions:
// a scheduled item published at its time, or held back.
inline constexpr const char* kPublishScheduled = "publish_scheduled";
inline constexpr const char* kPublishScheduledRefused = "publish_scheduled_refused";
// Dutch, for an item's history: what the step named `action` (an action's
// wire name or one of the scheduler's) did, "Teruggestuurd"; the name
// itself when unknown.
std::string StepLabel(std::string_view action);

// Decides `action` by `who` on an item of `werkplaats` that is in `from`.
// Returns the state after it.
// Errors: kForbidden (403) naming what is missing (the role, or being an
// editor of this werkplaats); checked first, so a caller learns nothing
// about items they may not change. kInvalidTransition (409) naming the
// current state and the states the action starts from.
StatusOr<State> Transition(const Principal& who, const std::string& werkplaats, State from,
                           Action action);

}  // namespace kpo::editorial
