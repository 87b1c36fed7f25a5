-- Selenite v1.0.0 schema: transcription jobs and their tags.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  media_path TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE job_tags (
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  tag_id INTEGER NOT NULL REFERENCES tags(id),
  PRIMARY KEY (job_id, tag_id)
);
