-- Double opt-in. A link row is written with the record whose receipt granted a purpose the notice marks as
-- needing a confirmed address, in the same transaction, and mailed to the address in that record's payload by
-- the mailer (`state` is `waiting` until mailed, then `mailed`; `refused` when it cannot be mailed: the payload
-- was erased, the address refused, or the link expired first). The row names the person and the device key
-- as receipts do, never the address.
CREATE TABLE confirmation_links (
    link_id TEXT PRIMARY KEY,
    principal_id TEXT NOT NULL,
    device_thumbprint TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX confirmation_links_waiting ON confirmation_links (state, next_attempt_at);
CREATE INDEX confirmation_links_by_person ON confirmation_links (principal_id, device_thumbprint);
-- A followed link: an entry of the log like a record (its position is the log's), which the controller's key
-- countersigned (`acknowledgement`). A link serves once: its id is unique here.
CREATE TABLE confirmations (
    position BIGINT PRIMARY KEY,
    link_id TEXT NOT NULL UNIQUE,
    principal_id TEXT NOT NULL,
    device_thumbprint TEXT NOT NULL,
    receipt_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    acknowledgement TEXT NOT NULL
);
CREATE INDEX confirmations_by_person ON confirmations (principal_id, device_thumbprint);
