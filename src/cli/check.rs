//! `consent-capture check`: a notice's every problem, with what was found where.

use crate::output::{read, say, Failure};
use clap::Args;
use consent_capture::destination::{shipped, Destination, NoticeFacts};
use consent_capture::json::parse;
use consent_capture::notice::signature::notice_hash;
use consent_capture::Notice;
use std::path::PathBuf;

/// Checks a notice, and the destinations its `crm` section configures.
///
/// Exits 0 for a valid notice (with what it declares and its hash, which receipts name), 1 for an invalid one
/// with every problem: where it is, what is wrong and what was found there (the element in the browser says
/// where and what, to keep every page small). Each destination the `crm` section gives settings for (a shipped
/// one, or one given with --destination) is read against the notice, with every problem of its settings.
#[derive(Args)]
pub(crate) struct Check {
    /// The notice.
    notice: PathBuf,
    /// A destination description of your own, to read against the notice (repeatable).
    #[arg(long, value_name = "FILE")]
    destination: Vec<PathBuf>,
}

/// Where the checked destinations would send: the page's `endpoint` or the relay's URL is given where they run,
/// so any URL does to check the rest.
const SOME_ENDPOINT: &str = "https://endpoint.invalid/";

impl Check {
    pub(crate) fn run(self) -> Result<(), Failure> {
        let path = self.notice.display();
        let notice =
            Notice::from_json(&read(&self.notice)?).map_err(|e| Failure::Invalid(format!("{path}:\n{e}")))?;
        let mut own = Vec::new();
        for file in &self.destination {
            own.push((file.display().to_string(), read(file)?));
        }
        let configured = notice
            .source
            .as_object()
            .and_then(|source| source.get("crm")?.as_object())
            .map(|crm| crm.iter().map(|(name, _)| name.to_owned()).collect::<Vec<_>>())
            .unwrap_or_default();
        let facts = NoticeFacts::read(&notice.source);
        let mut problems = Vec::new();
        let mut read_here = Vec::new();
        for name in &configured {
            if shipped(name).is_none() && !own.iter().any(|(_, text)| names(text, name)) {
                problems.push(format!(
                    "crm.{name}: no shipped destination is called {name} (give its description with --destination)"
                ));
            }
        }
        let shipped_ones = configured
            .iter()
            .filter_map(|name| Some((name.clone(), shipped(name)?.to_owned())));
        for (label, text) in shipped_ones.chain(own) {
            match Destination::bind(&text, &facts, Some(SOME_ENDPOINT)) {
                Ok(bound) => read_here.push(bound.name),
                Err(errors) => problems.push(format!("{label}:\n{}", errors.text())),
            }
        }
        if !problems.is_empty() {
            return Err(Failure::Invalid(format!("{path}:\n{}", problems.join("\n"))));
        }
        say!(
            "VALID: {path}: revision {}; languages {}; {} purposes; {} fields; noticeSha256 {}",
            notice.revision,
            notice.languages.join(", "),
            notice.purposes.len(),
            notice.fields.len(),
            notice_hash(&notice)
        );
        if !read_here.is_empty() {
            say!("destinations read against it: {}", read_here.join(", "));
        }
        Ok(())
    }
}

/// Whether the description `text` is called `name`.
fn names(text: &str, name: &str) -> bool {
    parse(text)
        .ok()
        .and_then(|description| Some(description.as_object()?.get("name")?.as_str()? == name))
        .unwrap_or(false)
}
