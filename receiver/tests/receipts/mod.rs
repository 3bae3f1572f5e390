//! Receipts as the element makes them, built and signed natively with the component's own code: the demo
//! notice, the demo controller key, and a device key per seed; and a receiver's configuration with them. Shared by the receiver's tests and its load
//! benchmark.

use consent_capture::destination::{description_sha256, JSON};
use consent_capture::jose::jws::{header, signing_input};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{parse, Object, Value};
use consent_capture::minimise::date::Date;
use consent_capture::receipt::{fields_hash, receipt_hash, ReceiptContext, TYP};
use consent_capture::{minimise, uuid_v4, Decisions, Minimised, Notice, Receipt};
use consent_capture_receiver::config::{Config, KnownNotice, Limits};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) const DEMO_NOTICE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo/notice.json");
pub(crate) const DEMO_KEY: &str = include_str!("../../../tools/demo-controller.jwk");
pub(crate) const NOTICE_SIGNATURE: &str = include_str!("../../../www/demo/notice.jws");

pub(crate) fn controller() -> PrivateKey {
    PrivateKey::from_jwk(&parse(DEMO_KEY).expect("JSON")).expect("the demo controller key")
}

/// A receiver's configuration with the demo notice (and its signature) and the demo controller key, on
/// `database`, listening on any loopback port, with the default limits, no read token and no relay.
pub(crate) fn demo_config(database: &str) -> Config {
    let key = controller();
    let notice =
        KnownNotice::load(Path::new(DEMO_NOTICE), &key.public()).expect("the demo notice and its signature");
    assert!(notice.signature.is_some());
    Config {
        notices: vec![notice],
        key,
        log_key: None,
        witness_policy: None,
        witness_wait: consent_capture_receiver::config::WITNESS_WAIT,
        database: database.to_owned(),
        listen: ([127, 0, 0, 1], 0).into(),
        allowed_origins: Vec::new(),
        limits: Limits::default(),
        read_token: None,
        relay: None,
        public_url: None,
        confirmation: None,
        trusted_proxies: Vec::new(),
        warnings: Vec::new(),
    }
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

pub(crate) fn notice() -> Notice {
    Notice::from_json(&std::fs::read_to_string(DEMO_NOTICE).expect("the demo notice")).expect("valid")
}

/// A submission as the element's json adapter makes it: the minimised fields and the signed receipt.
#[derive(Clone)]
pub(crate) struct Made {
    pub(crate) receipt_id: String,
    pub(crate) receipt: String,
    pub(crate) body: String,
}

pub(crate) struct Draft<'a> {
    pub(crate) decisions: Decisions,
    pub(crate) issued_at: i64,
    pub(crate) previous: Option<&'a str>,
    /// Which receipt id: each number gives another.
    pub(crate) seed: u64,
    /// The language the form was shown in (a receipt's `language`).
    pub(crate) language: &'a str,
}

pub(crate) fn make(device: &PrivateKey, made: Draft<'_>) -> Made {
    make_carrying(device, made, Some(NOTICE_SIGNATURE.trim()))
}

/// What Ada types into the demo form.
pub(crate) const ADA: &[(&str, &str)] = &[
    ("name", "Ada Lovelace"),
    ("email", "ada@example.com"),
    ("company", "Engines"),
    ("topic", "sales"),
];

/// What Ada types, with `name` as her name (a long value, for the limits: the name has no `maxLength`).
pub(crate) fn ada_named(name: &str) -> [(&str, &str); 4] {
    [("name", name), ADA[1], ADA[2], ADA[3]]
}

/// [`make`], the receipt carrying `notice_signature` (the controller's, as the element passes it on, or
/// another, or none).
pub(crate) fn make_carrying(device: &PrivateKey, made: Draft<'_>, notice_signature: Option<&str>) -> Made {
    make_under(&notice(), device, made, notice_signature, ADA)
}

/// A submission under `notice`, of what the person `typed`.
pub(crate) fn make_under(
    notice: &Notice,
    device: &PrivateKey,
    made: Draft<'_>,
    notice_signature: Option<&str>,
    typed: &[(&str, &str)],
) -> Made {
    let typed: Vec<(String, String)> = typed.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    let withdrawal = made.decisions.iter().any(|(_, d)| d.name() == "withdrawn");
    let minimised = if withdrawal {
        Minimised {
            payload: Object::new(),
            manifest: Default::default(),
        }
    } else {
        minimise(
            notice,
            &made.decisions,
            &typed,
            Date::of_unix_seconds(made.issued_at),
        )
    };
    sign_submission(notice, device, made, notice_signature, minimised)
}

/// A submission of `minimised` (the fields sent and the manifest saying so) with a receipt of `made`'s
/// decisions, signed by `device`: what the element sends when the two agree, and a forgery when they do not.
pub(crate) fn sign_submission(
    notice: &Notice,
    device: &PrivateKey,
    made: Draft<'_>,
    notice_signature: Option<&str>,
    minimised: Minimised,
) -> Made {
    let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
    sign_submission_naming(notice, device, made, notice_signature, minimised, &principal)
}

/// The endpoint the tests' receipts are made for.
pub(crate) const ENDPOINT: &str = "https://receiver.example/receipts";

/// [`sign_submission`] with the person named `principal` in the receipt.
pub(crate) fn sign_submission_naming(
    notice: &Notice,
    device: &PrivateKey,
    made: Draft<'_>,
    notice_signature: Option<&str>,
    minimised: Minimised,
    principal: &str,
) -> Made {
    signed(notice, device, made, notice_signature, minimised, principal, true)
}

/// A first receipt as elements made it before receipts named their fields' hash and endpoint: still in
/// outboxes, still accepted.
pub(crate) fn unbound_first_receipt(device: &PrivateKey, seed: u64) -> Made {
    let notice = notice();
    let made = Draft {
        language: "en",
        decisions: granting(true),
        issued_at: now() - 60,
        previous: None,
        seed,
    };
    let typed: Vec<(String, String)> = ADA.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    let minimised = minimise(
        &notice,
        &made.decisions,
        &typed,
        Date::of_unix_seconds(made.issued_at),
    );
    let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
    signed(
        &notice,
        device,
        made,
        Some(NOTICE_SIGNATURE.trim()),
        minimised,
        &principal,
        false,
    )
}

/// The submission, its receipt bound to its fields and [`ENDPOINT`] as the element makes it, or not (`bound`).
fn signed(
    notice: &Notice,
    device: &PrivateKey,
    made: Draft<'_>,
    notice_signature: Option<&str>,
    minimised: Minimised,
    principal: &str,
    bound: bool,
) -> Made {
    let seed = made.seed.to_le_bytes();
    let id = uuid_v4(core::array::from_fn(|i| seed[i % 8]));
    let previous = made.previous.map(receipt_hash);
    // Bound to its fields, its endpoint and its destination (the json one), as the element makes them.
    let fields = fields_hash(&minimised.payload);
    let json_destination = description_sha256(&parse(JSON).expect("the json description"));
    let context = ReceiptContext {
        issued_at: made.issued_at,
        receipt_id: &id,
        principal_id: principal,
        language: made.language,
        gpc: false,
        notice_signature,
        previous_receipt: previous.as_deref(),
        fields_sha256: bound.then_some(fields.as_str()),
        endpoint: bound.then_some(ENDPOINT),
        destination_sha256: bound.then_some(json_destination.as_str()),
    };
    let receipt = Receipt::build(notice, &made.decisions, &minimised.manifest, context);
    let receipt = device.sign(&signing_input(
        &header(device.algorithm(), &device.public(), TYP),
        &receipt.to_canonical_string(),
    ));
    let body = to_canonical_string(&Value::Object(
        Object::new()
            .with("decisions", made.decisions.to_json(notice))
            .with("fields", minimised.payload)
            .with("receipt", receipt.as_str()),
    ));
    Made {
        receipt_id: id,
        receipt,
        body,
    }
}

/// A receipt that follows none, with the newsletter granted or not.
pub(crate) fn first_receipt(device: &PrivateKey, newsletter: bool, issued_at: i64, seed: u64) -> Made {
    make(
        device,
        Draft {
            language: "en",
            decisions: granting(newsletter),
            issued_at,
            previous: None,
            seed,
        },
    )
}

/// A first receipt numbered `n` (its receipt id) from a device of its own (its key seeded with `n`), issued
/// at `issued_at`: many of them make a load in which none follows another.
pub(crate) fn from_own_device(n: u64, issued_at: i64) -> Made {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&n.to_le_bytes());
    first_receipt(&PrivateKey::ed25519_from_seed(seed), n % 2 == 0, issued_at, n)
}

/// A receipt from `device` that withdraws the newsletter granted in `previous`, and names it.
pub(crate) fn withdrawing_newsletter(
    device: &PrivateKey,
    previous: &Made,
    issued_at: i64,
    seed: u64,
) -> Made {
    let mut decisions = granting(true);
    decisions.withdraw("newsletter").expect("granted");
    make(
        device,
        Draft {
            language: "en",
            decisions,
            issued_at,
            previous: Some(&previous.receipt),
            seed,
        },
    )
}

pub(crate) fn granting(newsletter: bool) -> Decisions {
    let mut decisions = Decisions::initial(&notice());
    decisions.set("newsletter", newsletter).expect("consent purpose");
    decisions
}
