-- The checkpoints of the log that witnesses cosigned to the policy's quorum (C2SP signed notes, with the log's
-- signature and the witnesses' cosignatures), one a size: acknowledgements carry proofs against them, devices
-- check later checkpoints against the one they kept, and an audit checks each against the records.
CREATE TABLE checkpoints (
    size BIGINT PRIMARY KEY,
    note TEXT NOT NULL,
    cosigned_at BIGINT NOT NULL
);
