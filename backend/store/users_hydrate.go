package store

import (
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// hydrateUsers converts rows to users with organisation, roles and topics,
// using one query per association rather than one per user.
func hydrateUsers(tx *gorm.DB, rows []userRow) ([]*domain.User, error) {
	out := make([]*domain.User, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	orgIDs := make([]int64, len(rows))
	for i, r := range rows {
		ids[i], orgIDs[i] = r.ID, r.OrgID
	}
	orgs, err := orgsByID(tx, uniqueIDs(orgIDs))
	if err != nil {
		return nil, err
	}
	var roles []userRoleRow
	if err := tx.Where("user_id IN ?", ids).Find(&roles).Error; err != nil {
		return nil, err
	}
	var topics []userTopicRow
	if err := tx.Where("user_id IN ?", ids).Order("topic_id").Find(&topics).Error; err != nil {
		return nil, err
	}
	var totps []totpRow
	if err := tx.Select("user_id").Where("user_id IN ? AND confirmed_at IS NOT NULL", ids).Find(&totps).Error; err != nil {
		return nil, err
	}
	var idents []identityRow
	if err := tx.Select("user_id").Where("user_id IN ?", ids).Find(&idents).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]*domain.User, len(rows))
	for i, r := range rows {
		u := &domain.User{ID: r.ID, Email: r.Email, Name: r.Name, OrgID: r.OrgID,
			Org: orgs[r.OrgID], Disabled: r.Disabled, CreatedAt: r.CreatedAt.UTC(), Language: domain.Language(r.Language),
			Deleted: strings.HasSuffix(r.Email, "@"+deletedDomain), Roles: []domain.Role{}, TopicIDs: []int64{}}
		out[i], byID[r.ID] = u, u
	}
	for _, r := range roles {
		byID[r.UserID].Roles = append(byID[r.UserID].Roles, domain.Role(r.Role))
	}
	for _, u := range out {
		sortRoles(u.Roles)
	}
	for _, t := range topics {
		byID[t.UserID].TopicIDs = append(byID[t.UserID].TopicIDs, t.TopicID)
	}
	for _, t := range totps {
		byID[t.UserID].SecondFactor = true
	}
	for _, i := range idents {
		byID[i.UserID].SSO = true
	}
	return out, nil
}

// sortRoles puts roles in the order of domain.Roles.
func sortRoles(roles []domain.Role) {
	rank := map[domain.Role]int{}
	for i, r := range domain.Roles {
		rank[r] = i
	}
	sort.Slice(roles, func(i, j int) bool { return rank[roles[i]] < rank[roles[j]] })
}

// uniqueIDs returns ids without duplicates, sorted.
func uniqueIDs(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	n := 0
	for i, id := range out {
		if i == 0 || id != out[n-1] {
			out[n] = id
			n++
		}
	}
	return out[:n]
}
