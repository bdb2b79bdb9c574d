//! A file a message carries (a chart): plain bytes with a name, built by `reply`, sent by the
//! REST client and by the Discord layer, written out by `preview --out`.

/// A file a reply carries: its name as Discord shows it, and its bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}
