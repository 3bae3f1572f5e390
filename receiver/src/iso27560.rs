//! A person's records as ISO/IEC TS 27560 consent records, in JSON-LD with the W3C Data Privacy Vocabulary,
//! following the DPV community group's guide ("Consent Records and Receipts as per ISO/IEC TS 27560:2023
//! using DPV", profile `dpv-27560#record`).
//!
//! One consent record per chain of receipts (a first receipt and every change or withdrawal that follows
//! it): its header (schema, identifier, the person), the notices shown, one `dpv:Process` per purpose (purpose,
//! legal basis, personal data, controller, recipients, storage, and for consent the events given, refused and
//! withdrawn, each with its time, who expressed it and until when it holds), the controller as an entity,
//! how to withdraw, the rights, and every receipt as evidence (its compact JWS). The context is inline, so
//! the document expands offline; nothing is fetched.
//!
//! What the notice does not say is not invented: the storage location is the jurisdiction the controller
//! names, and personal data categories map to DPV's `pd:` concepts where Kantara's label has one, else stay
//! as the label under `dpv:PersonalData`.

use crate::confirmation::{Confirmation, CONFIRMATION_TYP};
use crate::store::{device_thumbprint, Record};
use crate::utc::iso8601;
use consent_capture::receipt::check::inspect;
use consent_capture::receipt::kantara::EXTENSION_KEY;
use consent_capture::receipt::receipt_hash;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The profile the records conform to.
pub const PROFILE: &str = "https://w3id.org/dpv/schema/dpv-27560#record";

/// The JSON-LD context every export carries inline: DPV's prefixes, and which members hold IRIs or times.
pub fn context() -> Value {
    let mut context = json!({
        "dpv": "https://w3id.org/dpv#",
        "pd": "https://w3id.org/dpv/pd#",
        "loc": "https://w3id.org/dpv/loc#",
        "dct": "http://purl.org/dc/terms/",
        "schema": "https://schema.org/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    });
    let map = context.as_object_mut().expect("an object");
    for iri in [
        "dct:conformsTo",
        "dct:source",
        "dpv:hasDataController",
        "dpv:hasRecipient",
        "dpv:hasLegalBasis",
        "dpv:hasJurisdiction",
        "dpv:isIndicatedBy",
        "dpv:isExercisedAt",
        "schema:url",
    ] {
        map.insert(iri.into(), json!({ "@type": "@id" }));
    }
    for time in ["dct:created", "dct:modified", "dpv:isIndicatedAtTime"] {
        map.insert(time.into(), json!({ "@type": "xsd:dateTime" }));
    }
    context
}

/// A receipt of the chain, read.
struct Link<'a> {
    record: &'a Record,
    receipt: Value,
}

/// Receipts placed into chains in log order: a receipt joins the chain of the receipt it follows
/// (`previousReceipt`) when that one was placed before, else starts a chain of its own. One consent record is
/// one chain.
#[derive(Debug, Default)]
pub struct Chains {
    of_receipt: HashMap<String, usize>,
    count: usize,
}

impl Chains {
    /// The chain of `receipt` (a compact JWS following the receipt whose hash is `previous`), numbered from 0 in
    /// the order chains start: the next number when it starts one.
    pub fn place(&mut self, receipt: &str, previous: Option<&str>) -> usize {
        let chain = previous
            .and_then(|hash| self.of_receipt.get(hash).copied())
            .unwrap_or_else(|| {
                self.count += 1;
                self.count - 1
            });
        self.of_receipt.insert(receipt_hash(receipt), chain);
        chain
    }
}

/// The consent records of one person (`records`: every record about them, in log order; `confirmations`:
/// every confirmation of their address, which is evidence for each chain signed by the confirmed device). A
/// record whose receipt no longer reads is left out (an audit names it).
pub fn consent_records(principal_id: &str, records: &[Record], confirmations: &[Confirmation]) -> Vec<Value> {
    let mut chains: Vec<Vec<Link<'_>>> = Vec::new();
    let mut placed = Chains::default();
    for record in records {
        let Ok((compact, _)) = inspect(&record.receipt) else {
            continue;
        };
        let Ok(receipt) = serde_json::from_slice::<Value>(&compact.payload) else {
            continue;
        };
        let chain = placed.place(
            &record.receipt,
            receipt[EXTENSION_KEY]["previousReceipt"].as_str(),
        );
        if chain == chains.len() {
            chains.push(Vec::new());
        }
        chains[chain].push(Link { record, receipt });
    }
    chains
        .iter()
        .map(|chain| {
            let mut record = consent_record(principal_id, chain);
            let devices: Vec<Option<String>> = chain
                .iter()
                .map(|link| device_thumbprint(&link.record.receipt))
                .collect();
            let confirmed = confirmations
                .iter()
                .filter(|c| devices.contains(&Some(c.entry.device_thumbprint.clone())));
            if let Some(evidence) = record["dct:source"].as_array_mut() {
                evidence.extend(confirmed.map(confirmation_evidence));
            }
            record
        })
        .collect()
}

/// A confirmation of the person's address (double opt-in) as evidence: the controller's countersignature of
/// its log entry, which names the device key whose receipts it makes count.
fn confirmation_evidence(confirmation: &Confirmation) -> Value {
    let entry = &confirmation.entry;
    json!({
        "@id": format!("urn:consent-capture:confirmation:{}", entry.position),
        "dct:identifier": entry.position.to_string(),
        "dct:description": format!(
            "The person confirmed the e-mail address that names them by following the link mailed to it, \
             after receipt {}; receipts signed by the device key {} count from then on",
            entry.receipt_id, entry.device_thumbprint
        ),
        "dct:format": format!("application/jose (JWS, RFC 7515, typ {CONFIRMATION_TYP}): the controller's \
                               countersignature of the log entry"),
        "dct:created": iso8601(entry.received_at),
        "rdf:value": confirmation.acknowledgement,
    })
}

fn consent_record(principal_id: &str, chain: &[Link<'_>]) -> Value {
    let first = &chain[0];
    let last = &chain[chain.len() - 1];
    let id = first.receipt["consentReceiptID"].as_str().unwrap_or_default();
    let record_iri = format!("urn:uuid:{id}");
    let controller = &last.receipt["piiControllers"][0];
    // Blank node names are the document's: one per record, as another notice may name another controller.
    let controller_node = format!("_:controller-{id}");
    let jurisdiction = format!(
        "loc:{}",
        last.receipt["jurisdiction"].as_str().unwrap_or_default()
    );
    let policy = last.receipt["policyUrl"].clone();
    let mut notices: Vec<Value> = Vec::new();
    for link in chain {
        let extension = &link.receipt[EXTENSION_KEY];
        let hash = extension["noticeSha256"].as_str().unwrap_or_default();
        let iri = format!("urn:consent-capture:notice:{hash}");
        if !notices.iter().any(|n| n["@id"] == iri.as_str()) {
            notices.push(json!({
                "@id": iri,
                "@type": "dpv:ConsentNotice",
                "dct:identifier": hash,
                "dct:hasVersion": extension["noticeRevision"],
                "dct:language": link.receipt["language"],
                "dct:source": policy,
            }));
        }
    }
    let evidence: Vec<Value> = chain
        .iter()
        .map(|link| {
            json!({
                "@id": format!("urn:uuid:{}", link.record.receipt_id),
                "@type": "dpv:ConsentReceipt",
                "dct:identifier": link.record.receipt_id,
                "dct:conformsTo": "https://kantarainitiative.org/confluence/display/infosharing/Consent+Receipt+Specification",
                "dct:format": "application/jose (JWS, RFC 7515) of a Kantara Consent Receipt v1.1",
                "dct:created": iso8601(link.receipt["consentTimestamp"].as_i64().unwrap_or_default()),
                "rdf:value": link.record.receipt,
            })
        })
        .collect();
    json!({
        "@id": record_iri,
        "@type": "dpv:ConsentRecord",
        "dct:identifier": id,
        "dct:conformsTo": PROFILE,
        "dct:created": iso8601(first.record.received_at),
        "dct:modified": iso8601(last.record.received_at),
        "dpv:hasDataSubject": {
            "@id": format!("urn:consent-capture:principal:{principal_id}"),
            "@type": "dpv:DataSubject",
            "dct:identifier": principal_id,
        },
        "dpv:hasDataController": controller_node,
        "dpv:hasJurisdiction": jurisdiction,
        "dpv:hasNotice": notices,
        "dct:language": last.receipt["language"],
        "dpv:hasProcess": processes(&record_iri, &controller_node, chain, &jurisdiction),
        "dpv:hasEntity": controller_entity(&controller_node, controller),
        "dpv:hasConsentControl": {
            "@type": "dpv:WithdrawConsent",
            "dct:description": format!(
                "With the withdraw buttons of the receipt the form shows, or by writing to {}",
                controller["email"].as_str().unwrap_or_default()
            ),
            "dpv:isExercisedAt": policy,
        },
        "dpv:hasRight": {
            "@type": "dpv:DataSubjectRight",
            "dct:title": "The rights of the data subject, including to withdraw consent at any time",
            "dpv:isExercisedAt": policy,
        },
        "dct:source": evidence,
    })
}

/// One `dpv:Process` per purpose the chain's receipts name, described as the latest of them does, with every
/// decision about it as an event.
fn processes(record_iri: &str, controller_node: &str, chain: &[Link<'_>], jurisdiction: &str) -> Vec<Value> {
    let mut processes: Vec<(String, Value, Vec<Value>)> = Vec::new();
    for link in chain {
        let receipt = &link.receipt;
        // A receipt lists the special categories of every sensitive purpose (`spiCat`): a purpose that
        // processes one of them rests on explicit consent (GDPR Art. 9(2)(a)).
        let special = receipt["spiCat"].as_array().cloned().unwrap_or_default();
        let purposes = receipt["services"][0]["purposes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let decisions = receipt[EXTENSION_KEY]["decisions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for purpose in &purposes {
            let id = purpose["purposeId"].as_str().unwrap_or_default().to_owned();
            let decision = decisions.iter().find(|d| d["purpose"] == id.as_str());
            let basis = decision
                .and_then(|d| d["legalBasis"].as_str())
                .unwrap_or("consent");
            let sensitive = purpose["piiCategory"]
                .as_array()
                .is_some_and(|categories| categories.iter().any(|c| special.contains(c)));
            let described = Described {
                record_iri,
                controller_node,
                jurisdiction,
                language: &receipt["language"],
            }
            .process(purpose, basis, sensitive);
            let event = decision.and_then(|d| consent_event(d, purpose, link));
            match processes.iter_mut().find(|(held, _, _)| *held == id) {
                Some((_, held, events)) => {
                    *held = described;
                    events.extend(event);
                }
                None => processes.push((id, described, event.into_iter().collect())),
            }
        }
    }
    processes
        .into_iter()
        .map(|(_, mut process, events)| {
            if !events.is_empty() {
                process["dpv:hasConsentStatus"] = Value::Array(events);
            }
            process
        })
        .collect()
}

/// What every process of a record shares.
struct Described<'a> {
    record_iri: &'a str,
    controller_node: &'a str,
    jurisdiction: &'a str,
    language: &'a Value,
}

impl Described<'_> {
    fn process(&self, purpose: &Value, basis: &str, sensitive: bool) -> Value {
        let Self {
            record_iri,
            controller_node,
            jurisdiction,
            language,
        } = self;
        let id = purpose["purposeId"].as_str().unwrap_or_default();
        let legal_basis = match basis {
            "consent" if sensitive => "dpv:ExplicitlyExpressedConsent",
            "consent" => "dpv:ExpressedConsent",
            "contract" => "dpv:Contract",
            "legal-obligation" => "dpv:LegalObligation",
            "vital-interest" => "dpv:VitalInterest",
            "public-task" => "dpv:PublicInterest",
            _ => "dpv:LegitimateInterest",
        };
        let personal_data: Vec<Value> = purpose["piiCategory"]
            .as_array()
            .map(|categories| {
                categories
                    .iter()
                    .filter_map(Value::as_str)
                    .map(personal_data)
                    .collect()
            })
            .unwrap_or_default();
        let mut recipients = vec![json!(controller_node)];
        if let Some(names) = purpose["thirdPartyName"].as_str() {
            recipients.extend(
                names
                    .split(", ")
                    .map(|name| json!({ "@type": ["dpv:ThirdParty", "dpv:Recipient"], "dpv:hasName": name })),
            );
        }
        json!({
            "@id": format!("{record_iri}#{id}"),
            "@type": "dpv:Process",
            "dct:identifier": id,
            "dpv:hasPurpose": {
                "@type": "dpv:Purpose",
                "dct:identifier": id,
                "dct:title": purpose["purpose"],
                "dct:subject": purpose["purposeCategory"],
            },
            "dpv:hasLegalBasis": legal_basis,
            "dpv:hasPersonalData": personal_data,
            "dpv:hasDataController": controller_node,
            "dpv:hasRecipient": recipients,
            "dpv:hasStorageCondition": [
                {
                    "@type": "dpv:StorageLocation",
                    "dpv:hasJurisdiction": jurisdiction,
                },
                {
                    "@type": "dpv:StorageDuration",
                    "dpv:hasDuration": { "@type": "dpv:UntilEventDuration", "rdf:value": purpose["termination"] },
                },
            ],
            "dct:language": language,
        })
    }
}

/// DPV's concept for a Kantara PII category, by its number (Kantara's labels drift), or the label itself.
fn personal_data(category: &str) -> Value {
    let number = category.split(' ').next().unwrap_or_default();
    let concept = match number {
        "2" => Some("pd:Contact"),
        "3" => Some("pd:Biometric"),
        "4" => Some("pd:Communication"),
        "6" => Some("pd:Health"),
        "7" => Some("pd:Financial"),
        "8" => Some("pd:OfficialID"),
        "11" => Some("pd:Ownership"),
        "12" => Some("pd:Professional"),
        "13" => Some("pd:Attitude"),
        "15" => Some("pd:Behavioural"),
        _ => None,
    };
    match concept {
        Some(concept) => json!({ "@type": ["dpv:PersonalData", concept], "dct:title": category }),
        None => json!({ "@type": "dpv:PersonalData", "dct:title": category }),
    }
}

/// The event a decision is, for a consent purpose; none for another legal basis.
fn consent_event(decision: &Value, purpose: &Value, link: &Link<'_>) -> Option<Value> {
    let status = match decision["decision"].as_str()? {
        "granted" => "dpv:ConsentGiven",
        "denied" => "dpv:ConsentRefused",
        "withdrawn" => "dpv:ConsentWithdrawn",
        _ => return None,
    };
    let until = format!(
        "Until withdrawn, and at most: {}",
        purpose["termination"].as_str().unwrap_or_default()
    );
    Some(json!({
        "@type": status,
        "dpv:isIndicatedAtTime": iso8601(link.receipt["consentTimestamp"].as_i64()?),
        "dpv:isIndicatedBy": "dpv:DataSubject",
        "dpv:hasIndicationMethod": link.receipt["collectionMethod"],
        "dpv:hasDuration": { "@type": "dpv:UntilEventDuration", "rdf:value": until },
        "dct:source": format!("urn:uuid:{}", link.record.receipt_id),
    }))
}

fn controller_entity(node: &str, controller: &Value) -> Value {
    let mut address = Map::new();
    address.insert("@type".into(), json!("schema:PostalAddress"));
    if let Some(parts) = controller["address"].as_object() {
        for (key, value) in parts {
            address.insert(format!("schema:{key}"), value.clone());
        }
    }
    let mut contact = json!({
        "@type": "schema:ContactPoint",
        "schema:name": controller["contact"],
        "schema:email": controller["email"],
        "schema:telephone": controller["phone"],
    });
    if let Some(url) = controller["piiControllerUrl"].as_str() {
        contact["schema:url"] = json!(url);
    }
    json!({
        "@id": node,
        "@type": ["dpv:Organisation", "dpv:DataController"],
        "dpv:hasName": controller["piiController"],
        "dpv:hasIdentifier": controller["piiController"],
        "schema:contactPoint": contact,
        "schema:address": address,
    })
}
