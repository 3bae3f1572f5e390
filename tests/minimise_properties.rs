//! Properties of minimisation over generated notices, decisions and submissions (a seeded generator, so a
//! failure names the case that reproduces it): no value of a field whose purposes were all refused reaches
//! any payload or any destination's request body, undeclared names never leave, and every transform and
//! destination is deterministic.

use consent_capture::destination::{shape, shipped, Destination, Evidence, NoticeFacts};
use consent_capture::minimise::date::Date;
use consent_capture::{minimise, Decisions, LegalBasis, Notice, Outcome};

const CASES: u64 = 1500;
const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 22,
};

/// xorshift64*: small, seeded, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const BASES: [&str; 4] = ["consent", "contract", "legitimate-interest", "legal-obligation"];

/// Field types with the transforms that suit them, and a value of that type whose token (`{t}`) is unique.
const KINDS: [(&str, &[&str], &str); 7] = [
    (
        "text",
        &[
            "keep",
            "sha256:name",
            "sha256:plain",
            "truncate:5",
            "mask:3",
            "drop",
        ],
        "Name {t}",
    ),
    (
        "email",
        &["keep", "sha256:email", "truncate:4", "drop"],
        "{t}@Example.com",
    ),
    ("tel", &["keep", "sha256:phone", "mask:2"], "+44 20 {t}"),
    ("date", &["keep", "year", "age-band"], "1984-02-29"),
    (
        "postcode",
        &["keep", "postcode-prefix:2", "postcode-outward"],
        "SW1A 1AA",
    ),
    (
        "textarea",
        &["keep", "truncate:7", "sha256:plain"],
        "Long {t} text",
    ),
    (
        "hidden",
        &["keep", "ip-truncate", "sha256:plain"],
        "203.0.113.{t}",
    ),
];

struct Case {
    notice: Notice,
    decisions: Decisions,
    submitted: Vec<(String, String)>,
}

fn generate(rng: &mut Rng, case: u64) -> Case {
    let purpose_count = 1 + rng.below(4);
    let purposes: Vec<(String, &str)> = (0..purpose_count)
        .map(|i| (format!("p{i}"), *rng.pick(&BASES)))
        .collect();
    let field_count = 1 + rng.below(8);
    let mut fields = Vec::new();
    let mut submitted = Vec::new();
    for i in 0..field_count {
        let (kind, transforms, example) = *rng.pick(&KINDS);
        let transform = rng.pick(transforms);
        let mut own: Vec<&str> = purposes
            .iter()
            .filter(|_| rng.below(2) == 0)
            .map(|(id, _)| id.as_str())
            .collect();
        if own.is_empty() {
            own.push(&purposes[rng.below(purposes.len())].0);
        }
        let name = format!("field{case}x{i}");
        let list: Vec<String> = own.iter().map(|id| format!("\"{id}\"")).collect();
        fields.push(format!(
            r#"{{"name": "{name}", "type": "{kind}", "transform": "{transform}", "purposes": [{}], "label": {{"en": "L"}}}}"#,
            list.join(", ")
        ));
        // A token unlike any other value: the hidden IP's last octet stays a number.
        let token = if kind == "hidden" {
            (i + 1).to_string()
        } else {
            format!("Zq{case}v{i}")
        };
        submitted.push((name, example.replace("{t}", &token)));
    }
    submitted.push((format!("undeclared{case}"), format!("Secret{case}")));
    let purpose_json: Vec<String> = purposes
        .iter()
        .map(|(id, basis)| {
            format!(
                r#"{{"id": "{id}", "legalBasis": "{basis}", "name": {{"en": "N"}}, "description": {{"en": "D"}}, "purposeCategory": ["1"], "piiCategory": ["1"], "termination": {{"en": "T"}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"revision": "r{case}", "jurisdiction": "GB", "policyUrl": "https://example.com/p", "languages": ["en"],
        "controller": {{"name": "C", "contact": "D", "address": {{"addressCountry": "GB"}}, "email": "c@example.com", "phone": "+44 1"}},
        "purposes": [{}], "fields": [{}]}}"#,
        purpose_json.join(", "),
        fields.join(", ")
    );
    let notice = Notice::from_json(&text).unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
    let mut decisions = Decisions::initial(&notice);
    for (id, basis) in &purposes {
        if *basis == "consent" && rng.below(2) == 0 {
            decisions.set(id, true).expect("a consent purpose");
        }
    }
    Case {
        notice,
        decisions,
        submitted,
    }
}

fn bodies(case: &Case, payload: &consent_capture::json::Object) -> Vec<String> {
    let evidence = Evidence {
        receipt: "r.r.r",
        receipt_id: "id",
        principal: "jwk-thumbprint:x",
        language: "en",
        page_uri: "https://example.com/",
        page_name: "P",
        consent_time: 1_795_000_000,
        relayed: false,
        contact: "",
    };
    let facts = NoticeFacts::read(&case.notice.source);
    let decisions = case.decisions.to_json(&case.notice);
    ["json", "hubspot"]
        .into_iter()
        .map(|name| {
            let description = shipped(name).expect("shipped");
            let destination = Destination::bind(description, &facts, Some("https://crm.example/"))
                .expect("needs no settings");
            shape(
                &destination.submit,
                &facts,
                &decisions,
                payload,
                evidence,
                &|_| None,
            )
            .expect("a request")
            .body
        })
        .collect()
}

#[test]
fn nothing_of_a_field_without_a_justifying_purpose_leaves() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut refused_fields = 0;
    for case_number in 0..CASES {
        let case = generate(&mut rng, case_number);
        let minimised = minimise(&case.notice, &case.decisions, &case.submitted, TODAY);
        let sent = bodies(&case, &minimised.payload);
        for field in &case.notice.fields {
            let justified = field.purposes.iter().any(|id| {
                let basis = case.notice.purpose(id).expect("declared").legal_basis;
                basis != LegalBasis::Consent || case.decisions.get(id).justifies()
            });
            if justified {
                continue;
            }
            refused_fields += 1;
            let (_, value) = case
                .submitted
                .iter()
                .find(|(name, _)| *name == field.name)
                .expect("submitted");
            assert!(
                !matches!(
                    minimised.manifest.outcome(&field.name),
                    Some(Outcome::Kept | Outcome::Transformed(_))
                ),
                "case {case_number}: {} was sent",
                field.name
            );
            assert!(minimised.payload.get(&field.name).is_none(), "case {case_number}");
            for body in &sent {
                assert!(
                    !body.contains(&field.name),
                    "case {case_number}: {} in {body}",
                    field.name
                );
                // Dates and postcodes repeat across fields; their names (checked above) stand for them.
                let token = value
                    .split([' ', '@'])
                    .find(|w| w.starts_with("Zq"))
                    .or(value.starts_with("203.").then_some(value.as_str()));
                if let Some(token) = token {
                    assert!(
                        !body.contains(token),
                        "case {case_number}: a value of {} in {body}",
                        field.name
                    );
                }
            }
        }
        for body in &sent {
            assert!(
                !body.contains(&format!("Secret{case_number}")),
                "case {case_number}: undeclared value sent"
            );
            assert!(
                !body.contains(&format!("undeclared{case_number}")),
                "case {case_number}"
            );
        }
    }
    assert!(
        refused_fields > 500,
        "the generator must exercise refusals ({refused_fields})"
    );
}

#[test]
fn minimisation_transforms_and_destinations_are_deterministic() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let mut transformed = 0;
    for case_number in 0..CASES {
        let case = generate(&mut rng, case_number);
        let first = minimise(&case.notice, &case.decisions, &case.submitted, TODAY);
        let second = minimise(&case.notice, &case.decisions, &case.submitted, TODAY);
        assert_eq!(first, second, "case {case_number}");
        assert_eq!(
            bodies(&case, &first.payload),
            bodies(&case, &second.payload),
            "case {case_number}"
        );
        transformed += first
            .manifest
            .iter()
            .filter(|(_, outcome)| matches!(outcome, Outcome::Transformed(_)))
            .count();
    }
    assert!(
        transformed > 500,
        "the generator must exercise transforms ({transformed})"
    );
}
