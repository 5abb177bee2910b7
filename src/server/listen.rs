//! The accept loop of `lotse serve`: one HTTP/1.1 connection task per client, a time limit on
//! reading request headers, graceful shutdown, and an atlas that can be swapped while serving.
//!
//! Why not `axum::serve`: it sets no header-read timeout, so a client that sends one byte a
//! second keeps its connection (and its memory) forever. Here hyper cuts a connection whose
//! request headers are not complete within `--header-timeout-ms`, also between two requests
//! of a kept-alive connection. A slow *body* is cut by the per-request timeout of
//! [`super::router`], which includes reading the body. Neither holds a worker thread while it
//! waits: connections are tasks, and only a complete request reaches a handler.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::future::Future;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::{Service, ServiceExt};

/// How long shutdown waits for open connections to finish their request.
const DRAIN: Duration = Duration::from_secs(20);

/// Serves `app` on `listener` until `shutdown` completes, then lets in-flight requests finish
/// (at most [`DRAIN`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // Small answers go out at once instead of waiting for a delayed ACK.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(
            app.clone()
                .map_request(|req: hyper::Request<Incoming>| req.map(Body::new)),
        );
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(DRAIN) => {
            tracing::warn!("connections still open after {DRAIN:?}; stopping anyway");
        }
    }
}

/// The routes of the atlas currently served. Each request goes to the routes current when it
/// arrives; a request in flight finishes on the atlas it started with.
#[derive(Clone)]
pub struct Current(watch::Receiver<Router>);

impl Current {
    /// A swappable service starting with `routes`, and the handle that swaps it.
    pub fn new(routes: Router) -> (Self, watch::Sender<Router>) {
        let (tx, rx) = watch::channel(routes);
        (Current(rx), tx)
    }
}

impl Service<Request> for Current {
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future = tower::util::Oneshot<Router, Request>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let routes = self.0.borrow().clone();
        routes.oneshot(req)
    }
}
