-- Payloads live apart from the log's records, so that erasing one deletes its row here while the record, the
-- hashes the log signed and its acknowledgement stay. `body_sha256` keeps the body's hash once the body is
-- gone; rows from before this migration get it (with their device key's thumbprint and their decisions) when
-- a receiver next starts, because SQLite has no SHA-256 in SQL.
CREATE TABLE payloads (
    position BIGINT PRIMARY KEY,
    body TEXT NOT NULL
);
INSERT INTO payloads (position, body) SELECT position, body FROM records;
ALTER TABLE records DROP COLUMN body;
ALTER TABLE records ADD COLUMN body_sha256 TEXT;
-- Only the rows still to complete: a receiver starting finds them without reading the whole log.
CREATE INDEX records_to_complete ON records (position) WHERE body_sha256 IS NULL;
-- The thumbprint of the device key that signed the receipt: a person who proves they hold it may read and
-- erase what it signed, whichever way the receipts name them.
ALTER TABLE records ADD COLUMN device_thumbprint TEXT;
CREATE INDEX records_by_device ON records (device_thumbprint);

-- Which payloads were erased, when, and at whose request (`controller` or `person`).
CREATE TABLE erasures (
    position BIGINT PRIMARY KEY,
    erased_at BIGINT NOT NULL,
    requested_by TEXT NOT NULL
);

-- One row per purpose of each receipt: the person's decision, what it rests on and when, so that "what may we
-- do with this person's data" reads a few rows by the person instead of every receipt.
CREATE TABLE decisions (
    principal_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    position BIGINT NOT NULL,
    decision TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    notice_revision TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (principal_id, purpose, position)
);
CREATE INDEX decisions_by_position ON decisions (position);
