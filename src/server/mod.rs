//! `lotse serve`: one axum server for the JSON API (`/api/v1/…`), the web page (`/`), health
//! and the OpenAPI document.
//!
//! Layers, outermost first: request logs (tracing) → compression → optional CORS → security
//! headers → body-size limit → load shedding (a fast 503 with `Retry-After` when the
//! concurrency limit is reached, instead of a queue) → concurrency limit → per-request timeout
//! → the routes of the current atlas ([`routes`]) → the handlers. The layers wrap the routes as
//! one service, so the limits count every request of the server together (layers added to a
//! router's routes would count each route on its own).
//!
//! The accept loop ([`listen`]) cuts clients that are slow to send their headers. Shutdown is
//! graceful on SIGINT and SIGTERM: in-flight requests finish. On SIGHUP the atlas is loaded
//! again in the background while the current one keeps serving; the new one is served only
//! once it has loaded and validated completely (see [`reload_on_hangup`]).

pub mod answer;
pub mod api;
pub mod batch;
pub mod listen;
pub mod openapi;
pub mod problem;
pub mod rank_cache;
mod web;

use crate::atlas_source::AtlasArgs;
use anyhow::{Context, Result};
use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use problem::Problem;
use scoring::Ranker;
use scoring::atlas::Atlas;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;
use tower::{Service, ServiceBuilder};
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on. The default serves this machine only; use 0.0.0.0:8080 to serve a
    /// network (behind a reverse proxy with TLS).
    #[arg(long, default_value = "127.0.0.1:8080", env = "LOTSE_BIND")]
    pub bind: SocketAddr,
    /// Largest accepted request body in bytes (larger: 413).
    #[arg(long, default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,
    /// Per-request time limit in milliseconds, reading the body included (exceeded: 503).
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Time a client has to send a request's headers, in milliseconds (also the longest a
    /// kept-alive connection may sit idle); slower connections are closed.
    #[arg(long, default_value_t = 10_000)]
    pub header_timeout_ms: u64,
    /// Requests handled at once; more are answered at once with 503 and Retry-After.
    #[arg(long, default_value_t = 512)]
    pub concurrency: usize,
    /// Allow cross-origin requests from this origin (repeatable). CORS is off without it.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Memory for finished rank answers, kept by profile (MiB; 0 switches the cache off). The
    /// same profile always gets the same answer, so repeated questions (the page's defaults, a
    /// language switch) are answered from memory.
    #[arg(long, default_value_t = 64, env = "LOTSE_RANK_CACHE_MB")]
    pub rank_cache_mb: u64,
    /// Log requests as JSON lines instead of text.
    #[arg(long)]
    pub log_json: bool,
    #[command(flatten)]
    pub atlas: AtlasArgs,
}

impl Default for ServeArgs {
    /// The command line's defaults (for tests and embedding).
    fn default() -> Self {
        ServeArgs {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 64 * 1024,
            timeout_ms: 10_000,
            header_timeout_ms: 10_000,
            concurrency: 512,
            cors_origins: Vec::new(),
            rank_cache_mb: 64,
            log_json: false,
            atlas: AtlasArgs::default(),
        }
    }
}

/// What every handler reads. The atlas lives as long as the process (leaked once at start), so
/// the ranker can borrow it without reference counting on the hot path.
pub struct AppState {
    pub atlas: &'static Atlas,
    pub ranker: Ranker<'static>,
    pub boundaries: Option<String>,
    /// `GET /api/v1/municipalities`, serialised once.
    pub municipalities_json: axum::body::Bytes,
    /// Finished answers of `POST /api/v1/rank` for this atlas.
    pub rank_cache: rank_cache::RankCache,
    /// `GET /api/v1/municipalities/{ags}` per municipality, [English, German], made on first
    /// request (about 70 kB each).
    pub details: Vec<[std::sync::OnceLock<std::sync::Arc<answer::Answer>>; 2]>,
}

impl AppState {
    /// The state for one atlas, with a rank cache of the command line's default size.
    pub fn new(atlas: Atlas, boundaries: Option<String>) -> Result<Self> {
        let atlas: &'static Atlas = Box::leak(Box::new(atlas));
        let ranker = Ranker::new(atlas).context("the atlas cannot be ranked")?;
        let municipalities_json = serde_json::to_vec(&api::municipality_list(atlas))?.into();
        Ok(AppState {
            atlas,
            ranker,
            boundaries,
            municipalities_json,
            rank_cache: rank_cache::RankCache::new(ServeArgs::default().rank_cache_mb << 20),
            details: atlas
                .municipalities
                .iter()
                .map(|_| Default::default())
                .collect(),
        })
    }

    /// Replaces the rank cache by one of `bytes` (0: no cache).
    pub fn with_rank_cache(mut self, bytes: u64) -> Self {
        self.rank_cache = rank_cache::RankCache::new(bytes);
        self
    }
}

/// The whole application for one atlas (also used by the tests, without a socket).
pub fn router(state: AppState, args: &ServeArgs) -> Router {
    around(routes(state), args)
}

/// The routes of one atlas: every handler with its state, and the fallbacks.
pub fn routes(state: AppState) -> Router {
    let state = std::sync::Arc::new(state);
    api::routes()
        .merge(batch::routes())
        .merge(web::routes())
        .merge(openapi::routes())
        .fallback(|| async { Problem::not_found("no such resource") })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "Method Not Allowed",
                "this resource does not accept that method",
            )
        })
        .with_state(state)
}

/// Every layer of the server around `inner` (the routes, or [`listen::Current`] for an atlas
/// that can be swapped), as one service: one concurrency limit for the whole server.
pub fn around<S>(inner: S, args: &ServeArgs) -> Router
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Future: Send + 'static,
{
    let mut app = Router::new()
        .fallback_service(inner)
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(args.concurrency)
                .timeout(Duration::from_millis(args.timeout_ms)),
        )
        .layer(DefaultBodyLimit::max(args.max_body_bytes))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            ),
        ));
    if !args.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = args
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        app = app.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([header::CONTENT_TYPE]),
        );
    }
    // gzip when the client asks for it (the browser does; load tools by default do not).
    app.layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Runs CPU-heavy work (a ranking that is not cached, a batch, gzip) on rayon's pool, one
/// thread per core, and waits for it without blocking an async worker.
///
/// Why: a handler that computes on the async worker never yields, so requests queue unseen in
/// the runtime instead of counting towards `--concurrency`, and the load shedding cannot
/// answer the surplus with a fast 503. Waiting here, a request holds its concurrency slot while
/// it is queued for the pool, and the async workers stay free for health checks, cached
/// answers and the 503s.
pub(crate) async fn on_cpu_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Problem> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        let _ = tx.send(work());
    });
    // A panic in `work` drops the sender.
    rx.await.map_err(|_| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "the answer could not be computed",
        )
    })
}

/// Maps the errors of the load-shed and timeout layers to problems.
async fn overloaded(err: tower::BoxError) -> Problem {
    if err.is::<tower::load_shed::error::Overloaded>() {
        let mut p = Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
            "the server is at its concurrency limit; retry shortly",
        );
        p.retry_after = Some(1);
        p
    } else if err.is::<tower::timeout::error::Elapsed>() {
        let mut p = Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
            "the request took longer than the server's time limit",
        );
        p.retry_after = Some(1);
        p
    } else {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "unexpected error",
        )
    }
}

/// Runs the server until SIGINT or SIGTERM.
pub fn run(args: ServeArgs) -> Result<std::process::ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    if args.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
    let loaded = args.atlas.load()?;
    let cache_bytes = args.rank_cache_mb.saturating_mul(1 << 20);
    let state = AppState::new(loaded.atlas, loaded.boundaries)?.with_rank_cache(cache_bytes);
    tracing::info!(
        municipalities = state.atlas.municipalities.len(),
        indicators = state.atlas.indicators.len(),
        atlas = %loaded.origin,
        "atlas loaded"
    );
    let (current, swap) = listen::Current::new(routes(state));
    let app = around(current, &args);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        let addr = listener.local_addr()?;
        println!(
            "lotse is serving on http://{addr}/  (API: http://{addr}/api/v1/, stop with Ctrl-C)"
        );
        tokio::spawn(reload_on_hangup(args.atlas.clone(), cache_bytes, swap));
        listen::serve(
            listener,
            app,
            Duration::from_millis(args.header_timeout_ms),
            shutdown_signal(),
        )
        .await;
        anyhow::Ok(())
    })?;
    tracing::info!("shut down");
    Ok(std::process::ExitCode::SUCCESS)
}

/// On SIGHUP, loads the atlas again the way the server started (the `--atlas` file read
/// anew, the `--data-dir` checked and rebuilt if its files changed, or the bundled one) on a
/// blocking thread, while the current atlas keeps serving. Only an atlas that loaded, passed
/// its checks and can be ranked replaces the current one; otherwise the error is logged and
/// nothing changes. Requests in flight finish on the atlas they started with. The replaced
/// atlas stays in memory (the ranker borrows it for the process lifetime), so each reload
/// costs the size of one atlas (about 15 MB for Saxony).
async fn reload_on_hangup(
    atlas: AtlasArgs,
    cache_bytes: u64,
    swap: tokio::sync::watch::Sender<Router>,
) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            return;
        };
        while hangup.recv().await.is_some() {
            tracing::info!("SIGHUP: loading the atlas again; the current one keeps serving");
            let atlas = atlas.clone();
            let loaded = tokio::task::spawn_blocking(move || -> Result<(AppState, String)> {
                let l = atlas.load()?;
                let state = AppState::new(l.atlas, l.boundaries)?.with_rank_cache(cache_bytes);
                Ok((state, l.origin))
            })
            .await;
            match loaded {
                Ok(Ok((state, origin))) => {
                    let (n, hash) = (
                        state.atlas.municipalities.len(),
                        state.atlas.input_hash.clone(),
                    );
                    drop(swap.send_replace(routes(state)));
                    tracing::info!(municipalities = n, input_hash = %hash, atlas = %origin, "serving the reloaded atlas");
                }
                Ok(Err(e)) => tracing::error!(
                    error = format!("{e:#}"),
                    "the reloaded atlas is not usable; still serving the previous one"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "reloading failed; still serving the previous one")
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (atlas, cache_bytes, swap);
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
