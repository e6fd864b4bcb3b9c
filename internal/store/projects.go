package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Project is a local project entries can be filed under.
type Project struct {
	ID    int64
	Name  string
	Color string // "#rrggbb" or "" (imported from ActivityWatch)
	Push  bool   // its time is pushed to TimeTracker
}

const projectCols = `id, name, color, push`

// ErrNoProject means no project has that name or id.
var ErrNoProject = errors.New("no such project")

// Projects lists projects by name.
func (s *Store) Projects(ctx context.Context) ([]Project, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+projectCols+` FROM projects WHERE status = 'active' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("listing projects: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []Project
	for rows.Next() {
		var p Project
		if err := rows.Scan(&p.ID, &p.Name, &p.Color, &p.Push); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddProject creates a project, or returns the existing one of that name
// (names are case-insensitive).
func (s *Store) AddProject(ctx context.Context, name string) (Project, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Project{}, errors.New("a project needs a name")
	}
	now := s.stamp()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO projects(name, created_at, updated_at) VALUES (?, ?, ?)
		ON CONFLICT(name) DO NOTHING`, name, now, now); err != nil {
		return Project{}, fmt.Errorf("adding project %q: %w", name, explain(s.path, err))
	}
	return s.ProjectByName(ctx, name)
}

// ProjectByName finds a project by case-insensitive name.
func (s *Store) ProjectByName(ctx context.Context, name string) (Project, error) {
	return s.project(ctx, `SELECT `+projectCols+` FROM projects WHERE name = ?`, strings.TrimSpace(name))
}

// ProjectByID finds a project by id.
func (s *Store) ProjectByID(ctx context.Context, id int64) (Project, error) {
	return s.project(ctx, `SELECT `+projectCols+` FROM projects WHERE id = ?`, id)
}

func (s *Store) project(ctx context.Context, q string, arg any) (Project, error) {
	var p Project
	err := s.db.QueryRowContext(ctx, q, arg).Scan(&p.ID, &p.Name, &p.Color, &p.Push)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("%w: %v", ErrNoProject, arg)
	}
	if err != nil {
		return p, fmt.Errorf("reading project: %w", explain(s.path, err))
	}
	return p, nil
}

// SetProjectPush says whether a project's time is pushed to TimeTracker.
func (s *Store) SetProjectPush(ctx context.Context, id int64, push bool) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE projects SET push = ?, updated_at = ? WHERE id = ?`, push, s.stamp(), id); err != nil {
		return fmt.Errorf("changing project %d: %w", id, explain(s.path, err))
	}
	return nil
}
