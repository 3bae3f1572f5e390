//! An event listener that is removed when it is dropped, so a mount never leaves callbacks behind.

use wasm_bindgen::prelude::*;
use web_sys::{Event, EventTarget};

#[must_use = "the listener is removed when dropped"]
pub(crate) struct Listener {
    target: EventTarget,
    name: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    pub(crate) fn new(
        target: &EventTarget,
        name: &'static str,
        f: impl FnMut(Event) + 'static,
    ) -> Result<Self, JsValue> {
        let callback = Closure::<dyn FnMut(Event)>::new(f);
        target.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref())?;
        Ok(Self {
            target: target.clone(),
            name,
            callback,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Removing a registered listener cannot fail in a way we could act on.
        let _ = self
            .target
            .remove_event_listener_with_callback(self.name, self.callback.as_ref().unchecked_ref());
    }
}
