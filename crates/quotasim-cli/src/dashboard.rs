//! `quotasim dashboard`: serves the browser dashboard from files embedded in the
//! binary. The server only hands out the static files; the model runs in the reader's
//! browser (WebAssembly in a Web Worker), so the page can equally be hosted as the
//! plain folder `dist/`. Text and WebAssembly go gzipped to browsers that accept it.

use std::net::{IpAddr, SocketAddr};

use anyhow::{Context, Result};
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/dashboard_files.rs"));
}

/// Whether this binary carries the dashboard (it was built after scripts/build-web.sh).
pub fn built_in() -> bool {
    embedded::FILES
        .iter()
        .any(|(name, _, _)| *name == "index.html")
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") | Some("map") => "application/json",
        // Browsers compile a module while it downloads only with this type.
        Some("wasm") => "application/wasm",
        Some("toml") => "application/toml",
        _ => "application/octet-stream",
    }
}

/// Whether the request's `Accept-Encoding` takes gzip.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let refused = parts.any(|q| matches!(q.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            (coding == "gzip" || coding == "*") && !refused
        })
}

async fn file(uri: Uri, request: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    match embedded::FILES.iter().find(|(name, _, _)| *name == path) {
        Some((name, bytes, gz)) => {
            let gzip = gz.filter(|_| accepts_gzip(&request));
            let mut r = gzip.unwrap_or(bytes).into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(name)),
            );
            if gzip.is_some() {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            if gz.is_some() {
                h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            h.insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            r
        }
        None => (
            StatusCode::NOT_FOUND,
            format!("no file {path} in the dashboard\n"),
        )
            .into_response(),
    }
}

/// Serves the dashboard on `host:port` until interrupted (Ctrl-C); prints the address
/// (with the port the system chose when `port` is 0) once it listens.
pub fn serve(host: IpAddr, port: u16) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let addr = SocketAddr::new(host, port);
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
            format!("cannot listen on {addr} (is the port in use? choose another with --port)")
        })?;
        let bound = listener.local_addr()?;
        let shown = match bound.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        println!("quotasim dashboard: http://{shown}:{}/", bound.port());
        eprintln!("(the model runs in the browser; press Ctrl-C to stop the server)");
        let app = Router::new().fallback(file);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the server stopped")
    })
}
