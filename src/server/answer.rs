//! A finished JSON answer that is served many times: kept as bytes, with its gzip form made
//! once, the first time a client that accepts gzip asks (the browser always does). Used for
//! cached rankings ([`super::rank_cache`]) and for the municipality details, which depend only
//! on the atlas and the language. The boundaries and the OpenAPI document are made and
//! compressed once up front ([`Answer::made_once`]); the compression layer leaves an answer
//! alone that already names its encoding, so none of them is compressed per request.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, header};
use axum::response::{IntoResponse, Response};
use std::io::Write;
use std::sync::{Arc, OnceLock};

/// One finished answer: the JSON, and its gzip form once a client asked for it.
pub struct Answer {
    pub json: Bytes,
    gzip: OnceLock<Bytes>,
    content_type: &'static str,
}

impl Answer {
    pub fn new(json: Bytes) -> Arc<Self> {
        Arc::new(Answer {
            json,
            gzip: OnceLock::new(),
            content_type: "application/json",
        })
    }

    /// An answer served unchanged for as long as the server runs (or its atlas is served),
    /// of media type `content_type`: compressed now, once, at zlib's best level.
    pub fn made_once(json: Bytes, content_type: &'static str) -> Arc<Self> {
        let gzip = OnceLock::from(compress(&json, BEST_LEVEL));
        Arc::new(Answer {
            json,
            gzip,
            content_type,
        })
    }

    /// The JSON gzip-compressed, made on first use and kept.
    pub fn gzip(&self) -> Bytes {
        self.gzip
            .get_or_init(|| compress(&self.json, GZIP_LEVEL))
            .clone()
    }

    /// The gzip form if it has been made already.
    pub fn gzip_made(&self) -> Option<Bytes> {
        self.gzip.get().cloned()
    }
}

fn compress(data: &[u8], level: u32) -> Bytes {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 6),
        flate2::Compression::new(level),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default().into()
}

/// zlib level of the gzip form. Level 1 compresses an answer of 180 kB to about 30 kB in a
/// fraction of the time of level 6 (22 kB): under a soak with one new profile in ten, gzip at
/// level 6 took more CPU than ranking and serialising together.
const GZIP_LEVEL: u32 = 1;

/// zlib level of answers made once up front ([`Answer::made_once`]): time does not matter there.
const BEST_LEVEL: u32 = 9;

/// Whether `Accept-Encoding` lists gzip (or `*`) with a quality above 0.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && q > 0.0
        })
}

/// The answer as a response of its media type: gzip-compressed when `gzip` (the compression
/// layer leaves a response alone that already names its encoding), with
/// `Vary: Accept-Encoding` and the `extra` header if any.
pub fn respond(answer: &Answer, gzip: bool, extra: Option<(HeaderName, &'static str)>) -> Response {
    let mut res = if gzip {
        ([(header::CONTENT_ENCODING, "gzip")], answer.gzip()).into_response()
    } else {
        answer.json.clone().into_response()
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(answer.content_type),
    );
    h.insert(
        header::VARY,
        header::HeaderValue::from_static("accept-encoding"),
    );
    if let Some((name, value)) = extra {
        h.insert(name, header::HeaderValue::from_static(value));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_gzip_form_decompresses_to_the_json() {
        let json = Bytes::from(r#"{"ranked": ["Heidenau", "Freital"]}"#.repeat(50));
        let a = Answer::new(json.clone());
        let z = a.gzip();
        assert!(z.len() < json.len() / 4);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&z[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, json);
        assert_eq!(a.gzip_made(), Some(z.clone()), "made once, then kept");
        assert_eq!(a.gzip(), z);
    }

    #[test]
    fn gzip_is_accepted_unless_refused() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, v.parse().unwrap());
            accepts_gzip(&m)
        };
        assert!(h("gzip, deflate, br"));
        assert!(h("br;q=1.0, gzip;q=0.5"));
        assert!(h("*"));
        assert!(!h("gzip;q=0"));
        assert!(!h("br, deflate"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
