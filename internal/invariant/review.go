package invariant

import (
	"context"

	"sitekeeper/ent"
	"sitekeeper/ent/hook"
	"sitekeeper/ent/predicate"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/rule"
)

// errEvidence refuses any change to a completed review: it is the evidence an auditor reads,
// and stays as it was when it completed.
var errEvidence = apperr.New(apperr.Conflict, "the review is completed: its record never changes")

var changes = ent.OpUpdate | ent.OpUpdateOne | ent.OpDelete | ent.OpDeleteOne

// CompletedReviewsStay refuses updating or deleting a completed review, whoever asks.
func CompletedReviewsStay() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ReviewFunc(func(ctx context.Context, m *ent.ReviewMutation) (ent.Value, error) {
			return refuseCompleted(ctx, m, next, m.Client(), m.IDs, review.IDIn)
		})
	}, changes)
}

// CompletedReviewItemsStay refuses changing the items of a completed review, whoever asks.
func CompletedReviewItemsStay() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ReviewItemFunc(func(ctx context.Context, m *ent.ReviewItemMutation) (ent.Value, error) {
			return refuseCompleted(ctx, m, next, m.Client(), m.IDs, func(ids ...int) predicate.Review {
				return review.HasItemsWith(reviewitem.IDIn(ids...))
			})
		})
	}, changes)
}

// refuseCompleted runs the mutation unless one of the reviews it touches (selected by
// touching, from the ids of the rows it changes) is completed.
func refuseCompleted(ctx context.Context, m ent.Mutation, next ent.Mutator, client *ent.Client,
	ids func(context.Context) ([]int, error), touching func(...int) predicate.Review) (ent.Value, error) {
	sys := rule.Unrestricted(ctx)
	rows, err := ids(sys)
	if err != nil {
		return nil, err
	}
	done, err := client.Review.Query().Where(review.CompletedAtNotNil(), touching(rows...)).Exist(sys)
	if err != nil {
		return nil, err
	}
	if done {
		return nil, errEvidence
	}
	return next.Mutate(ctx, m)
}
