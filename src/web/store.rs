//! The person's last choices, kept in the origin's localStorage so that the next visit starts from them
//! (and asks again when the notice's revision changed).

use crate::canonical::to_canonical_string;
use crate::consent::Stored;
use web_sys::Storage;

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored choices under `key`; none when storage is unavailable (private mode, blocked) or malformed.
pub(crate) fn load(key: &str) -> Option<Stored> {
    Stored::from_json(&storage()?.get_item(key).ok()??)
}

/// Keeps `stored` under `key`. Failing storage (quota, blocked) only means the person is asked next time.
pub(crate) fn save(key: &str, stored: &Stored) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, &to_canonical_string(&stored.to_json()));
    }
}
