//! What each fuzz target checks, shared by the targets (`fuzz/fuzz_targets/`) and by the regression test that
//! replays every input a fuzzer found (`tests/fuzz_regressions.rs`, `fuzz/regressions/<target>/`). Any input
//! must give a value or an error, never a panic; where a property must hold (canonical JSON reads back the
//! same, a transform's output fits its shape), it is asserted. Slow inputs are findings too: libFuzzer's
//! `-timeout` and the regression test's time limit catch them.

use consent_capture::destination::{
    shape, Destination, Encoding, Evidence as DestinationEvidence, NoticeFacts, SHIPPED,
};
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::jws::parse_compact;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{parse, Object, Value};
use consent_capture::minimise::date::Date;
use consent_capture::minimise::transform::Context;
use consent_capture::notice::rules::Transform;
use consent_capture::notice::signature::notice_hash;
use consent_capture::notice::FieldType;
use consent_capture::receipt::acknowledgement::inspect_acknowledgement;
use consent_capture::receipt::body_sha256;
use consent_capture::receipt::check::{check_against_notice, inspect, principal};
use consent_capture::receipt::last::LastReceipt;
use consent_capture::receipt::verify::{
    verify_acknowledgement, verify_jws, verify_notice_signature, verify_receipt, Expectations,
};
use consent_capture::{minimise, Decisions, Notice};
use std::sync::OnceLock;

const DEMO_NOTICE: &str = include_str!("../../www/demo/notice.json");
const DEMO_CONTROLLER: &str = include_str!("../../tools/demo-controller.jwk");
/// A day inside the notice's rules (age bands count from it).
const TODAY: i64 = 1_800_000_000;

fn demo_notice() -> &'static Notice {
    static NOTICE: OnceLock<Notice> = OnceLock::new();
    NOTICE.get_or_init(|| Notice::from_json(DEMO_NOTICE).expect("the demo notice is valid"))
}

fn demo_controller() -> &'static PublicJwk {
    static KEY: OnceLock<PublicJwk> = OnceLock::new();
    KEY.get_or_init(|| {
        let jwk = parse(DEMO_CONTROLLER).expect("JSON");
        PrivateKey::from_jwk(&jwk)
            .expect("the demo controller key")
            .public()
    })
}

fn text(input: &[u8]) -> Option<&str> {
    std::str::from_utf8(input).ok()
}

/// The JSON parser every entry point reads with: a value's canonical form (RFC 8785) parses back to a value
/// with the same canonical form.
pub fn json(input: &[u8]) {
    let Some(text) = text(input) else { return };
    if let Ok(value) = parse(text) {
        let canonical = to_canonical_string(&value);
        let again = parse(&canonical).expect("canonical JSON parses");
        assert_eq!(to_canonical_string(&again), canonical, "canonical form is stable");
    }
}

/// The notice reader, then what a valid notice is used for: its hash, its texts, minimisation of every field
/// and the request of every shipped destination it configures.
pub fn notice(input: &[u8]) {
    let Some(text) = text(input) else { return };
    let Ok(notice) = Notice::from_json(text) else {
        return;
    };
    let _ = notice_hash(&notice);
    let language = notice.pick_language(&["en"]).to_owned();
    let submitted: Vec<(String, String)> = notice
        .fields
        .iter()
        .map(|field| {
            (
                field.name.clone(),
                "Ada Lovelace <ada@example.com> 1815-12-10 SW1A 1AA".into(),
            )
        })
        .collect();
    let mut decisions = Decisions::initial(&notice);
    for purpose in &notice.purposes {
        let _ = decisions.set(&purpose.id, true);
    }
    let minimised = minimise(&notice, &decisions, &submitted, Date::of_unix_seconds(TODAY));
    destinations(&notice, &decisions, &minimised.payload, &language);
}

/// Every shipped destination the notice configures, shaping `payload`.
fn destinations(notice: &Notice, decisions: &Decisions, payload: &Object, language: &str) {
    let facts = NoticeFacts::read(&notice.source);
    for (_, description) in SHIPPED {
        // A notice without a destination's settings cannot be read with it: that is an error, not a finding.
        if let Ok(destination) = Destination::bind(description, &facts, Some("https://crm.example/")) {
            shaped_by(&destination, notice, decisions, payload, language);
        }
    }
}

/// What `destination` sends for `payload`: its JSON bodies parse, its form bodies are one line of pairs.
fn shaped_by(
    destination: &Destination,
    notice: &Notice,
    decisions: &Decisions,
    payload: &Object,
    language: &str,
) {
    let evidence = DestinationEvidence {
        receipt: "e30.e30.e30",
        receipt_id: "00000000-0000-4000-8000-000000000000",
        principal: "jwk-thumbprint:x",
        language,
        page_uri: "https://example.com/contact",
        page_name: "Contact",
        consent_time: TODAY,
        relayed: true,
        // The input's text stands for a contact too: a withdrawal's or an erasure's request names it.
        contact: language,
    };
    let secret = |name: &str| Some(format!("secret-{name}"));
    let facts = NoticeFacts::read(&notice.source);
    let decided = decisions.to_json(notice);
    let calls = [
        Ok(&destination.submit),
        destination.withdrawal.call(),
        destination.erasure.call(),
    ];
    for call in calls.into_iter().flatten() {
        let Some(shaped) = shape(call, &facts, &decided, payload, evidence, &secret) else {
            continue;
        };
        match call.encoding {
            Encoding::Json => {
                parse(&shaped.body).expect("a destination's JSON body parses");
            }
            Encoding::Form => assert!(
                !shaped.body.contains(['\n', ' ', '#']),
                "a form body is one encoded line: {}",
                shaped.body
            ),
        }
    }
}

/// A destination description from the input, read against the demo notice: problems come back as errors with
/// their places, never a panic; one that reads is then shaped for a submission of the demo form.
pub fn destination(input: &[u8]) {
    let Some(text) = text(input) else { return };
    let notice = demo_notice();
    let Ok(destination) = Destination::bind(text, &NoticeFacts::read(&notice.source), None) else {
        return;
    };
    let mut decisions = Decisions::initial(notice);
    let _ = decisions.set("newsletter", text.len() % 2 == 0);
    let typed = [
        ("name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("company", "Engines & Co"),
    ];
    let submitted: Vec<(String, String)> = typed
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let minimised = minimise(notice, &decisions, &submitted, Date::of_unix_seconds(TODAY));
    shaped_by(&destination, notice, &decisions, &minimised.payload, "en");
}

/// Receipt verification as the CLI, the browser verifier and the receiver do it: strict inspection, the
/// signature, the demo notice, the last-receipt reader and the principal.
pub fn receipt(input: &[u8]) {
    let Some(text) = text(input) else { return };
    let _ = LastReceipt::from_jws(text);
    if let Ok((_, claims)) = inspect(text) {
        let _ = principal(&claims);
        let _ = check_against_notice(&claims, demo_notice());
    }
    let _ = verify_receipt(text, Expectations::default());
    let expect = Expectations {
        notice: Some(demo_notice()),
        controller_key: Some(demo_controller()),
        previous: None,
    };
    let _ = verify_receipt(text, expect);
}

/// Every other JWS the component reads: any compact JWS, a notice signature, a controller's acknowledgement
/// (of itself as the receipt, and of a fixed one), an access challenge. The input may hold two JWSs, one per
/// line: the second is the receipt the first acknowledges.
pub fn jws(input: &[u8]) {
    let Some(text) = text(input) else { return };
    let (first, second) = text.split_once('\n').unwrap_or((text, text));
    let _ = parse_compact(first);
    let _ = verify_jws(first, None);
    let _ = verify_jws(first, Some(demo_controller()));
    let _ = verify_notice_signature(first, demo_controller());
    let _ = inspect_acknowledgement(first, second, None);
    let _ = inspect_acknowledgement(first, second, Some(&body_sha256(text)));
    let _ = verify_acknowledgement(first, second, None, demo_controller());
    let _ = consent_capture::receipt::access::inspect_challenge(first, &demo_controller().thumbprint());
}

/// A transform read for a field type, then applied: the first byte picks the type, the rest is the rule and
/// the value on two lines. Whatever a transform puts out must fit its own shape, since receivers refuse what
/// does not.
pub fn transform(input: &[u8]) {
    let Some((&kind, rest)) = input.split_first() else {
        return;
    };
    let Some(rest) = text(rest) else { return };
    let (rule, value) = rest.split_once('\n').unwrap_or((rest, ""));
    let field_type = FieldType::ALL[usize::from(kind) % FieldType::ALL.len()].0;
    let Ok(transform) = Transform::parse(rule, field_type) else {
        return;
    };
    let _ = transform.rule();
    let _ = transform.fits(value);
    let context = Context {
        today: Date::of_unix_seconds(TODAY),
        calling_code: "44",
    };
    if let Some(out) = transform.apply(value, context) {
        assert!(
            transform.fits(&out),
            "{} put out {out:?}, which does not fit it",
            transform.rule()
        );
    }
}

/// Minimisation and every shipped destination on the demo notice with hostile field values and names: the input is a JSON
/// object of submitted fields; every consent purpose is granted or not by the object's size.
pub fn adapter(input: &[u8]) {
    let Some(text) = text(input) else { return };
    let Ok(Value::Object(fields)) = parse(text) else {
        return;
    };
    let notice = demo_notice();
    let submitted: Vec<(String, String)> = fields
        .iter()
        .map(|(name, value)| {
            (
                name.to_owned(),
                value
                    .as_str()
                    .map_or_else(|| to_canonical_string(value), str::to_owned),
            )
        })
        .collect();
    let mut decisions = Decisions::initial(notice);
    for (n, purpose) in notice.purposes.iter().enumerate() {
        let _ = decisions.set(&purpose.id, (fields.len() >> n) & 1 == 1);
    }
    let minimised = minimise(notice, &decisions, &submitted, Date::of_unix_seconds(TODAY));
    let _ = minimised.manifest.to_json();
    destinations(notice, &decisions, &minimised.payload, "en");
    destinations(notice, &decisions, &fields, "de");
}
