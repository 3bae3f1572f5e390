//! `consent-capture`: verify receipts, check, sign and render notices, make controller keys. Native only.

use consent_capture::form::drawn::{markup, InlineCss, Placement, Stylesheet};
use consent_capture::form::Form;
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::jws::signing_input;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::{parse, Value};
use consent_capture::minimise::date::format_utc;
use consent_capture::notice::signature::{notice_hash, payload, TYP};
use consent_capture::receipt::check::Principal;
use consent_capture::receipt::kantara::EXTENSION_KEY;
use consent_capture::receipt::receipt_hash;
use consent_capture::receipt::verify::{
    verify_acknowledgement, verify_receipt, Expectations, VerifiedReceipt,
};
use consent_capture::{Decisions, Notice};
use std::io::Write as _;
use std::process::ExitCode;

const USAGE: &str = "usage:
  consent-capture verify RECEIPT.jws [--controller-key PUBLIC.jwk] [--notice NOTICE.json] [--previous RECEIPT.jws]
                         [--acknowledgement ACKNOWLEDGEMENT.jws (with --controller-key) [--body BODY.json]]
  consent-capture check NOTICE.json
  consent-capture sign-notice NOTICE.json --key PRIVATE.jwk
  consent-capture render NOTICE.json --notice-url URL
                         (--inline-stylesheet CONSENT-CAPTURE.css | --stylesheet URL [--stylesheet-integrity SRI])
                         [--lang TAG] [--for FORM-ID]
  consent-capture keygen
  consent-capture public-key PRIVATE.jwk
  consent-capture audit --database sqlite:PATH|postgres://… --controller PUBLIC.jwk [--head HEAD.jws …]
  consent-capture records state|history|may-use|export|erase … --database sqlite:PATH|postgres://…

verify exits 0 for a valid receipt, 1 for an invalid one (with the reason), 2 for a usage error. It says
what each statement of the receipt is bound to: without --controller-key and --notice, the controller, the
notice and the decisions are only what the device that signed it wrote. With --acknowledgement it also
checks the controller's acknowledgement of the receipt: its signature, that it names this receipt (its hash
and id), times that fit it, and the inclusion proof of its record in the log head it signs; with --body,
that it names the SHA-256 of the body that was sent (as posted, byte for byte).
check exits 0 for a valid notice (with what it declares and its hash, which receipts name), 1 for an invalid
one with every problem: where it is, what is wrong and what was found there (the element in the browser says
where and what, to keep every page small).
sign-notice prints the notice signature (a compact JWS) for the element's notice-signature attribute.
render prints the form, rendered from the notice ahead of time, to paste where the form goes: the element
with the form in a declarative shadow root, which browsers draw while they parse the page (--notice-url is
the notice's address for the element). --inline-stylesheet puts the element's consent-capture.css in the
form, so that nothing more is fetched before it shows, and prints on stderr the style-src hash a
Content-Security-Policy allows it by; or --stylesheet links to where it is served, with
--stylesheet-integrity its Subresource Integrity value (make dist prints it, and the element's module checks
it too), so that whoever serves it cannot restyle the form. With
--for, enhance mode: the purpose choices, to paste before the submit button of <form id=FORM-ID>, then the
element. Render again whenever the notice or this program changes: the element keeps what a person did in the
form only when it was drawn from the notice it loads.
keygen prints a new private Ed25519 controller key (JWK) and, on stderr, its thumbprint.
public-key prints the public part of a private JWK, for verify --controller-key and for publishing.
audit checks a receiver's database against the controller's signatures; records reads and exports what it
holds about people, and erases their payloads. Both run consent-capture-receiver audit or records (beside this
command, in the server profile's folder beside its own as cargo builds them, or on the PATH), which carries the
database drivers this command does without.";

/// `audit` and `records`, as `git` and `cargo` run their external commands: the receiver's binary does it (its
/// exit status is this one's), so that this command carries no database driver. It is looked for beside this
/// one, then where the README's build puts it (`target/server/` beside `target/release/`), then on the PATH.
fn receiver_command(command: &str, args: &[String]) -> ExitCode {
    let found = std::env::current_exe().ok().and_then(|exe| {
        let folder = exe.parent()?;
        [folder.to_path_buf(), folder.parent()?.join("server")]
            .into_iter()
            .map(|folder| folder.join("consent-capture-receiver"))
            .find(|path| path.is_file())
    });
    let receiver = found.unwrap_or_else(|| "consent-capture-receiver".into());
    match std::process::Command::new(&receiver)
        .arg(command)
        .args(args)
        .status()
    {
        Ok(status) => ExitCode::from(status.code().map_or(2, |code| u8::try_from(code).unwrap_or(2))),
        Err(error) => {
            eprintln!(
                "consent-capture: {command} needs consent-capture-receiver (cargo build --profile server -p \
                 consent-capture-receiver), beside this command or on the PATH: {error}"
            );
            ExitCode::from(2)
        }
    }
}

/// What went wrong: a usage problem (exit 2) or an invalid receipt or notice (exit 1).
enum Failure {
    Usage(String),
    Invalid(String),
}

/// `println!`, through [`write_out`].
macro_rules! say {
    ($($arg:tt)*) => {
        write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes `text` to standard output. A reader that went away (`consent-capture verify … | head -1`) ends the
/// program as it ends any writer to a pipe (exit 141, as after SIGPIPE), where `println!` would panic; any
/// other failure to write is said, with exit 1.
fn write_out(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("consent-capture: standard output: {error}");
        std::process::exit(1);
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("verify") => verify(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("sign-notice") => sign_notice(&args[1..]),
        Some("render") => render(&args[1..]),
        Some("keygen") if args.len() == 1 => keygen(),
        Some("public-key") if args.len() == 2 => public_key(&args[1]),
        Some(command @ ("audit" | "records")) => return receiver_command(command, &args[1..]),
        Some("--help" | "-h" | "help") => {
            say!("{USAGE}");
            Ok(())
        }
        _ => Err(Failure::Usage("unknown or missing command".into())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(reason)) => {
            say!("INVALID: {reason}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(problem)) => {
            eprintln!("consent-capture: {problem}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The positional arguments and `--name value` options of a command.
struct Args<'a> {
    positional: Vec<&'a str>,
    named: Vec<(&'a str, &'a str)>,
}

impl<'a> Args<'a> {
    fn option(&self, name: &str) -> Option<&'a str> {
        self.named.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

/// Splits `args`, allowing each of `options` at most once.
fn split<'a>(args: &'a [String], options: &[&str]) -> Result<Args<'a>, Failure> {
    let mut parsed = Args {
        positional: Vec::new(),
        named: Vec::new(),
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if let Some(name) = arg.strip_prefix("--") {
            if !options.contains(&name) || parsed.option(name).is_some() {
                return Err(Failure::Usage(format!("unexpected option --{name}")));
            }
            let value = rest
                .next()
                .ok_or_else(|| Failure::Usage(format!("--{name} needs a value")))?;
            parsed.named.push((name, value.as_str()));
        } else {
            parsed.positional.push(arg.as_str());
        }
    }
    Ok(parsed)
}

fn read(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("cannot read {path}: {e}")))
}

fn read_json(path: &str) -> Result<Value, Failure> {
    parse(&read(path)?).map_err(|e| Failure::Usage(format!("{path}: {e}")))
}

fn verify(args: &[String]) -> Result<(), Failure> {
    let args = split(
        args,
        &["controller-key", "previous", "notice", "acknowledgement", "body"],
    )?;
    let [receipt_path] = args.positional[..] else {
        return Err(Failure::Usage("verify takes one receipt".into()));
    };
    let jws = read(receipt_path)?;
    let previous = args.option("previous").map(read).transpose()?;
    let controller_key = match args.option("controller-key") {
        Some(path) => Some(
            PublicJwk::from_json(&read_json(path)?, "controller-key")
                .map_err(|e| Failure::Usage(format!("{path}: {e} (public-key prints the public part)")))?,
        ),
        None => None,
    };
    let notice = match args.option("notice") {
        Some(path) => {
            Some(Notice::from_json(&read(path)?).map_err(|e| Failure::Usage(format!("{path}:\n{e}")))?)
        }
        None => None,
    };
    let expect = Expectations {
        previous: previous.as_deref(),
        controller_key: controller_key.as_ref(),
        notice: notice.as_ref(),
    };
    let verified = verify_receipt(&jws, expect).map_err(|e| Failure::Invalid(e.to_string()))?;
    let body = args.option("body").map(read).transpose()?;
    if body.is_some() && args.option("acknowledgement").is_none() {
        return Err(Failure::Usage(
            "--body goes with --acknowledgement: it checks the body's hash the acknowledgement names".into(),
        ));
    }
    let acknowledgement = match (args.option("acknowledgement"), &controller_key) {
        (Some(path), Some(key)) => Some(
            verify_acknowledgement(&read(path)?, &jws, body.as_deref(), key)
                .map_err(|e| Failure::Invalid(format!("acknowledgement: {e}")))?,
        ),
        (Some(_), None) => {
            return Err(Failure::Usage(
                "--acknowledgement needs --controller-key: an acknowledgement counts only under the controller's key"
                    .into(),
            ))
        }
        (None, _) => None,
    };
    write_out(&summary(&verified, &jws, expect));
    if let Some(acknowledgement) = acknowledgement {
        say!(
            "  received     by the controller {} (its clock), record {} of its log: acknowledgement signed by the given \
             controller key, its record included in the log head of size {} signed {}",
            format_utc(acknowledgement.received_at),
            acknowledgement.position,
            acknowledgement.head_size,
            format_utc(acknowledgement.head_time)
        );
    }
    Ok(())
}

/// The string member `key` of an object, if there is one.
fn string_member<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.as_object().and_then(|o| o.get(key)).and_then(Value::as_str)
}

/// A plain-language account of a verified receipt that claims only what was checked: each line says what
/// binds it (the device key's signature, the controller's notice signature, the given notice).
fn summary(verified: &VerifiedReceipt, jws: &str, expect: Expectations<'_>) -> String {
    let receipt = &verified.receipt;
    let get = |path: &[&str]| {
        path.iter()
            .try_fold(receipt, |v, k| v.as_object().and_then(|o| o.get(k)))
    };
    let text = |path: &[&str]| get(path).and_then(Value::as_str).unwrap_or("-").to_owned();
    let controller = get(&["piiControllers"])
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .cloned()
        .unwrap_or(Value::Null);
    let controller_text = |k: &str| string_member(&controller, k).unwrap_or("-").to_owned();
    let words = if expect.notice.is_some() {
        "as the given notice says"
    } else {
        "the device's words: not checked against a notice (--notice)"
    };
    let mut out =
        String::from("VALID consent receipt: signed by the device key in its header, unchanged since\n");
    let issued = get(&["consentTimestamp"])
        .and_then(Value::as_i64)
        .map_or("-".into(), format_utc);
    out += &format!(
        "  receipt      {} issued {issued} (by the device's clock)\n",
        text(&["consentReceiptID"])
    );
    out += &format!("  signed by    device key {}\n", verified.key.thumbprint());
    let person = match verified.principal {
        Principal::DeviceKey => "the device key that signed it",
        Principal::SaltedEmailHash => {
            "a salted e-mail hash the device wrote: checkable only with the address"
        }
    };
    out += &format!("  person       {} ({person})\n", text(&["piiPrincipalId"]));
    out += &format!(
        "  controller   {} <{}> ({words})\n",
        controller_text("piiController"),
        controller_text("email")
    );
    out += &format!("  policy       {} ({words})\n", text(&["policyUrl"]));
    let signed = if expect.controller_key.is_some() {
        "notice hash and revision signed by the given controller key"
    } else {
        "the controller's signature not checked (--controller-key)"
    };
    out += &format!(
        "  notice       revision {}, sha256 {} ({signed})\n",
        text(&[EXTENSION_KEY, "noticeRevision"]),
        text(&[EXTENSION_KEY, "noticeSha256"])
    );
    for decision in get(&[EXTENSION_KEY, "decisions"])
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        let field = |k: &str| string_member(decision, k).unwrap_or("-");
        out += &format!(
            "  {:<12} {} ({})\n",
            field("decision"),
            field("purpose"),
            field("legalBasis")
        );
    }
    for entry in get(&[EXTENSION_KEY, "manifest"])
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        let field = |k: &str| string_member(entry, k).unwrap_or("");
        let how = match field("outcome") {
            "transformed" => format!("transformed by {}", field("rule")),
            "dropped" => format!("dropped: {}", field("reason")),
            outcome => outcome.to_owned(),
        };
        out += &format!("  field        {} {how}\n", field("field"));
    }
    match get(&[EXTENSION_KEY, "previousReceipt"]).and_then(Value::as_str) {
        Some(hash) if expect.previous.is_some() => {
            out += &format!("  follows      the given previous receipt ({hash}): ");
            out += "same device key, person and controller, not earlier\n";
        }
        Some(hash) => out += &format!("  follows      a previous receipt {hash} (not given, not checked)\n"),
        None => {}
    }
    out += &format!("  this receipt {}\n", receipt_hash(jws));
    out
}

/// Every problem of a notice, with what was found where (the browser bundle leaves that out, see
/// `Error::with_detail`); or, for a valid one, what it declares.
fn check(args: &[String]) -> Result<(), Failure> {
    let args = split(args, &[])?;
    let [notice_path] = args.positional[..] else {
        return Err(Failure::Usage("check takes one notice".into()));
    };
    let notice = Notice::from_json(&read(notice_path)?)
        .map_err(|e| Failure::Invalid(format!("{notice_path}:\n{e}")))?;
    say!(
        "VALID: {notice_path}: revision {}; languages {}; {} purposes; {} fields; noticeSha256 {}",
        notice.revision,
        notice.languages.join(", "),
        notice.purposes.len(),
        notice.fields.len(),
        notice_hash(&notice)
    );
    Ok(())
}

/// The base64 (not base64url: CSP hash sources are written in base64) SHA-256 of `text`, as a CSP hash source
/// names an inline element's text.
fn csp_hash(text: &str) -> String {
    let url_safe =
        consent_capture::jose::base64url::encode(&consent_capture::jose::sha256::sha256(text.as_bytes()));
    let mut base64: String = url_safe
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while base64.len() % 4 != 0 {
        base64.push('=');
    }
    base64
}

fn sign_notice(args: &[String]) -> Result<(), Failure> {
    let args = split(args, &["key"])?;
    let [notice_path] = args.positional[..] else {
        return Err(Failure::Usage("sign-notice takes one notice".into()));
    };
    let key_path = args
        .option("key")
        .ok_or_else(|| Failure::Usage("--key is required".into()))?;
    let notice =
        Notice::from_json(&read(notice_path)?).map_err(|e| Failure::Usage(format!("{notice_path}:\n{e}")))?;
    let key = PrivateKey::from_jwk(&read_json(key_path)?)
        .map_err(|e| Failure::Usage(format!("{key_path}: {e}")))?;
    let header = consent_capture::jose::jws::header(key.algorithm(), &key.public(), TYP);
    say!("{}", key.sign(&signing_input(&header, &payload(&notice))));
    Ok(())
}

fn render(args: &[String]) -> Result<(), Failure> {
    let args = split(
        args,
        &[
            "notice-url",
            "inline-stylesheet",
            "stylesheet",
            "stylesheet-integrity",
            "lang",
            "for",
        ],
    )?;
    let [notice_path] = args.positional[..] else {
        return Err(Failure::Usage("render takes one notice".into()));
    };
    let required = |name| {
        args.option(name)
            .ok_or_else(|| Failure::Usage(format!("--{name} is required")))
    };
    let inline_css = args.option("inline-stylesheet").map(read).transpose()?;
    let stylesheet = match (inline_css.as_deref(), args.option("stylesheet")) {
        (Some(css), None) if args.option("stylesheet-integrity").is_none() => {
            Stylesheet::Inline(InlineCss::new(css).ok_or_else(|| {
                Failure::Usage("the --inline-stylesheet contains </style, which would end its element".into())
            })?)
        }
        (None, Some(href)) => Stylesheet::Linked {
            href,
            integrity: args.option("stylesheet-integrity"),
        },
        _ => {
            return Err(Failure::Usage(
                "render takes --inline-stylesheet FILE, or --stylesheet URL [--stylesheet-integrity SRI]"
                    .into(),
            ))
        }
    };
    let placement = Placement {
        notice_url: required("notice-url")?,
        stylesheet,
        form_id: args.option("for"),
    };
    let notice =
        Notice::from_json(&read(notice_path)?).map_err(|e| Failure::Usage(format!("{notice_path}:\n{e}")))?;
    let wanted: Vec<&str> = args.option("lang").into_iter().collect();
    let language = notice.pick_language(&wanted);
    if let Some(asked) = args
        .option("lang")
        .filter(|asked| !asked.eq_ignore_ascii_case(language))
    {
        return Err(Failure::Usage(format!(
            "{notice_path} has no language {asked} (it has {})",
            notice.languages.join(", ")
        )));
    }
    // As a first visit sees it: no earlier receipt, no Global Privacy Control (the element draws the form
    // again when either changes it).
    let start = Decisions::start(&notice, None, false);
    let form = Form::build(&notice, language, &start, false);
    say!("{}", markup(&form, &notice_hash(&notice), &placement));
    if let Some(css) = inline_css {
        eprintln!("Content-Security-Policy: style-src 'sha256-{}'", csp_hash(&css));
    }
    Ok(())
}

fn public_key(path: &str) -> Result<(), Failure> {
    let key = PrivateKey::from_jwk(&read_json(path)?).map_err(|e| Failure::Usage(format!("{path}: {e}")))?;
    say!(
        "{}",
        consent_capture::json::canonical::to_canonical_string(&Value::Object(key.public().to_json()))
    );
    Ok(())
}

fn keygen() -> Result<(), Failure> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| Failure::Usage(format!("no randomness: {e}")))?;
    let key = PrivateKey::ed25519_from_seed(seed);
    say!(
        "{}",
        consent_capture::json::canonical::to_canonical_string(&Value::Object(key.to_jwk()))
    );
    eprintln!(
        "thumbprint (the element's controller-key): {}",
        key.public().thumbprint()
    );
    Ok(())
}
