-- Which receiver this database belongs to: a random audience that its access challenges carry, so that a
-- request answering one receiver's challenge is refused by another receiver of the same controller (staging
-- and production share the key, not the database). Receivers sharing one database share it.
CREATE TABLE receiver_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- The access challenges that were used: one serves once, across restarts and across the receivers sharing the
-- database. A row outlives its challenge by a day, for the per-key daily cap, then goes.
CREATE TABLE used_challenges (
    nonce TEXT PRIMARY KEY,
    device_thumbprint TEXT NOT NULL,
    used_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX used_challenges_by_device ON used_challenges (device_thumbprint, used_at);
CREATE INDEX used_challenges_by_expiry ON used_challenges (expires_at);
