//! `consent-capture render`: the form drawn ahead of time, to paste where the form goes.

use crate::output::{read, say, Failure};
use clap::Args;
use consent_capture::form::drawn::{markup, InlineCss, Placement, Stylesheet};
use consent_capture::form::Form;
use consent_capture::notice::signature::notice_hash;
use consent_capture::{Decisions, Notice};
use std::path::PathBuf;

/// Prints the form, rendered from the notice ahead of time, to paste where the form goes.
///
/// The element with the form in a declarative shadow root, which browsers draw while they parse the page
/// (--notice-url is the notice's address for the element). --inline-stylesheet puts the element's
/// consent-capture.css in the form, so that nothing more is fetched before it shows, and prints on stderr the
/// style-src hash a Content-Security-Policy allows it by; or --stylesheet links to where it is served, with
/// --stylesheet-integrity its Subresource Integrity value (make dist prints it, and the element's module checks
/// it too), so that whoever serves it cannot restyle the form. With --for, enhance mode: the purpose choices,
/// to paste before the submit button of <form id=FORM-ID>, then the element. Render again whenever the notice
/// or this program changes: the element keeps what a person did in the form only when it was drawn from the
/// notice it loads.
#[derive(Args)]
pub(crate) struct Render {
    /// The notice.
    notice: PathBuf,
    /// The notice's address, for the element's notice attribute.
    #[arg(long, value_name = "URL")]
    notice_url: String,
    /// The element's stylesheet, put in the form.
    #[arg(long, value_name = "CONSENT-CAPTURE.css", required_unless_present = "stylesheet", conflicts_with_all = ["stylesheet", "stylesheet_integrity"])]
    inline_stylesheet: Option<PathBuf>,
    /// Where the element's stylesheet is served, linked from the form.
    #[arg(long, value_name = "URL")]
    stylesheet: Option<String>,
    /// The stylesheet's Subresource Integrity value.
    #[arg(long, value_name = "SRI", requires = "stylesheet")]
    stylesheet_integrity: Option<String>,
    /// The language to draw it in (one of the notice's).
    #[arg(long, value_name = "TAG")]
    lang: Option<String>,
    /// Enhance mode: the id of the site's form.
    #[arg(long = "for", value_name = "FORM-ID")]
    form: Option<String>,
}

impl Render {
    pub(crate) fn run(self) -> Result<(), Failure> {
        let inline_css = self.inline_stylesheet.as_deref().map(read).transpose()?;
        let stylesheet = match (inline_css.as_deref(), self.stylesheet.as_deref()) {
            (Some(css), _) => Stylesheet::Inline(InlineCss::new(css).ok_or_else(|| {
                Failure::Usage("the --inline-stylesheet contains </style, which would end its element".into())
            })?),
            (None, Some(href)) => Stylesheet::Linked {
                href,
                integrity: self.stylesheet_integrity.as_deref(),
            },
            (None, None) => {
                return Err(Failure::Usage(
                    "render takes --inline-stylesheet FILE, or --stylesheet URL [--stylesheet-integrity SRI]"
                        .into(),
                ))
            }
        };
        let placement = Placement {
            notice_url: &self.notice_url,
            stylesheet,
            form_id: self.form.as_deref(),
        };
        let path = self.notice.display();
        let notice =
            Notice::from_json(&read(&self.notice)?).map_err(|e| Failure::Usage(format!("{path}:\n{e}")))?;
        let wanted: Vec<&str> = self.lang.as_deref().into_iter().collect();
        let language = notice.pick_language(&wanted);
        if let Some(asked) = self
            .lang
            .as_deref()
            .filter(|asked| !asked.eq_ignore_ascii_case(language))
        {
            return Err(Failure::Usage(format!(
                "{path} has no language {asked} (it has {})",
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
