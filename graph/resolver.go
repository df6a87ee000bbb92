package graph

import "sitekeeper/graph/model"

// Resolver holds what resolvers need besides the request context; data comes from ent.
type Resolver struct {
	instance model.Instance
}
