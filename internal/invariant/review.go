package invariant

import (
	"context"

	"sitekeeper/ent"
	"sitekeeper/ent/hook"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/rule"
)

// errEvidence refuses any change to a completed review: it is the evidence an auditor reads,
// and stays as it was when it completed.
var errEvidence = apperr.New(apperr.Conflict, "the review is completed: its record never changes")

// CompletedReviewsStay refuses updating or deleting a completed review, whoever asks.
func CompletedReviewsStay() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ReviewFunc(func(ctx context.Context, m *ent.ReviewMutation) (ent.Value, error) {
			sys := rule.Unrestricted(ctx)
			ids, err := m.IDs(sys)
			if err != nil {
				return nil, err
			}
			done, err := m.Client().Review.Query().Where(review.IDIn(ids...), review.CompletedAtNotNil()).Exist(sys)
			if err != nil {
				return nil, err
			}
			if done {
				return nil, errEvidence
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpUpdate|ent.OpUpdateOne|ent.OpDelete|ent.OpDeleteOne)
}

// CompletedReviewItemsStay refuses changing the items of a completed review, whoever asks.
func CompletedReviewItemsStay() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ReviewItemFunc(func(ctx context.Context, m *ent.ReviewItemMutation) (ent.Value, error) {
			sys := rule.Unrestricted(ctx)
			ids, err := m.IDs(sys)
			if err != nil {
				return nil, err
			}
			done, err := m.Client().Review.Query().
				Where(review.CompletedAtNotNil(), review.HasItemsWith(reviewitem.IDIn(ids...))).Exist(sys)
			if err != nil {
				return nil, err
			}
			if done {
				return nil, errEvidence
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpUpdate|ent.OpUpdateOne|ent.OpDelete|ent.OpDeleteOne)
}
