-- Erasures the relay passes on to the CRM: one row per person and erasure, written in the same transaction as
-- the erasure itself when anything of that person's was queued for the CRM, so that an erasure never stays
-- on this side only. The row carries no personal data beyond the person's id as receipts name them. `state`
-- is `waiting`, `delivered` or `refused` (the CRM has no way to delete, or refused: kept, with why, for
-- people to act on), as in `relay`. It waits until none of the person's records waits.
CREATE TABLE relay_erasures (
    principal_id TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    requested_by TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    finished_at BIGINT,
    PRIMARY KEY (principal_id, requested_at)
);
CREATE INDEX relay_erasures_waiting ON relay_erasures (state, next_attempt_at);
