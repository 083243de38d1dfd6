package collab_test

import (
	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/collab/collabtest"
	"github.com/strategieraum/strategieraum/backend/store"
)

// Both stores implement the interface collab consumes.
var (
	_ collab.Store = (*store.DB)(nil)
	_ collab.Store = (*collabtest.Memory)(nil)
)
