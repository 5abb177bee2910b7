//! `lotse serve`: one axum server for the JSON API (`/api/v1/…`), the web page (`/`), health
//! and the OpenAPI document.
//!
//! Layers, outermost first: request logs (tracing) → compression → optional CORS → security
//! headers → body-size limit → concurrency limit ([`Limits`]: a fast 503 with `Retry-After`
//! when every slot is taken, instead of a queue) → per-request timeout → the routes of the
//! current atlas ([`routes`]) → the handlers. The layers wrap the routes as one service, so the
//! limits count every request of the server together (layers added to a router's routes would
//! count each route on its own).
//!
//! A request's slot ([`Slot`]) is held by the request *and* by any work it queued on the CPU
//! pool ([`on_cpu_pool`]), so a request that timed out keeps its slot until its queued work has
//! been skipped: the limit counts queued work, and an overloaded server answers 503 at once
//! instead of piling up work and bodies. `POST /api/v1/batch` also needs one of
//! `--batch-concurrency` batch slots.
//!
//! The accept loop ([`listen`]) cuts clients that are slow to send their headers. Shutdown is
//! graceful on SIGINT and SIGTERM: in-flight requests finish. On SIGHUP the atlas is loaded
//! again in the background while the current one keeps serving; the new one is served only
//! once it has loaded and validated completely (see [`reload_on_hangup`]).

pub mod answer;
pub mod api;
pub mod batch;
pub mod extract;
mod heap;
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
use axum::response::{IntoResponse, Response};
use problem::Problem;
use scoring::Ranker;
use scoring::atlas::Atlas;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
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
    /// Requests handled at once; more are answered at once with 503 and Retry-After. A request
    /// keeps its slot until work it queued on the CPU pool has finished or been dropped.
    #[arg(long, default_value_t = 512)]
    pub concurrency: usize,
    /// `POST /api/v1/batch` requests handled at once (each holds up to a 2 MiB body and its
    /// answer); more are answered at once with 503 and Retry-After. Bounds the batch route's
    /// memory: see README, "Limits and memory".
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub batch_concurrency: u32,
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
            batch_concurrency: 2,
            cors_origins: Vec::new(),
            rank_cache_mb: 64,
            log_json: false,
            atlas: AtlasArgs::default(),
        }
    }
}

self_cell::self_cell!(
    /// An atlas and the ranker that borrows it, owned together: both are freed when the last
    /// [`AppState`] holding them goes (an atlas swapped out by SIGHUP, once its last request
    /// has ended).
    struct Ranked {
        owner: Arc<Atlas>,
        #[covariant]
        dependent: Ranker,
    }
);

/// What every handler reads: one atlas, its ranker and the answers made from them. Shared by
/// the requests on this atlas (`Arc<AppState>`); freed with the last of them after a swap.
pub struct AppState {
    ranked: Ranked,
    /// `GET /api/v1/boundaries` with its gzip form, made once.
    pub boundaries: Option<Arc<answer::Answer>>,
    /// `GET /api/v1/municipalities`, serialised once.
    pub municipalities_json: axum::body::Bytes,
    /// Finished answers of `POST /api/v1/rank` for this atlas.
    pub rank_cache: rank_cache::RankCache,
    /// `GET /api/v1/municipalities/{ags}` per municipality, [English, German], made on first
    /// request (about 70 kB each).
    pub details: Vec<[std::sync::OnceLock<std::sync::Arc<answer::Answer>>; 2]>,
}

impl AppState {
    /// The state for one atlas, with a rank cache of the command line's default size. The
    /// boundaries are compressed here, once.
    pub fn new(atlas: Atlas, boundaries: Option<String>) -> Result<Self> {
        let ranked = Ranked::try_new(Arc::new(atlas), |a| Ranker::new(a))
            .context("the atlas cannot be ranked")?;
        let atlas = ranked.borrow_owner();
        let municipalities_json = serde_json::to_vec(&api::municipality_list(atlas))?.into();
        let details = atlas
            .municipalities
            .iter()
            .map(|_| Default::default())
            .collect();
        Ok(AppState {
            boundaries: boundaries
                .map(|b| answer::Answer::made_once(b.into(), "application/geo+json")),
            municipalities_json,
            rank_cache: rank_cache::RankCache::new(ServeArgs::default().rank_cache_mb << 20),
            details,
            ranked,
        })
    }

    /// The atlas served.
    pub fn atlas(&self) -> &Atlas {
        self.ranked.borrow_owner()
    }

    /// The atlas, shared (e.g. to see when it is freed).
    pub fn atlas_arc(&self) -> &Arc<Atlas> {
        self.ranked.borrow_owner()
    }

    /// The ranker over [`Self::atlas`].
    pub fn ranker(&self) -> &Ranker<'_> {
        self.ranked.borrow_dependent()
    }

    /// Row of the municipality with the AGS `ags`, or a 404 problem naming `ags`.
    pub fn town(&self, ags: &str) -> Result<usize, Problem> {
        self.atlas().index_of(ags).ok_or_else(|| {
            Problem::not_found(format!(
                "no municipality with AGS {ags:?} (8 digits, e.g. 14612000)"
            ))
            .with_field("ags", "an AGS from /api/v1/municipalities")
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
    let state = Arc::new(state);
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
    let limits = Limits::new(args);
    let mut app = Router::new()
        .fallback_service(inner)
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(timed_out))
                .timeout(Duration::from_millis(args.timeout_ms)),
        )
        .layer(axum::middleware::from_fn(move |req, next| {
            limits.clone().admit(req, next)
        }))
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

/// The server's concurrency limits, shared by every atlas it serves (a swap keeps them).
#[derive(Clone)]
pub struct Limits {
    /// `--concurrency`: every request.
    all: Arc<Semaphore>,
    /// `--batch-concurrency`: `POST /api/v1/batch` on top.
    batch: Arc<Semaphore>,
}

impl Limits {
    pub fn new(args: &ServeArgs) -> Self {
        Limits {
            all: Arc::new(Semaphore::new(args.concurrency.max(1))),
            batch: Arc::new(Semaphore::new(args.batch_concurrency.max(1) as usize)),
        }
    }

    /// Lets a request in if a slot is free (the slot goes with it as a request extension),
    /// else answers 503 at once.
    async fn admit(self, mut req: Request, next: axum::middleware::Next) -> Response {
        let Ok(permit) = self.all.clone().try_acquire_owned() else {
            return unavailable("the server is at its concurrency limit; retry shortly")
                .into_response();
        };
        let slot = Slot {
            _permit: Arc::new(permit),
            batch: self.batch,
        };
        req.extensions_mut().insert(slot.clone());
        let res = next.run(req).await;
        drop(slot);
        res
    }
}

/// A request's slot in `--concurrency`. Clones share it; the slot is free again when the last
/// clone is gone: the request's own, and those moved into its work on the CPU pool.
#[derive(Clone)]
pub struct Slot {
    _permit: Arc<OwnedSemaphorePermit>,
    batch: Arc<Semaphore>,
}

impl Slot {
    /// One of the `--batch-concurrency` batch slots, if one is free.
    pub fn batch_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.batch.clone().try_acquire_owned().ok()
    }
}

/// A 503 with `Retry-After: 1`.
pub(crate) fn unavailable(detail: impl Into<String>) -> Problem {
    let mut p = Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "Service Unavailable",
        detail,
    );
    p.retry_after = Some(1);
    p
}

/// Whether the request that queued some work still waits for its answer. Work that takes long
/// (a batch) asks between its parts and stops early when nobody waits any more.
pub struct Wanted<'a>(&'a (dyn Fn() -> bool + Sync));

impl Wanted<'_> {
    pub fn still(&self) -> bool {
        (self.0)()
    }
}

/// Runs CPU-heavy work (a ranking that is not cached, a batch, gzip) on rayon's pool, one
/// thread per core, and waits for it without blocking an async worker.
///
/// Why: a handler that computes on the async worker never yields, so requests queue unseen in
/// the runtime instead of counting towards `--concurrency`, and the limit cannot answer the
/// surplus with a fast 503. Waiting here, the async workers stay free for health checks,
/// cached answers and the 503s.
///
/// `hold` (the request's [`Slot`], a batch slot) stays with the queued work until it has run
/// or been skipped: a request that timed out still counts against the limits while its work
/// waits in the queue. Work whose request is gone by the time a thread takes it up (timed
/// out, client disconnected: the future awaiting it was dropped) is skipped, and with it
/// everything it owns (a request body) is dropped.
pub async fn on_cpu_pool<T: Send + 'static, H: Send + 'static>(
    hold: H,
    work: impl FnOnce(&Wanted) -> T + Send + 'static,
) -> Result<T, Problem> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        if tx.is_closed() {
            drop((work, hold));
            tracing::debug!("skipped queued work: its request is gone");
            return;
        }
        let wanted = || !tx.is_closed();
        let out = work(&Wanted(&wanted));
        // Free the slots before the answer is sent: once it has arrived, the request may end
        // and the next one expects its slot back.
        drop(hold);
        let _ = tx.send(out);
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

/// Maps the errors of the timeout layer to problems.
async fn timed_out(err: tower::BoxError) -> Problem {
    if err.is::<tower::timeout::error::Elapsed>() {
        unavailable("the request took longer than the server's time limit")
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
    heap::fix_mmap_threshold();
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
        municipalities = state.atlas().municipalities.len(),
        indicators = state.atlas().indicators.len(),
        atlas = %loaded.origin,
        "atlas loaded"
    );
    let serving = Arc::downgrade(state.atlas_arc());
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
        tokio::spawn(reload_on_hangup(
            args.atlas.clone(),
            cache_bytes,
            swap,
            serving,
        ));
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
/// anew, the `--data-dir` checked and rebuilt if its files changed, or the bundled one) on the
/// [`AtlasLoader`]'s thread, while the current atlas keeps serving. Only an atlas that loaded,
/// passed its checks and can be ranked replaces the current one; otherwise the error is logged
/// and nothing changes. Requests in flight finish on the atlas they started with; the replaced
/// atlas is freed when the last of them (and the work they queued) has ended.
async fn reload_on_hangup(
    atlas: AtlasArgs,
    cache_bytes: u64,
    swap: tokio::sync::watch::Sender<Router>,
    mut serving: std::sync::Weak<Atlas>,
) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            return;
        };
        let loader = match AtlasLoader::start(atlas, cache_bytes) {
            Ok(loader) => loader,
            Err(e) => {
                tracing::error!(error = %e, "cannot start the atlas loader; SIGHUP will not reload");
                return;
            }
        };
        while hangup.recv().await.is_some() {
            tracing::info!("SIGHUP: loading the atlas again; the current one keeps serving");
            match loader.load().await {
                Ok((state, origin)) => {
                    let (n, hash) = (
                        state.atlas().municipalities.len(),
                        state.atlas().input_hash.clone(),
                    );
                    let replaced =
                        std::mem::replace(&mut serving, Arc::downgrade(state.atlas_arc()));
                    drop(swap.send_replace(routes(state)));
                    tracing::info!(municipalities = n, input_hash = %hash, atlas = %origin, "serving the reloaded atlas");
                    tokio::spawn(give_back_once_freed(replaced));
                }
                Err(e) => tracing::error!(
                    error = format!("{e:#}"),
                    "the reloaded atlas is not usable; still serving the previous one"
                ),
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (atlas, cache_bytes, swap, serving);
    }
}

/// One thread, for the server's lifetime, that loads every reloaded atlas and builds its
/// state. Why one thread: glibc gives each new thread a malloc arena of its own (up to 8 per
/// core), and a blocking pool hands reloads to whichever thread is free, so copies of the
/// atlas came to live in several arenas, each keeping its own fragments: resident memory over
/// 50 reloads grew 7–8 % instead of 4–5 % ([`heap`] has the measurements).
#[cfg(unix)]
struct AtlasLoader {
    jobs: std::sync::mpsc::Sender<tokio::sync::oneshot::Sender<Result<(AppState, String)>>>,
}

#[cfg(unix)]
impl AtlasLoader {
    /// Starts the thread; it ends when the loader is dropped.
    fn start(atlas: AtlasArgs, cache_bytes: u64) -> std::io::Result<Self> {
        let (jobs, queue) =
            std::sync::mpsc::channel::<tokio::sync::oneshot::Sender<Result<(AppState, String)>>>();
        std::thread::Builder::new()
            .name("atlas-loader".into())
            .spawn(move || {
                for reply in queue {
                    let loaded = atlas.load().and_then(|l| {
                        let state =
                            AppState::new(l.atlas, l.boundaries)?.with_rank_cache(cache_bytes);
                        Ok((state, l.origin))
                    });
                    // The reload was given up (shutdown) if no one listens: nothing to do.
                    let _ = reply.send(loaded);
                }
            })?;
        Ok(AtlasLoader { jobs })
    }

    /// Loads the atlas and builds its state on the loader's thread.
    async fn load(&self) -> Result<(AppState, String)> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(reply)
            .map_err(|_| anyhow::anyhow!("the atlas loader has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the atlas loader stopped while loading"))?
    }
}

/// Once the replaced atlas has been freed (at the swap, or with the last request still using
/// it), returns the heap's free pages to the system: see [`heap`] for why and what it saves.
async fn give_back_once_freed(replaced: std::sync::Weak<Atlas>) {
    // Requests end within `--timeout-ms`; this only waits for them.
    let started = std::time::Instant::now();
    while replaced.strong_count() > 0 {
        if started.elapsed() > Duration::from_secs(600) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = tokio::task::spawn_blocking(heap::give_back_free_pages).await;
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
