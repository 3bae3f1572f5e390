//! The log in the formats transparency logs share (C2SP): signed notes and their keys, checkpoints, witnesses'
//! cosignatures, trust policies and offline proofs. The receiver serves its checkpoints in them, witnesses check
//! and cosign them, and a person's device and an auditor verify them, each with this one implementation.

#[cfg(not(target_arch = "wasm32"))]
pub mod add_checkpoint;
pub mod checkpoint;
pub mod cosignature;
pub mod history;
pub mod note;
pub mod policy;
pub mod proof;
#[cfg(not(target_arch = "wasm32"))]
pub mod signer;
