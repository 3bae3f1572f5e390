//! Google Consent Mode v2: the `gtag('consent', 'update', …)` argument that follows the person's decisions.

use crate::notice::decisions::Decisions;

use crate::json::Object;
use crate::notice::vocabulary::Decision;
use crate::notice::Notice;

/// Each consent-mode type that some purpose maps to, `granted` only when every purpose mapping to it was
/// granted (one refusal is enough to deny). Empty when the notice maps no purpose.
pub fn consent_mode_update(notice: &Notice, decisions: &Decisions) -> Object {
    let mut update = Object::new();
    for purpose in &notice.purposes {
        let granted = decisions.get(&purpose.id) == Decision::Granted;
        for kind in &purpose.consent_mode {
            let still_granted = update
                .get(kind)
                .and_then(|v| v.as_str())
                .is_none_or(|s| s == "granted");
            update.insert(
                kind.as_str(),
                if granted && still_granted {
                    "granted"
                } else {
                    "denied"
                },
            );
        }
    }
    update
}
