// The editorial workflow's rules, for every role, action and state: editors
// submit their own werkplaats's drafts and never publish; the redactie does
// the rest; a forbidden action is a 403 naming what is missing, an
// impossible one a 409 naming the current state.
#include "editorial/workflow.h"

#include <gtest/gtest.h>

#include <vector>

namespace kpo::editorial {
namespace {

Principal Editor(std::vector<std::string> werkplaatsen) {
  Principal p;
  p.role = Role::kEditor;
  p.werkplaatsen = std::move(werkplaatsen);
  return p;
}
Principal WithRole(Role role) {
  Principal p;
  p.role = role;
  return p;
}

const std::vector<State> kAllStates = {State::kDraft, State::kInReview, State::kScheduled,
                                       State::kPublished, State::kArchived};
const std::vector<Action> kAllActions = {Action::kSubmit, Action::kApprove,   Action::kSchedule,
                                         Action::kReject, Action::kUnpublish, Action::kArchive,
                                         Action::kRestore};

TEST(Workflow, TheRedactieFollowsTheStateMachine) {
  const Principal r = WithRole(Role::kRedactie);
  EXPECT_EQ(*Transition(r, "bibob", State::kDraft, Action::kSubmit), State::kInReview);
  EXPECT_EQ(*Transition(r, "bibob", State::kInReview, Action::kApprove), State::kPublished);
  EXPECT_EQ(*Transition(r, "bibob", State::kInReview, Action::kSchedule), State::kScheduled);
  EXPECT_EQ(*Transition(r, "bibob", State::kInReview, Action::kReject), State::kDraft);
  EXPECT_EQ(*Transition(r, "bibob", State::kScheduled, Action::kReject), State::kDraft);
  // A scheduled item goes out now, or is moved to another moment.
  EXPECT_EQ(*Transition(r, "bibob", State::kScheduled, Action::kApprove), State::kPublished);
  EXPECT_EQ(*Transition(r, "bibob", State::kScheduled, Action::kSchedule), State::kScheduled);
  EXPECT_EQ(*Transition(r, "bibob", State::kPublished, Action::kUnpublish), State::kDraft);
  EXPECT_EQ(*Transition(r, "bibob", State::kPublished, Action::kArchive), State::kArchived);
  EXPECT_EQ(*Transition(r, "bibob", State::kArchived, Action::kRestore), State::kDraft);
  // Admin may do what the redactie does.
  EXPECT_EQ(*Transition(WithRole(Role::kAdmin), "", State::kInReview, Action::kApprove),
            State::kPublished);
}

TEST(Workflow, AnImpossibleTransitionIs409NamingTheCurrentState) {
  auto s = Transition(WithRole(Role::kRedactie), "bibob", State::kPublished, Action::kApprove);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().Is(ErrorCode::kInvalidTransition));
  EXPECT_EQ(HttpStatus(s.status().code()), 409);
  EXPECT_EQ(s.status().message(),
            "Het item is 'gepubliceerd'; publiceren kan alleen vanuit 'ter beoordeling' of "
            "'ingepland'.");
  // Every (state, action) pair outside the table is refused this way.
  int allowed = 0;
  for (State from : kAllStates) {
    for (Action a : kAllActions) {
      auto t = Transition(WithRole(Role::kRedactie), "bibob", from, a);
      if (t.ok()) {
        ++allowed;
      } else {
        EXPECT_TRUE(t.status().Is(ErrorCode::kInvalidTransition)) << StateName(from);
        EXPECT_NE(t.status().message().find(StateLabel(from)), std::string::npos);
      }
    }
  }
  EXPECT_EQ(allowed,
            12);  // submit 1, approve 2, schedule 2, reject 2, unpublish 2, archive 2, restore 1
}

TEST(Workflow, EditorsSubmitTheirOwnWerkplaatsDraftsOnly) {
  EXPECT_EQ(*Transition(Editor({"bibob"}), "bibob", State::kDraft, Action::kSubmit),
            State::kInReview);
  auto other = Transition(Editor({"integriteit"}), "bibob", State::kDraft, Action::kSubmit);
  ASSERT_FALSE(other.ok());
  EXPECT_TRUE(other.status().Is(ErrorCode::kForbidden));
  EXPECT_EQ(other.status().message(),
            "U moet redacteur zijn van werkplaats 'bibob', of de redactie, om te indienen.");
  // An item without a werkplaats is the redactie's.
  EXPECT_FALSE(Transition(Editor({"bibob"}), "", State::kDraft, Action::kSubmit).ok());
}

TEST(Workflow, EditorsNeverPublishAlone) {
  for (Action a : {Action::kApprove, Action::kSchedule, Action::kReject, Action::kUnpublish,
                   Action::kArchive, Action::kRestore}) {
    for (State from : kAllStates) {
      auto t = Transition(Editor({"bibob"}), "bibob", from, a);
      ASSERT_FALSE(t.ok());
      // 403 before 409: the permission is checked first.
      EXPECT_TRUE(t.status().Is(ErrorCode::kForbidden)) << ActionName(a);
      EXPECT_NE(t.status().message().find("Alleen de redactie"), std::string::npos);
    }
  }
  EXPECT_NE(Transition(Editor({"bibob"}), "bibob", State::kInReview, Action::kApprove)
                .status()
                .message()
                .find("redacteuren publiceren nooit alleen"),
            std::string::npos);
}

TEST(Workflow, OtherRolesChangeNothing) {
  for (Role role : {Role::kAnonymous, Role::kMember, Role::kAcademie}) {
    for (Action a : kAllActions) {
      auto t = Transition(WithRole(role), "bibob", State::kDraft, a);
      ASSERT_FALSE(t.ok());
      EXPECT_TRUE(t.status().Is(ErrorCode::kForbidden)) << RoleName(role) << ActionName(a);
    }
  }
}

TEST(Workflow, NamesRoundTripAndUnknownNamesAreRefused) {
  for (State s : kAllStates) EXPECT_EQ(*ParseState(StateName(s)), s);
  for (Action a : kAllActions) EXPECT_EQ(*ParseAction(ActionName(a)), a);
  EXPECT_TRUE(ParseAction("publish").status().Is(ErrorCode::kInvalidParameter));
  EXPECT_TRUE(ParseState("").status().Is(ErrorCode::kInvalidParameter));
  EXPECT_TRUE(ParseState("Draft").status().Is(ErrorCode::kInvalidParameter));
}

}  // namespace
}  // namespace kpo::editorial
