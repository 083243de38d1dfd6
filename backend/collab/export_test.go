package collab

import "github.com/strategieraum/strategieraum/backend/domain"

// Idle reports whether no committer runs for doc on s, so that a read
// of a held document may be answered from the cache. Tests wait on it
// after a submit, whose answer comes before its committer stops.
func Idle(s *Service, doc domain.DocKey) bool {
	s.mu.Lock()
	d := s.docs[doc]
	s.mu.Unlock()
	return d == nil || !d.busy()
}
