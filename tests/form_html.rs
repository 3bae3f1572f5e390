//! The form rendered ahead of time (`consent-capture render`): a notice's strings stay text in the markup, and
//! the markup can send nothing before the element runs. `tests/e2e/prerendered.test.mjs` checks in a browser
//! that it is the element's own DOM.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::form::drawn::{markup, InlineCss, Placement, Stylesheet};
use consent_capture::form::Form;
use consent_capture::notice::signature::notice_hash;
use consent_capture::{Decisions, Notice};

const DEMO: &str = include_str!("../www/demo/notice.json");
const HOSTILE: &str = r#"</template><script>alert(1)</script><img src=x onerror="alert(2)"> & 'x' &amp;"#;

const LINKED: Stylesheet<'static> = Stylesheet::Linked {
    href: "https://cdn.example/consent-capture.css",
    integrity: None,
};

fn rendered(notice_json: &str, language: &str, form_id: Option<&str>) -> String {
    rendered_styled(notice_json, language, form_id, LINKED)
}

/// As [`rendered`], styled by `stylesheet`.
fn rendered_styled(
    notice_json: &str,
    language: &str,
    form_id: Option<&str>,
    stylesheet: Stylesheet<'_>,
) -> String {
    let notice = Notice::from_json(notice_json).expect("valid");
    let start = Decisions::start(&notice, None, false);
    let form = Form::build(&notice, language, &start, false);
    let placement = Placement {
        notice_url: "/privacy/notice.json",
        stylesheet,
        form_id,
    };
    markup(&form, &notice_hash(&notice), &placement)
}

fn pinned(integrity: &str) -> Stylesheet<'_> {
    Stylesheet::Linked {
        href: "https://cdn.example/consent-capture.css",
        integrity: Some(integrity),
    }
}

fn hostile_notice() -> String {
    let escaped = HOSTILE.replace('"', "\\\"");
    DEMO.replace("\"Your name\"", &format!("\"{escaped}\""))
        .replace("\"Answer your enquiry\"", &format!("\"{escaped}\""))
}

#[test]
fn hostile_strings_are_escaped_text_in_the_markup() {
    let html = rendered(&hostile_notice(), "en", None);
    let escaped = "&lt;/template&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; \
                   &amp; &#39;x&#39; &amp;amp;";
    assert_eq!(html.matches(escaped).count(), 2, "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert_eq!(
        html.matches("</template>").count(),
        1,
        "only the template's own end tag: {html}"
    );
}

#[test]
fn attribute_values_cannot_be_left() {
    let html = rendered(DEMO, "en", Some(r#"signup" onmouseover="alert(1)"#));
    assert!(
        html.contains(r#"for="signup&quot; onmouseover=&quot;alert(1)""#),
        "{html}"
    );
    assert!(!html.contains(r#"" onmouseover=""#), "{html}");
}

#[test]
fn render_mode_is_the_element_with_its_form_in_a_declarative_shadow_root_that_sends_nowhere() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let html = rendered(DEMO, "de", None);
    assert!(html.starts_with(
        "<consent-capture notice=\"/privacy/notice.json\" lang=\"de\"><template shadowrootmode=\"open\">\
         <link rel=\"stylesheet\" href=\"https://cdn.example/consent-capture.css\">"
    ));
    assert!(html.ends_with("</template></consent-capture>"));
    assert!(html.contains(&format!("data-notice=\"{}\"", notice_hash(&notice))));
    // Without a script, submitting a dialog-method form outside a dialog sends nothing anywhere.
    assert!(html.contains("<form part=\"form\" class=\"cc-form\" novalidate method=\"dialog\">"));
    assert!(!html.contains("action="));
    assert!(html.contains("Ihre Angaben"));
    // Never pre-ticked; the two consent purposes are boxes, the contract purpose is text.
    assert_eq!(html.matches("type=\"checkbox\"").count(), 2);
    assert!(!html.contains("checked"));
    assert_eq!(html.matches(" type=\"submit\"").count(), 1);
    assert_eq!(
        html.matches(" maxlength=\"100\"").count(),
        1,
        "the company's maxLength"
    );
    assert!(!html.contains('\n'), "no whitespace text between elements");
}

#[test]
fn enhance_mode_is_the_choices_then_the_element() {
    let html = rendered(DEMO, "ar", Some("signup"));
    assert!(html.starts_with(
        "<div class=\"consent-capture-choices\"><template shadowrootmode=\"open\"><link rel=\"stylesheet\""
    ));
    assert!(html.contains("dir=\"rtl\""));
    assert!(html.ends_with(
        "</template></div><consent-capture notice=\"/privacy/notice.json\" for=\"signup\" lang=\"ar\"></consent-capture>"
    ));
    assert!(!html.contains("<form"), "the site's form is the form");
    assert!(
        !html.contains("type=\"submit\""),
        "the site's submit button is the submit button"
    );
    assert_eq!(html.matches("class=\"cc-button\"").count(), 2);
}

#[test]
fn a_pinned_stylesheet_carries_its_integrity_and_is_fetched_with_cors() {
    let html = rendered_styled(DEMO, "en", None, pinned("sha384-abc"));
    assert!(html.contains(
        "<link rel=\"stylesheet\" href=\"https://cdn.example/consent-capture.css\" integrity=\"sha384-abc\" \
         crossorigin=\"anonymous\">"
    ));
    let hostile = rendered_styled(DEMO, "en", None, pinned(r#"x" onload="alert(1)"#));
    assert!(
        hostile.contains(r#"integrity="x&quot; onload=&quot;alert(1)""#),
        "{hostile}"
    );
}

#[test]
fn an_inline_stylesheet_is_the_shadow_root_s_first_child_as_written_and_can_never_end_its_element() {
    let css = ":host { display: block } .cc-root > p { content: \"<b>&amp;\" }";
    let inline = InlineCss::new(css).expect("no end tag");
    let html = rendered_styled(DEMO, "en", None, Stylesheet::Inline(inline));
    assert!(
        html.contains(&format!(
            "<template shadowrootmode=\"open\"><style>{css}</style><div part=\"root\""
        )),
        "{html}"
    );
    assert!(!html.contains("<link"), "{html}");
    for ending in ["a</style>b", "a</STYLE >", "x</Style/y"] {
        assert_eq!(InlineCss::new(ending), None, "{ending}");
    }
    assert!(InlineCss::new("a</styl").is_some() && InlineCss::new("</stile>").is_some());
}

#[test]
fn a_field_sent_as_typed_to_ad_platforms_says_so_in_the_drawn_label() {
    let text = DEMO.replacen(
        r#""maxLength": 100"#,
        r#""maxLength": 100, "sentAsTypedTo": ["linkedin"]"#,
        1,
    );
    let html = rendered(&text, "en", None);
    assert!(
        html.contains("<span class=\"cc-aside\"> (Shared with LinkedIn)</span></label>"),
        "{html}"
    );
    assert_eq!(
        html.matches("(Shared with").count(),
        1,
        "only the field that declares it"
    );
}
