//! Trust policies (c2sp.org/tlog-policy): which logs are accepted, which witnesses are known, and the quorum of
//! them whose cosignatures make a checkpoint valid, with groups of `k` of `n` (`any`, `all`, or a number).
//!
//! ```text
//! log example.com/consent+1a2b3c4d+Ab…
//! witness w1 witness.example/w1+…+BK… https://witness.example/w1
//! witness w2 …
//! witness w3 …
//! group most 2 w1 w2 w3
//! quorum most
//! ```

use super::checkpoint::Checkpoint;
use super::cosignature::cosigned_at;
use super::note::{line_at, Note, VerifierKey, COSIGNATURE_V1, ED25519};
use crate::error::{Error, ErrorKind};
use crate::prelude::*;
use crate::text::parse_decimal;

/// A known log or witness: its key and, where the policy gives one, its URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// The name the policy gives it (a log's is its key's name).
    pub name: String,
    /// Its key.
    pub key: VerifierKey,
    /// Where to reach it (a witness's submission prefix).
    pub url: Option<String>,
}

/// A witness or a group, by its index in the policy's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Member {
    Witness(usize),
    Group(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Group {
    name: String,
    threshold: usize,
    members: Vec<Member>,
}

/// A policy, read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The logs whose checkpoints are accepted.
    pub logs: Vec<Party>,
    /// The known witnesses.
    pub witnesses: Vec<Party>,
    groups: Vec<Group>,
    /// `None` for `quorum none`.
    quorum: Option<Member>,
}

/// A checkpoint that a policy accepts: what it says, and who cosigned it when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witnessed {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// The note, with every signature it carried.
    pub note: Note,
    /// The known witnesses whose cosignatures verified, with their times.
    pub cosigned: Vec<(String, u64)>,
}

impl Policy {
    /// Reads a policy file.
    ///
    /// # Errors
    /// `Syntax` with the line for a line that is none of `log`, `witness`, `group`, `quorum`, a comment or
    /// blank; a key that does not read or is of the wrong type; a name used twice or not yet defined; a
    /// threshold outside 1..=n; a key listed twice; no quorum line or two.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let mut policy = Self {
            logs: Vec::new(),
            witnesses: Vec::new(),
            groups: Vec::new(),
            quorum: None,
        };
        let mut quorum_lines = 0;
        for (index, line) in text.split('\n').enumerate() {
            let at = line_at(index + 1);
            let syntax = |detail: &str| Error::new(ErrorKind::Syntax, at.as_str()).with_detail(detail);
            if line.bytes().any(|b| b < 0x20 && b != b'\t' || b == 0x7f) {
                return Err(syntax("a policy holds no control character but tabs"));
            }
            let words: Vec<&str> = line.split([' ', '\t']).filter(|word| !word.is_empty()).collect();
            match words.as_slice() {
                [] => {}
                [first, ..] if first.starts_with('#') => {}
                ["log", key, rest @ ..] if rest.len() <= 1 => {
                    let key = typed_key(key, ED25519, &at)?;
                    policy.check_new_key(&key, &at)?;
                    let name = key.name.clone();
                    policy.logs.push(Party {
                        name,
                        key,
                        url: rest.first().map(|url| (*url).to_owned()),
                    });
                }
                ["witness", name, key, rest @ ..] if rest.len() <= 1 => {
                    let key = typed_key(key, COSIGNATURE_V1, &at)?;
                    policy.check_new_name(name, &at)?;
                    policy.check_new_key(&key, &at)?;
                    let url = rest.first().map(|url| (*url).to_owned());
                    policy.witnesses.push(Party {
                        name: (*name).to_owned(),
                        key,
                        url,
                    });
                }
                ["group", name, threshold, members @ ..] if !members.is_empty() => {
                    policy.check_new_name(name, &at)?;
                    let members = members
                        .iter()
                        .map(|member| policy.member(member, &at))
                        .collect::<Result<Vec<_>, _>>()?;
                    if (1..members.len()).any(|i| members[..i].contains(&members[i])) {
                        return Err(syntax("a group lists each member once"));
                    }
                    let threshold = match *threshold {
                        "any" => 1,
                        "all" => members.len(),
                        k => parse_decimal(k)
                            .and_then(|k| usize::try_from(k).ok())
                            .filter(|k| (1..=members.len()).contains(k))
                            .ok_or_else(|| {
                                syntax("a threshold is any, all or a number from 1 to the members'")
                            })?,
                    };
                    policy.groups.push(Group {
                        name: (*name).to_owned(),
                        threshold,
                        members,
                    });
                }
                ["quorum", name] => {
                    quorum_lines += 1;
                    policy.quorum = if *name == "none" {
                        None
                    } else {
                        Some(policy.member(name, &at)?)
                    };
                }
                _ => {
                    return Err(syntax(
                        "a line is log, witness, group or quorum, as c2sp.org/tlog-policy writes them",
                    ))
                }
            }
        }
        if quorum_lines != 1 {
            return Err(
                Error::new(ErrorKind::Syntax, "policy").with_detail("a policy has exactly one quorum line")
            );
        }
        Ok(policy)
    }

    fn check_new_name(&self, name: &str, at: &str) -> Result<(), Error> {
        let taken = name == "none"
            || self.witnesses.iter().any(|witness| witness.name == name)
            || self.groups.iter().any(|group| group.name == name);
        if taken {
            return Err(Error::new(ErrorKind::Duplicate, at).with_detail("this name is taken"));
        }
        Ok(())
    }

    fn check_new_key(&self, key: &VerifierKey, at: &str) -> Result<(), Error> {
        if self
            .logs
            .iter()
            .chain(&self.witnesses)
            .any(|party| party.key.key == key.key)
        {
            return Err(Error::new(ErrorKind::Duplicate, at).with_detail("this key is listed already"));
        }
        Ok(())
    }

    fn member(&self, name: &str, at: &str) -> Result<Member, Error> {
        let witness = self.witnesses.iter().position(|witness| witness.name == name);
        let group = self.groups.iter().position(|group| group.name == name);
        witness
            .map(Member::Witness)
            .or(group.map(Member::Group))
            .ok_or_else(|| {
                Error::new(ErrorKind::UnknownKey, at)
                    .with_detail("no witness or group of this name on an earlier line")
            })
    }

    /// Whether the witnesses named `cosigned` meet the quorum.
    pub fn met_by(&self, cosigned: &[&str]) -> bool {
        self.quorum.is_none_or(|quorum| self.witnessed(quorum, cosigned))
    }

    fn witnessed(&self, member: Member, cosigned: &[&str]) -> bool {
        match member {
            Member::Witness(i) => cosigned.contains(&self.witnesses[i].name.as_str()),
            Member::Group(i) => {
                let group = &self.groups[i];
                let count = group
                    .members
                    .iter()
                    .filter(|m| self.witnessed(**m, cosigned))
                    .count();
                count >= group.threshold
            }
        }
    }

    /// Opens the checkpoint `signed`: one of the policy's logs signed it, and the known witnesses whose
    /// cosignatures verify meet the quorum.
    ///
    /// # Errors
    /// Those of [`Self::read`]; `NotBound` when the quorum is not met, naming who did cosign.
    pub fn open(&self, signed: &str) -> Result<Witnessed, Error> {
        let witnessed = self.read(signed)?;
        let names: Vec<&str> = witnessed.cosigned.iter().map(|(name, _)| name.as_str()).collect();
        if !self.met_by(&names) {
            let who = if names.is_empty() {
                "no known witness".to_owned()
            } else {
                join(&names, ", ")
            };
            return Err(Error::new(ErrorKind::NotBound, "cosignatures")
                .with_detail(concat(&["the policy's quorum is not met: cosigned by ", &who])));
        }
        Ok(witnessed)
    }

    /// Reads the checkpoint `signed`: one of the policy's logs signed it, with the known witnesses whose
    /// cosignatures verify, whether or not they meet the quorum (an auditor weighs a checkpoint the log
    /// signed even when few witnessed it).
    ///
    /// # Errors
    /// The note's or checkpoint's errors; `UnknownKey` when no log of the policy signed it; `BadSignature` when a
    /// known key's signature fails; `NotBound` when the origin is not the log's name.
    pub fn read(&self, signed: &str) -> Result<Witnessed, Error> {
        let note = Note::parse(signed)?;
        let mut log = None;
        for party in &self.logs {
            if note.signed_by(&party.key)?.is_some() {
                log = Some(&party.key);
            }
        }
        let log = log.ok_or_else(|| {
            Error::new(ErrorKind::UnknownKey, "checkpoint")
                .with_detail("no log this policy accepts signed it")
        })?;
        let checkpoint = Checkpoint::parse(&note.text)?;
        if checkpoint.origin != log.name {
            return Err(
                Error::new(ErrorKind::NotBound, line_at(1)).with_detail("the origin is not the log's name")
            );
        }
        let mut cosigned = Vec::new();
        for witness in &self.witnesses {
            if let Some(time) = cosigned_at(&note, &witness.key)? {
                cosigned.push((witness.name.clone(), time));
            }
        }
        Ok(Witnessed {
            checkpoint,
            note,
            cosigned,
        })
    }
}

/// A verifier key of type `kind`.
fn typed_key(text: &str, kind: u8, at: &str) -> Result<VerifierKey, Error> {
    let key = VerifierKey::parse(text, at)?;
    if key.kind != kind {
        let wanted = if kind == ED25519 {
            "a log's key is of type 0x01"
        } else {
            "a witness's key is of type 0x04"
        };
        return Err(Error::new(ErrorKind::UnsupportedAlgorithm, at).with_detail(wanted));
    }
    Ok(key)
}
