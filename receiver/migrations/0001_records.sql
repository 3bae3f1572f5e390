-- One row per receipt, in log order. The log's leaf is derived from the row (position, receipt id, the hashes
-- of the receipt and the body, the time received); `acknowledgement` is the JWS the receiver answered with,
-- kept so that a retry gets the same answer and an audit can compare each row with what was signed.
CREATE TABLE records (
    position BIGINT PRIMARY KEY,
    receipt_id TEXT NOT NULL UNIQUE,
    receipt_sha256 TEXT NOT NULL,
    receipt TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    acknowledgement TEXT NOT NULL
);
CREATE INDEX records_by_receipt_sha256 ON records (receipt_sha256);
