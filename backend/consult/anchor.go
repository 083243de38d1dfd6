package consult

import (
	"context"
	"fmt"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// opsPage is how many ops are read at a time while moving anchors.
const opsPage = 1000

// moveAnchor moves a over op, which applies at a.Version. Every surviving
// character of the passage stays inside [Start, End); once none is left the
// anchor is marked removed and stops moving.
func moveAnchor(a domain.Anchor, op ot.Op) domain.Anchor {
	if a.Removed {
		return a
	}
	// The start is pushed behind text inserted at it and the end is not, so
	// text typed right before or after the passage stays outside.
	start, end := ot.TransformPositionAfter(a.Start, op), ot.TransformPosition(a.End, op)
	a.Version++
	if end <= start {
		return domain.Anchor{Start: start, End: start, Version: a.Version, Removed: true}
	}
	a.Start, a.End = start, end
	return a
}

// advance moves anchors (all of one section) to the newest committed
// version, reading the op log once from the oldest of them.
func (s *Service) advance(ctx context.Context, sectionID int64, anchors []*domain.Anchor) error {
	from := int64(-1)
	for _, a := range anchors {
		if !a.Removed && (from < 0 || a.Version < from) {
			from = a.Version
		}
	}
	if from < 0 {
		return nil
	}
	for {
		ops, err := s.d.OpLog.OpsSince(ctx, domain.SectionDoc(sectionID), from, opsPage)
		if err != nil {
			return err
		}
		for _, c := range ops {
			op, err := ot.Parse(c.Op)
			if err != nil {
				return fmt.Errorf("section %d op %d: %w", sectionID, c.Version, err)
			}
			for _, a := range anchors {
				if !a.Removed && a.Version == c.Version {
					*a = moveAnchor(*a, op)
				}
			}
			from = c.Version + 1
		}
		if len(ops) < opsPage {
			return nil
		}
	}
}

// refresh brings the anchors of threads up to date and stores those that
// moved. Threads may belong to different sections.
func (s *Service) refresh(ctx context.Context, threads []*domain.Thread) error {
	bySection := map[int64][]*domain.Thread{}
	for _, t := range threads {
		bySection[t.SectionID] = append(bySection[t.SectionID], t)
	}
	for sectionID, ts := range bySection {
		anchors := make([]*domain.Anchor, len(ts))
		before := make([]int64, len(ts))
		for i, t := range ts {
			a := t.Anchor
			anchors[i], before[i] = &a, a.Version
		}
		if err := s.advance(ctx, sectionID, anchors); err != nil {
			return err
		}
		var ups []domain.AnchorUpdate
		for i, t := range ts {
			if anchors[i].Version == before[i] && anchors[i].Removed == t.Anchor.Removed {
				continue
			}
			ups = append(ups, domain.AnchorUpdate{ThreadID: t.ID, FromVersion: before[i], Anchor: *anchors[i]})
			t.Anchor = *anchors[i]
		}
		if _, err := s.d.Store.UpdateAnchors(ctx, ups); err != nil {
			return err
		}
	}
	return nil
}

// runeSlice returns code points [start, end) of text, clamped to the text
// so that a stale range can never panic.
func runeSlice(text string, start, end int) string {
	r := []rune(text)
	end = min(max(end, 0), len(r))
	start = min(max(start, 0), end)
	return string(r[start:end])
}
