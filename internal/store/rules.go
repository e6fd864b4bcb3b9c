package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
)

// Rules lists the rules in order, with their project's name and colour.
func (s *Store) Rules(ctx context.Context) ([]rules.Rule, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.position, r.action, COALESCE(p.name, ''), COALESCE(p.color, ''),
			r.match, r.app, r.title, r.url, r.ignore_case, r.source, r.category, r.task, r.billable, r.tags
		FROM rules r LEFT JOIN projects p ON p.id = r.project_id ORDER BY r.position, r.id`)
	if err != nil {
		return nil, fmt.Errorf("reading rules: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []rules.Rule
	for rows.Next() {
		var r rules.Rule
		var category string
		var billable sql.NullBool
		if err := rows.Scan(&r.ID, &r.Position, &r.Action, &r.Project, &r.Color, &r.Match, &r.App, &r.Title, &r.URL,
			&r.IgnoreCase, &r.Source, &category, &r.Task, &billable, &r.Tags); err != nil {
			return nil, err
		}
		if billable.Valid {
			r.Billable = &billable.Bool
		}
		if category != "" {
			if err := json.Unmarshal([]byte(category), &r.Category); err != nil {
				return nil, fmt.Errorf("reading rule %d's category: %w", r.ID, err)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveRules replaces the rule list with rs, in their order (positions are
// renumbered 1..n; rules with an ID keep it). Projects they name are
// created when missing; an imported rule's colour goes to its project when
// that has none. One transaction: the list is never half-saved.
func (s *Store) SaveRules(ctx context.Context, rs []rules.Rule) ([]rules.Rule, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("saving rules: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	now := s.stamp()
	if _, err := tx.ExecContext(ctx, `DELETE FROM rules`); err != nil {
		return nil, fmt.Errorf("saving rules: %w", explain(s.path, err))
	}
	out := make([]rules.Rule, len(rs))
	for i, r := range rs {
		r.Position = i + 1
		var project any
		if r.Project != "" {
			id, err := ensureProject(ctx, tx, r.Project, r.Color, now)
			if err != nil {
				return nil, err
			}
			project = id
		}
		category := ""
		if len(r.Category) > 0 {
			b, _ := json.Marshal(r.Category)
			category = string(b)
		}
		var id any
		if r.ID != 0 {
			id = r.ID
		}
		var billable any
		if r.Billable != nil {
			billable = *r.Billable
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO rules (id, position, action, project_id, match, app, title, url, ignore_case,
				source, category, task, billable, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, r.Position, string(r.Action), project, r.Match, r.App, r.Title, r.URL, r.IgnoreCase, string(r.Source), category,
			r.Task, billable, r.Tags, now, now)
		if err != nil {
			return nil, fmt.Errorf("saving rule %d: %w", r.Position, explain(s.path, err))
		}
		if r.ID == 0 {
			if r.ID, err = res.LastInsertId(); err != nil {
				return nil, err
			}
		}
		out[i] = r
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("saving rules: %w", explain(s.path, err))
	}
	return out, nil
}

// ensureProject returns the id of the project named name, creating it
// (with color) when missing, and giving it color when it has none.
func ensureProject(ctx context.Context, tx *sql.Tx, name, color, now string) (int64, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO projects(name, color, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET color = excluded.color WHERE projects.color = '' AND excluded.color != ''`,
		name, color, now, now); err != nil {
		return 0, fmt.Errorf("adding project %q: %w", name, err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM projects WHERE name = ?`, name).Scan(&id); err != nil {
		return 0, fmt.Errorf("reading project %q: %w", name, err)
	}
	return id, nil
}
