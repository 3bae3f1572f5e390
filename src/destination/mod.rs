//! Where minimised data goes. A destination is one CRM's request described as data (`destinations/*.json`,
//! checked by `destination.schema.json`): read against the notice whose `crm.<name>` section gives its
//! settings ([`Destination::bind`]), then shaped for each submission by one interpreter ([`shape`]), the same
//! in the browser and in the receiver's relay. Nothing in a description can run: its templates are JSON whose
//! leaves are constants or one named lookup, and every lookup is checked against the notice when it is read.

mod bind;
mod facts;
mod form_encoding;
mod model;
mod shape;
mod shipped;

pub use bind::description_sha256;
pub use facts::{NoticeFacts, PurposeFacts};
pub use model::{Afterwards, Call, Destination, Encoding, Runs};
pub use shape::{shape, Evidence, Shaped};
pub use shipped::{shipped, JSON, SHIPPED};
