-- The relay's queue: one row per record to forward to the CRM, written in the same transaction as the record,
-- so that nothing accepted is lost between the two. `state` is `waiting`, `delivered` or `refused` (the CRM,
-- or the relay's rules, refused it for good: kept, with why, for people to see). `next_attempt_at` is when a
-- waiting row may be tried (a try in progress pushes it forward, so that receivers sharing the database do
-- not both send it).
CREATE TABLE relay (
    position BIGINT PRIMARY KEY,
    principal_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX relay_waiting ON relay (state, next_attempt_at, position);
CREATE INDEX relay_by_principal ON relay (principal_id, state, position);
