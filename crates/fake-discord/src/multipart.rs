//! Reading a multipart/form-data body the way Discord reads a message with files: the
//! message JSON in the `payload_json` part, each file in a `files[n]` part.

use serde_json::Value;

/// A file the bot uploaded with a message.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// The form field: `files[0]`, `files[1]`...
    pub field: String,
    /// The file name the part carries.
    pub filename: Option<String>,
    /// The part's `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The file's bytes, exactly as sent.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadedFile")
            .field("field", &self.field)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// A multipart body split into the message JSON and its files.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub(crate) payload_json: Option<Value>,
    pub(crate) files: Vec<UploadedFile>,
    /// Parts that are neither `payload_json` nor a file.
    pub(crate) other_fields: Vec<String>,
}

struct Part<'a> {
    name: Option<String>,
    filename: Option<String>,
    content_type: Option<String>,
    body: &'a [u8],
}

/// Splits `bytes` on `boundary`; binary file contents are kept byte for byte.
pub(crate) fn parse(bytes: &[u8], boundary: &str) -> Form {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut form = Form::default();
    for raw in split(bytes, &delimiter) {
        let Some(part) = read_part(raw) else { continue };
        match part.name.as_deref() {
            Some("payload_json") => {
                form.payload_json = serde_json::from_slice(part.body).ok();
            }
            Some(name) if part.filename.is_some() || name.starts_with("files[") => {
                form.files.push(UploadedFile {
                    field: name.to_string(),
                    filename: part.filename,
                    content_type: part.content_type,
                    bytes: part.body.to_vec(),
                });
            }
            Some(name) => form.other_fields.push(name.to_string()),
            None => {}
        }
    }
    form
}

/// The pieces between delimiters, without the preamble and the closing `--`.
fn split<'a>(bytes: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], delimiter) {
        starts.push(at + found);
        at += found + delimiter.len();
    }
    starts
        .windows(2)
        .map(|pair| &bytes[pair[0] + delimiter.len()..pair[1]])
        .collect()
}

fn read_part(raw: &[u8]) -> Option<Part<'_>> {
    let raw = raw.strip_prefix(b"\r\n")?;
    let split = find(raw, b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&raw[..split]);
    let body = &raw[split + 4..];
    let body = body.strip_suffix(b"\r\n").unwrap_or(body);
    let mut part = Part {
        name: None,
        filename: None,
        content_type: None,
        body,
    };
    for line in headers.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                part.name = parameter(value, "name");
                part.filename = parameter(value, "filename");
            }
            "content-type" => part.content_type = Some(value.trim().to_string()),
            _ => {}
        }
    }
    Some(part)
}

/// `name="value"` out of a header value such as `form-data; name="files[0]"`.
fn parameter(header: &str, key: &str) -> Option<String> {
    header.split(';').find_map(|item| {
        let (k, v) = item.trim().split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_json_and_binary_files_are_read() {
        let mut body = b"--XYZ\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n".to_vec();
        body.extend_from_slice(&[0x89, b'P', 0, 0xFF, b'\r', b'\n', 7]);
        body.extend_from_slice(b"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\r\n{\"content\":\"hi\"}\r\n--XYZ--\r\n");
        let form = parse(&body, "XYZ");
        assert_eq!(
            form.payload_json,
            Some(serde_json::json!({"content": "hi"}))
        );
        assert_eq!(form.files.len(), 1);
        let file = &form.files[0];
        assert_eq!(file.field, "files[0]");
        assert_eq!(file.filename.as_deref(), Some("a.png"));
        assert_eq!(file.content_type.as_deref(), Some("image/png"));
        assert_eq!(file.bytes, [0x89, b'P', 0, 0xFF, b'\r', b'\n', 7]);
        assert!(form.other_fields.is_empty());
    }
}
