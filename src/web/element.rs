//! The element's binding: one notice shown in one element. `www/consent-capture.js` renders what
//! [`Consent::form`] describes with `textContent`, signs what [`Consent::submit`] builds with WebCrypto, and
//! has the destination module (`web::destinations`) shape what goes to the site's CRM.

use super::convert::{json_text, to_js};
use crate::error::{Error, ErrorKind};
use crate::form::consent_mode::consent_mode_update;
use crate::form::validate::check;
use crate::form::Form;
use crate::jose::jwk::Algorithm;
use crate::jose::jwk::PublicJwk;
use crate::json::{parse, Object, Value};
use crate::minimise::date::Date;
use crate::minimise::Manifest;
use crate::notice::signature::notice_hash;
use crate::notice::texts::Ui;
use crate::prelude::*;
use crate::receipt::last::LastReceipt;
use crate::receipt::view::ReceiptView;
use crate::receipt::{fields_hash, principal_id, receipt_hash, ReceiptContext};
use crate::{minimise, uuid_v4, Decisions, Notice, Receipt};
use wasm_bindgen::prelude::*;

/// One notice shown in one element: the form to render, and every submission and withdrawal made on it.
#[wasm_bindgen]
pub struct Consent {
    notice: Notice,
    language: String,
    gpc: bool,
    device_key: Option<PublicJwk>,
    notice_signature: Option<String>,
    last_receipt: Option<String>,
    form: String,
    /// Where submissions go (its URL) and the SHA-256 of the description that shapes them: each receipt names
    /// both, so that the proof says to whom the data went.
    destination: Option<(String, String)>,
    pending: Option<Pending>,
}

struct Pending {
    decisions: Decisions,
    receipt_id: String,
    issued_at: i64,
}

fn member<'a>(options: &'a Object, key: &str) -> Option<&'a Value> {
    options.get(key).filter(|v| **v != Value::Null)
}

#[wasm_bindgen]
impl Consent {
    /// Validates `notice_json` and prepares its form. `options_json`: `{"languages": ["de", …], "gpc": bool,
    /// "stored": "<the last receipt this device signed for this notice, its signature checked by the page>",
    /// "noticeSignature": "<jws the page has checked>", "endpoint": "<where submissions go>",
    /// "destinationSha256": "<the SHA-256 of the destination's description>"}` (the last two from the
    /// destination module; without them nothing is sent).
    ///
    /// # Errors
    /// Every problem of an invalid notice, one per line with its JSON path, then where what was found is
    /// said (`consent-capture check`); malformed options.
    #[wasm_bindgen(constructor)]
    pub fn new(notice_json: &str, options_json: &str) -> Result<Consent, JsValue> {
        // The bundle leaves out what was found at each place (see Error::with_detail): say where it is said.
        let notice = Notice::from_json(notice_json).map_err(|errors| {
            JsValue::from_str(&concat(&[
                &errors.text(),
                "\n(consent-capture check NOTICE.json says what was found)",
            ]))
        })?;
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
        // The page checks it first (the verifier module's check_notice_signature, then WebCrypto); receipts
        // carry it so that anyone can check it again.
        let notice_signature = member(options, "noticeSignature")
            .and_then(Value::as_str)
            .map(|jws| jws.trim().to_owned());
        let stored = member(options, "stored").and_then(Value::as_str);
        let last = stored.and_then(LastReceipt::from_jws);
        let language = notice.pick_language(&wanted).to_owned();
        let start = Decisions::start(&notice, last.as_ref(), gpc);
        // The last receipt's view and withdraw buttons come back with its choices, so that withdrawing never
        // asks for personal data again (under a changed notice the person is asked again instead).
        let receipt = match last.as_ref().filter(|_| !start.reconsent) {
            Some(last) => ReceiptView::build(
                &notice,
                &Decisions::recorded(&notice, last),
                &language,
                &last.receipt_id,
                last.issued_at,
            )
            .to_json(),
            None => Value::Null,
        };
        let form = Form::build(&notice, &language, &start, gpc).to_json();
        // The hash lets the element recognise a form rendered ahead of time from this very notice.
        let form = json_text(
            Object::new()
                .with("form", form)
                .with("receipt", receipt)
                .with("noticeSha256", notice_hash(&notice)),
        );
        let last_receipt = last.is_some().then(|| stored.unwrap_or_default().to_owned());
        let text = |key| member(options, key).and_then(Value::as_str).map(str::to_owned);
        let destination = text("endpoint").zip(text("destinationSha256"));
        Ok(Self {
            notice,
            language,
            gpc,
            device_key: None,
            notice_signature,
            last_receipt,
            form,
            destination,
            pending: None,
        })
    }

    /// Every call after the constructor, by `method`: `form`, `setDevice`, `declaredFields`, `check`,
    /// `submit`, `preview`, `withdraw` or `signed`, with up to two texts in the order of that method's
    /// parameters (unused ones empty), and fresh randomness and time for those that take them. One export
    /// instead of one per method: each export costs the page its own wasm shim and glue, and the eight
    /// measured 560 bytes brotli of wasm and JavaScript on every page.
    ///
    /// # Errors
    /// An unknown method, or what the method reports.
    pub fn call(
        &mut self,
        method: &str,
        first: &str,
        second: &str,
        random: &[u8],
        now_ms: f64,
    ) -> Result<String, JsValue> {
        match method {
            "form" => Ok(self.form()),
            "setDevice" => self.set_device(first).map(|()| String::new()),
            "declaredFields" => Ok(self.declared_fields()),
            "check" => self.check(first),
            "submit" => self.submit(first, second, random, now_ms),
            "preview" => self.preview(first, second, now_ms),
            "withdraw" => self.withdraw(first, random, now_ms),
            "signed" => self.signed(first.to_owned()),
            _ => Err(to_js(
                Error::new(ErrorKind::NotAllowed, "method").with_detail(method),
            )),
        }
    }
}

/// What [`Consent::call`] reaches, also called directly by the browser tests.
impl Consent {
    /// What to render, as JSON: `{"form": <see form::Form::to_json>, "receipt": <the last receipt's view, see
    /// receipt::view::ReceiptView::to_json, or null>, "noticeSha256": <notice::signature::notice_hash>}`.
    pub fn form(&self) -> String {
        self.form.clone()
    }

    /// The device key that signs this element's receipts (a public JWK, as JSON). The form renders before it
    /// is read from storage; submissions wait for it.
    ///
    /// # Errors
    /// A malformed or private key.
    pub fn set_device(&mut self, device_key_json: &str) -> Result<(), JsValue> {
        let key = parse(device_key_json).map_err(to_js)?;
        self.device_key = Some(PublicJwk::from_json(&key, "deviceKey").map_err(to_js)?);
        Ok(())
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
        let calling_code = self.notice.calling_code_for(&values);
        for field in &self.notice.fields {
            let value = values
                .iter()
                .find(|(name, _)| *name == field.name)
                .map_or("", |(_, v)| v.as_str());
            if let Some(problem) = check(field, value, calling_code) {
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
    /// (`["newsletter", …]`): `{"signingInput", "detail": {payload, manifest, consentMode, receiptId}}`.
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
            &self.device()?.thumbprint(),
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
    /// demo shows it live, with what each CRM would receive, from the destination module):
    /// `{"payload", "manifest", "decisions"}`.
    ///
    /// # Errors
    /// Malformed values, or an unknown purpose.
    pub fn preview(&self, values_json: &str, granted_json: &str, now_ms: f64) -> Result<String, JsValue> {
        // The same four lines as `submit`, on purpose: a shared helper returning them measured 140 bytes
        // more brotli in every page (195 when the bundle used wasm-opt -Oz).
        let submitted = pairs(values_json)?;
        let decisions = self.decisions(granted_json)?;
        let today = Date::of_unix_seconds(unix_seconds(now_ms));
        let minimised = minimise(&self.notice, &decisions, &submitted, today);
        Ok(json_text(
            Object::new()
                .with("payload", minimised.payload)
                .with("manifest", minimised.manifest.to_json())
                .with("decisions", decisions.to_json(&self.notice)),
        ))
    }

    /// Withdraws consent for `purpose`: a receipt chained to the last one, with what that receipt granted,
    /// `purpose` withdrawn, and no data. What the boxes show now does not count: only a submission grants.
    ///
    /// # Errors
    /// No last receipt of this notice revision, a purpose it did not grant, or fewer than 16 random bytes.
    pub fn withdraw(&mut self, purpose: &str, random: &[u8], now_ms: f64) -> Result<String, JsValue> {
        let last = self
            .last_receipt
            .as_deref()
            .and_then(LastReceipt::from_jws)
            .filter(|last| last.revision == self.notice.revision)
            .ok_or_else(|| {
                JsValue::from_str("there is no receipt of this notice revision to withdraw from")
            })?;
        // What the last receipt recorded, earlier withdrawals included: withdrawn stays withdrawn.
        let mut decisions = Decisions::recorded(&self.notice, &last);
        decisions.withdraw(purpose).map_err(to_js)?;
        // The withdrawal names the person as the receipt it follows did, so that a CRM matching on
        // piiPrincipalId links the two.
        self.hand_out(
            decisions,
            &Manifest::default(),
            &last.principal,
            None,
            random,
            now_ms,
        )
    }

    /// Takes the signed receipt for the last submission or withdrawal: the next one chains to it. Returns what
    /// the person reads (see receipt::view::ReceiptView::to_json); the destination module shapes what is sent.
    ///
    /// # Errors
    /// When nothing is waiting for a signature.
    pub fn signed(&mut self, jws: String) -> Result<String, JsValue> {
        let pending = self
            .pending
            .take()
            .ok_or_else(|| JsValue::from_str("no receipt is waiting for a signature"))?;
        let view = ReceiptView::build(
            &self.notice,
            &pending.decisions,
            &self.language,
            &pending.receipt_id,
            pending.issued_at,
        );
        self.last_receipt = Some(jws);
        Ok(json_text(view.to_json()))
    }

    fn device(&self) -> Result<&PublicJwk, JsValue> {
        self.device_key
            .as_ref()
            .ok_or_else(|| JsValue::from_str("the device key is not set (set_device)"))
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
            .ok_or_else(|| JsValue::from_str("16 random bytes are needed"))?;
        let receipt_id = uuid_v4(bytes);
        let issued_at = unix_seconds(now_ms);
        let previous = self.last_receipt.as_deref().map(receipt_hash);
        // What the json adapter sends as `fields`: a withdrawal's are none.
        let fields = fields_hash(payload.as_ref().unwrap_or(&Object::new()));
        let context = ReceiptContext {
            issued_at,
            receipt_id: &receipt_id,
            principal_id: principal,
            language: &self.language,
            gpc: self.gpc,
            notice_signature: self.notice_signature.as_deref(),
            previous_receipt: previous.as_deref(),
            fields_sha256: Some(&fields),
            endpoint: self.destination.as_ref().map(|(url, _)| url.as_str()),
            destination_sha256: self.destination.as_ref().map(|(_, sha256)| sha256.as_str()),
        };
        let receipt = Receipt::build(&self.notice, &decisions, manifest, context);
        let device = self.device()?;
        let signing_input = receipt.signing_input(Algorithm::for_key(device), device);
        let detail = match payload {
            Some(payload) => Object::new().with("payload", payload),
            None => Object::new()
                .with("payload", Object::new())
                .with("withdrawal", true),
        };
        let detail = detail
            .with("manifest", manifest.to_json())
            .with("consentMode", consent_mode_update(&self.notice, &decisions))
            .with("receiptId", receipt_id.as_str());
        self.pending = Some(Pending {
            decisions,
            receipt_id,
            issued_at,
        });
        Ok(json_text(
            Object::new()
                .with("signingInput", signing_input)
                .with("detail", detail),
        ))
    }
}

fn unix_seconds(now_ms: f64) -> i64 {
    (now_ms / 1000.0) as i64
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
