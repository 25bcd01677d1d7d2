//! A web site on loopback for the fetch and feed tests: pages whose status,
//! headers and body a test sets (and changes between polls), plus a page
//! that never answers and a large page streamed in chunks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// What a path answers.
#[derive(Clone)]
pub enum Page {
    /// Status, content type, body.
    Body(u16, &'static str, Vec<u8>),
    /// A redirect to this address.
    Redirect(String),
    /// Never answers.
    Hang,
    /// `n` bytes of HTML streamed in 64 KiB chunks, with no Content-Length.
    Stream(usize),
}

pub struct Site {
    pub base: String,
    pages: Arc<Mutex<HashMap<String, Page>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    authorized: Arc<Mutex<HashMap<String, usize>>>,
}

type Counts = Arc<Mutex<HashMap<String, usize>>>;
type Shared = (Arc<Mutex<HashMap<String, Page>>>, Counts, Counts);

impl Site {
    pub async fn start() -> Site {
        Site::start_on("127.0.0.1").await
    }

    /// A site on another loopback address (Linux answers all of 127/8).
    pub async fn start_on(ip: &str) -> Site {
        let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let pages = Arc::new(Mutex::new(HashMap::new()));
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let authorized = Arc::new(Mutex::new(HashMap::new()));
        let app = axum::Router::new().fallback(serve).with_state((pages.clone(), hits.clone(), authorized.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Site { base, pages, hits, authorized }
    }

    /// Serve `page` at `path` (replacing what was there).
    pub fn set(&self, path: &str, page: Page) {
        self.pages.lock().unwrap().insert(path.to_string(), page);
    }

    pub fn html(&self, path: &str, body: &str) {
        self.set(path, Page::Body(200, "text/html; charset=utf-8", body.as_bytes().to_vec()));
    }

    /// The full address of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// How many times `path` was requested.
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// How many requests for `path` carried credentials (an Authorization header).
    pub fn authorized(&self, path: &str) -> usize {
        self.authorized.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

async fn serve(State((pages, hits, authorized)): State<Shared>, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let path = uri.path().to_string();
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    if headers.contains_key(header::AUTHORIZATION) {
        *authorized.lock().unwrap().entry(path.clone()).or_default() += 1;
    }
    let page = pages.lock().unwrap().get(&path).cloned();
    match page {
        None => (StatusCode::NOT_FOUND, "no such page").into_response(),
        Some(Page::Body(status, media, body)) => {
            let mut r = Response::new(Body::from(body));
            *r.status_mut() = StatusCode::from_u16(status).unwrap();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
            r
        }
        Some(Page::Redirect(to)) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::FOUND;
            r.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&to).unwrap());
            r
        }
        Some(Page::Hang) => std::future::pending().await,
        Some(Page::Stream(n)) => {
            let chunk = vec![b'a'; 64 * 1024];
            let chunks = (0..n.div_ceil(chunk.len())).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
            let mut r = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
    }
}
