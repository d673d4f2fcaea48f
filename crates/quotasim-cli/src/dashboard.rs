//! `quotasim dashboard`: serves the browser dashboard from files embedded in the
//! binary. The server only hands out the static files; the model runs in the reader's
//! browser (WebAssembly in a Web Worker), so the page can equally be hosted as the
//! plain folder `dist/`. Text and WebAssembly go gzipped to browsers that accept it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::failure::Failure;
use anyhow::{Context, Result};
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// Most connections served at once; a further one waits in the system's backlog until
/// one closes.
pub const MAX_CONNECTIONS: usize = 256;
/// A request's headers must arrive within this time, or the connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection (kept alive, or idle) is closed after this time; the page's files take
/// well under a second.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);
/// After Ctrl-C, connections still open have this long to finish before the server
/// exits; a second Ctrl-C exits at once.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

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

async fn file(method: Method, uri: Uri, request: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (
            StatusCode::METHOD_NOT_ALLOWED,
            "the dashboard serves files: only GET and HEAD\n",
        )
            .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
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
///
/// Each connection has a header-read timeout and a lifetime, at most
/// [`MAX_CONNECTIONS`] are served at once, and a failed accept (such as running out of
/// file descriptors) waits a moment and goes on. On Ctrl-C the server stops accepting,
/// gives open connections [`SHUTDOWN_GRACE`] to finish, and exits.
pub fn serve(host: IpAddr, port: u16) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .context("cannot start the server's runtime")?;
    let served = runtime.block_on(async {
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
        accept_until_interrupted(listener).await;
        Ok(())
    });
    // Connections that did not finish within the grace are dropped with the runtime.
    runtime.shutdown_timeout(Duration::from_millis(100));
    served
}

async fn accept_until_interrupted(listener: tokio::net::TcpListener) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let app = Router::new().fallback(file);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let http = Arc::new(http);
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut interrupt = std::pin::pin!(tokio::signal::ctrl_c());
    loop {
        let slot = tokio::select! {
            _ = &mut interrupt => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let stream = tokio::select! {
            _ = &mut interrupt => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, or a connection reset before it was
                    // taken: wait a moment rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let (http, app, mut stopped) = (http.clone(), app.clone(), stopped.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let service = TowerToHyperService::new(app);
            let conn = http.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = tokio::time::sleep(CONNECTION_LIFETIME) => {}
                _ = stopped.changed() => {}
            }
            // Finish the request under way, if any, then close.
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn).await;
        });
    }
    eprintln!(
        "stopping: open connections have {} s to finish (Ctrl-C again to stop now)",
        SHUTDOWN_GRACE.as_secs()
    );
    let _ = stop.send(true);
    let open = slots.clone();
    let drained = async move {
        let _ = open.acquire_many(MAX_CONNECTIONS as u32).await;
    };
    tokio::select! {
        _ = drained => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

#[derive(clap::Args)]
pub(crate) struct DashboardArgs {
    /// Port to listen on; 0 lets the system choose a free one (printed).
    #[arg(long, default_value_t = 8765)]
    pub(crate) port: u16,
    /// Address to listen on. The default serves this machine only; 0.0.0.0 serves the
    /// network.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: std::net::IpAddr,
}

pub(crate) fn cmd_dashboard(args: DashboardArgs) -> Result<(), Failure> {
    if !built_in() {
        return Err(Failure::Other(anyhow::anyhow!(
            "this quotasim was built without the dashboard: run scripts/build-web.sh, which builds dist/, then build quotasim again (cargo build --release -p quotasim-cli); or run scripts/dashboard.sh, which does both"
        )));
    }
    serve(args.host, args.port).map_err(Failure::Other)
}
