//! The browser binding: the only module that names wasm-bindgen. It is deliberately thin: JSON text in and
//! out, randomness and time passed in, no DOM. `www/consent-capture.js` renders what [`Consent::form`]
//! describes with `textContent`, and signs what [`Consent::submit`] builds with WebCrypto; keeping the DOM
//! and crypto on the JavaScript side keeps web-sys glue and curve arithmetic out of every page.

use crate::adapter::{request, Adapter, AdapterProblem, Evidence};
use crate::canonical::to_canonical_string;
use crate::consent::Stored;
use crate::consent_mode::consent_mode_update;
use crate::date::Date;
use crate::error::{Error, ErrorKind};
use crate::form::Form;
use crate::json::{parse, Object, Value};
use crate::jwk::PublicJwk;
use crate::jws::{Algorithm, Compact};
use crate::minimise::Manifest;
use crate::receipt::{principal_id, receipt_hash, ReceiptContext};
use crate::receipt_view::ReceiptView;
use crate::strings::Ui;
use crate::validate::check;
use crate::{base64url, minimise, notice_signature, receipt, uuid_v4, Decisions, Notice, Receipt};
use lol_alloc::{FreeListAllocator, LockedAllocator};
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOCATOR: LockedAllocator<FreeListAllocator> = LockedAllocator::new(FreeListAllocator::new());

fn to_js(error: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&error.to_string())
}

fn json_text(value: impl Into<Value>) -> String {
    to_canonical_string(&value.into())
}

/// One notice shown in one element: the form to render, and every submission and withdrawal made on it.
#[wasm_bindgen]
pub struct Consent {
    notice: Notice,
    language: String,
    gpc: bool,
    device_key: PublicJwk,
    notice_signature: Option<String>,
    last_receipt: Option<String>,
    form: String,
    adapter: Option<Adapter>,
    pending: Option<Pending>,
}

struct Pending {
    decisions: Decisions,
    receipt_id: String,
    issued_at: i64,
    /// What may be sent; `None` for a withdrawal, which carries no data.
    payload: Option<Object>,
}

fn member<'a>(options: &'a Object, key: &str) -> Option<&'a Value> {
    options.get(key).filter(|v| **v != Value::Null)
}

#[wasm_bindgen]
impl Consent {
    /// Validates `notice_json` and prepares its form. `options_json`: `{"languages": ["de", …], "gpc": bool,
    /// "stored": "<last choices>", "deviceKey": <public JWK>, "previousReceipt": "<jws>",
    /// "noticeSignature": {"jws": "…", "controllerKey": "<thumbprint>"}, "adapter": "json" | "hubspot" |
    /// "salesforce"}`.
    ///
    /// # Errors
    /// Every problem of an invalid notice, one per line with its JSON path; malformed options; a notice
    /// signature that does not bind this notice to the pinned controller key; an unknown adapter, or one the
    /// notice has no settings for.
    #[wasm_bindgen(constructor)]
    pub fn new(notice_json: &str, options_json: &str) -> Result<Consent, JsValue> {
        let notice = Notice::from_json(notice_json).map_err(to_js)?;
        let options = parse(options_json).map_err(to_js)?;
        let options = options
            .as_object()
            .ok_or_else(|| to_js(Error::new(ErrorKind::WrongType, "options")))?;
        let wanted: Vec<&str> = member(options, "languages")
            .and_then(Value::as_array)
            .unwrap_or(&[])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let gpc = member(options, "gpc").and_then(Value::as_bool).unwrap_or(false);
        let device = member(options, "deviceKey")
            .ok_or_else(|| to_js(Error::new(ErrorKind::Missing, "options.deviceKey")))?;
        let device_key = PublicJwk::from_json(device, "options.deviceKey").map_err(to_js)?;
        let notice_signature = match member(options, "noticeSignature").and_then(Value::as_object) {
            Some(signed) => {
                let jws = signed.get("jws").and_then(Value::as_str).unwrap_or_default();
                let pin = signed
                    .get("controllerKey")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                notice_signature::check_binding(jws, &notice, pin)
                    .map_err(|e| to_js(format!("notice signature: {e}")))?;
                Some(jws.trim().to_owned())
            }
            None => None,
        };
        let stored = member(options, "stored")
            .and_then(Value::as_str)
            .and_then(Stored::from_json);
        let adapter = match member(options, "adapter").and_then(Value::as_str) {
            None => None,
            Some(name) => {
                let adapter = Adapter::from_name(name)
                    .ok_or_else(|| to_js(Error::new(ErrorKind::NotAllowed, "adapter").with_detail(name)))?;
                if adapter == Adapter::Salesforce && notice.crm.salesforce.is_none() {
                    return Err(to_js(adapter_problem(AdapterProblem::SalesforceNotConfigured)));
                }
                Some(adapter)
            }
        };
        let language = notice.pick_language(&wanted).to_owned();
        let start = Decisions::start(&notice, stored.as_ref(), gpc);
        let form = json_text(Form::build(&notice, &language, &start, gpc).to_json());
        let last_receipt = member(options, "previousReceipt")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(Self {
            notice,
            language,
            gpc,
            device_key,
            notice_signature,
            last_receipt,
            form,
            adapter,
            pending: None,
        })
    }

    /// What to render, as JSON (see `form::Form::to_json`).
    pub fn form(&self) -> String {
        self.form.clone()
    }

    /// The names of the fields the notice declares, as a JSON array (enhance mode warns about the others).
    pub fn declared_fields(&self) -> String {
        json_text(Value::Array(
            self.notice
                .fields
                .iter()
                .map(|f| f.name.as_str().into())
                .collect(),
        ))
    }

    /// Checks typed values (`[[name, value], …]`): `{"errors": {name: message}, "summary": text or null}`.
    ///
    /// # Errors
    /// Malformed values.
    pub fn check(&self, values_json: &str) -> Result<String, JsValue> {
        let values = pairs(values_json)?;
        let mut errors = Object::new();
        for field in &self.notice.fields {
            let value = values
                .iter()
                .find(|(name, _)| *name == field.name)
                .map_or("", |(_, v)| v.as_str());
            if let Some(problem) = check(field, value) {
                errors.insert(field.name.as_str(), self.notice.ui(&self.language, problem));
            }
        }
        let summary = if errors.is_empty() {
            Value::Null
        } else {
            self.notice.ui(&self.language, Ui::ErrorSummary).into()
        };
        Ok(json_text(
            Object::new().with("errors", errors).with("summary", summary),
        ))
    }

    /// A submission of `values_json` (`[[name, value], …]`) with the consent purposes in `granted_json`
    /// (`["newsletter", …]`): `{"signingInput", "detail": {payload, manifest, consentMode, receiptId}, "stored"}`.
    /// The page signs `signingInput` with the device key and hands the result to [`Consent::signed`].
    ///
    /// # Errors
    /// Malformed values, an unknown purpose, or fewer than 16 random bytes.
    pub fn submit(
        &mut self,
        values_json: &str,
        granted_json: &str,
        random: &[u8],
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let submitted = pairs(values_json)?;
        let decisions = self.decisions(granted_json)?;
        let today = Date::of_unix_seconds(unix_seconds(now_ms));
        let minimised = minimise(&self.notice, &decisions, &submitted, today);
        let principal = principal_id(
            &self.notice,
            &submitted,
            &minimised.manifest,
            &self.device_key.thumbprint(),
        );
        self.hand_out(
            decisions,
            &minimised.manifest,
            &principal,
            Some(minimised.payload),
            random,
            now_ms,
        )
    }

    /// What a submission of these values and choices would send, without sending or signing anything (the
    /// demo shows it live): `{"payload", "manifest", "requests": {"json": {contentType, body}, …}}`, with
    /// placeholders for the receipt and its id. An adapter the notice has no settings for gives `{"error"}`.
    ///
    /// # Errors
    /// Malformed values or page, or an unknown purpose.
    pub fn preview(
        &self,
        values_json: &str,
        granted_json: &str,
        page_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let submitted = pairs(values_json)?;
        let decisions = self.decisions(granted_json)?;
        let today = Date::of_unix_seconds(unix_seconds(now_ms));
        let minimised = minimise(&self.notice, &decisions, &submitted, today);
        let page = parse(page_json).map_err(to_js)?;
        let evidence = self.evidence(&page, "(the signed receipt)", "(receipt id)");
        let mut requests = Object::new();
        for (adapter, name) in Adapter::ALL {
            let shaped = request(adapter, &self.notice, &decisions, &minimised.payload, evidence);
            requests.insert(name, request_json(shaped));
        }
        Ok(json_text(
            Object::new()
                .with("payload", minimised.payload)
                .with("manifest", minimised.manifest.to_json())
                .with("requests", requests),
        ))
    }

    /// Withdraws consent for `purpose`: a receipt chained to the last one, with that purpose denied and no data.
    ///
    /// # Errors
    /// As [`Consent::submit`].
    pub fn withdraw(
        &mut self,
        purpose: &str,
        granted_json: &str,
        random: &[u8],
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let mut decisions = self.decisions(granted_json)?;
        decisions.set(purpose, false).map_err(to_js)?;
        let principal = format!("jwk-thumbprint:{}", self.device_key.thumbprint());
        self.hand_out(decisions, &Manifest::default(), &principal, None, random, now_ms)
    }

    /// Takes the signed receipt for the last submission or withdrawal: the next one chains to it. Returns
    /// `{"view": <what the person reads, see receipt_view::ReceiptView::to_json>, "request": {contentType,
    /// body} or null}`: the request for the configured adapter, made on the page `page_json` (`{"uri",
    /// "title"}`). A withdrawal carries no data, so only the `json` adapter sends one (its receipt).
    ///
    /// # Errors
    /// When nothing is waiting for a signature, or the page is malformed.
    pub fn signed(&mut self, jws: String, page_json: &str) -> Result<String, JsValue> {
        let pending = self
            .pending
            .take()
            .ok_or_else(|| to_js("no receipt is waiting for a signature"))?;
        let view = ReceiptView::build(
            &self.notice,
            &pending.decisions,
            &self.language,
            &pending.receipt_id,
            pending.issued_at,
        );
        let page = parse(page_json).map_err(to_js)?;
        let evidence = self.evidence(&page, &jws, &pending.receipt_id);
        let sent = match (self.adapter, &pending.payload) {
            (Some(adapter), Some(payload)) => Some((adapter, payload.clone())),
            (Some(Adapter::Json), None) => Some((Adapter::Json, Object::new())),
            _ => None,
        };
        let request_value = match sent {
            Some((adapter, payload)) => request_json(request(
                adapter,
                &self.notice,
                &pending.decisions,
                &payload,
                evidence,
            )),
            None => Value::Null,
        };
        self.last_receipt = Some(jws);
        Ok(json_text(
            Object::new()
                .with("view", view.to_json())
                .with("request", request_value),
        ))
    }
}

impl Consent {
    fn evidence<'a>(&'a self, page: &'a Value, receipt: &'a str, receipt_id: &'a str) -> Evidence<'a> {
        let text = |key| {
            page.as_object()
                .and_then(|o| o.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        Evidence {
            receipt,
            receipt_id,
            language: &self.language,
            page_uri: text("uri"),
            page_name: text("title"),
        }
    }

    fn decisions(&self, granted_json: &str) -> Result<Decisions, JsValue> {
        let granted = parse(granted_json).map_err(to_js)?;
        let mut decisions = Decisions::initial(&self.notice);
        for id in granted
            .as_array()
            .ok_or_else(|| to_js(Error::new(ErrorKind::WrongType, "granted")))?
        {
            decisions
                .set(id.as_str().unwrap_or_default(), true)
                .map_err(to_js)?;
        }
        Ok(decisions)
    }

    fn hand_out(
        &mut self,
        decisions: Decisions,
        manifest: &Manifest,
        principal: &str,
        payload: Option<Object>,
        random: &[u8],
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let bytes: [u8; 16] = random
            .get(..16)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| to_js("16 random bytes are needed"))?;
        let receipt_id = uuid_v4(bytes);
        let issued_at = unix_seconds(now_ms);
        let previous = self.last_receipt.as_deref().map(receipt_hash);
        let context = ReceiptContext {
            issued_at,
            receipt_id: &receipt_id,
            principal_id: principal,
            language: &self.language,
            gpc: self.gpc,
            notice_signature: self.notice_signature.as_deref(),
            previous_receipt: previous.as_deref(),
        };
        let receipt = Receipt::build(&self.notice, &decisions, manifest, context);
        let signing_input = receipt.signing_input(Algorithm::for_key(&self.device_key), &self.device_key);
        let detail = match &payload {
            Some(payload) => Object::new().with("payload", payload.clone()),
            None => Object::new()
                .with("payload", Object::new())
                .with("withdrawal", true),
        };
        let detail = detail
            .with("manifest", manifest.to_json())
            .with("consentMode", consent_mode_update(&self.notice, &decisions))
            .with("receiptId", receipt_id.as_str());
        let stored = json_text(Stored::from_decisions(&self.notice, &decisions).to_json());
        self.pending = Some(Pending {
            decisions,
            receipt_id,
            issued_at,
            payload,
        });
        Ok(json_text(
            Object::new()
                .with("signingInput", signing_input)
                .with("detail", detail)
                .with("stored", stored),
        ))
    }
}

fn unix_seconds(now_ms: f64) -> i64 {
    (now_ms / 1000.0) as i64
}

fn adapter_problem(problem: AdapterProblem) -> Error {
    match problem {
        AdapterProblem::SalesforceNotConfigured => Error::new(ErrorKind::Missing, "crm.salesforce")
            .with_detail("the salesforce adapter needs the organisation id and receipt field"),
    }
}

fn request_json(shaped: Result<crate::adapter::Request, AdapterProblem>) -> Value {
    match shaped {
        Ok(shaped) => Object::new()
            .with("contentType", shaped.content_type)
            .with("body", shaped.body)
            .into(),
        Err(problem) => Object::new()
            .with("error", adapter_problem(problem).to_string())
            .into(),
    }
}

/// `[[name, value], …]` as typed into a form.
fn pairs(values_json: &str) -> Result<Vec<(String, String)>, JsValue> {
    let values = parse(values_json).map_err(to_js)?;
    let items = values
        .as_array()
        .ok_or_else(|| to_js(Error::new(ErrorKind::WrongType, "values")))?;
    items
        .iter()
        .map(|pair| match pair.as_array() {
            Some([Value::String(name), Value::String(value)]) => Ok((name.clone(), value.clone())),
            _ => Err(to_js(
                Error::new(ErrorKind::WrongType, "values").with_detail("expected [name, value] pairs"),
            )),
        })
        .collect()
}

/// What WebCrypto needs to check a signature: `{alg, jwk, signingInput, signature}`.
fn signed_parts(compact: &Compact) -> Object {
    let jwk = compact.jwk.as_ref().map_or(Value::Null, |k| k.to_json().into());
    Object::new()
        .with("alg", compact.algorithm.name())
        .with("jwk", jwk)
        .with("signingInput", compact.signing_input.as_str())
        .with("signature", base64url::encode(&compact.signature))
}

/// Checks everything about a receipt but its signature (strict JWS, canonical payload, Kantara shape) and
/// returns, as JSON, what WebCrypto needs to check the signature, with the receipt itself under `receipt`.
///
/// # Errors
/// The first problem, with where it is.
#[wasm_bindgen]
pub fn inspect_receipt(jws: &str) -> Result<String, JsValue> {
    let (compact, receipt) = receipt::inspect(jws).map_err(to_js)?;
    Ok(json_text(signed_parts(&compact).with("receipt", receipt)))
}

/// Checks that `signature_jws` signs exactly `notice_json` with the key whose thumbprint the page pins, and
/// returns (JSON) what WebCrypto needs to check the signature itself.
///
/// # Errors
/// An invalid notice, a malformed signature, another key, or another notice.
#[wasm_bindgen]
pub fn check_notice_signature(
    notice_json: &str,
    signature_jws: &str,
    controller_thumbprint: &str,
) -> Result<String, JsValue> {
    let notice = Notice::from_json(notice_json).map_err(to_js)?;
    let compact =
        notice_signature::check_binding(signature_jws, &notice, controller_thumbprint).map_err(to_js)?;
    Ok(json_text(signed_parts(&compact)))
}
