-- The release: record each job's media duration. Additive (a nullable column): the running
-- v1.0.0 keeps working, so this is a backward-compatible data change.
ALTER TABLE jobs ADD COLUMN duration_s INTEGER;
CREATE INDEX jobs_created_at ON jobs (created_at);
