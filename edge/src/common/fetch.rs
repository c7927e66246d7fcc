//! Subrequests with a deadline: a hub or module that does not answer must not hold the request
//! that asked it (workerd would otherwise wait for as long as the peer keeps the connection).

use std::time::Duration;

use futures_util::future::Either;
use worker::{AbortController, Delay, Fetch, Request, Response};

/// Sends `req` and returns the response, or `None` when it fails or has not answered within
/// `timeout_ms` (the subrequest is then aborted).
pub async fn with_timeout(req: Request, timeout_ms: u64) -> Option<Response> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = async { Fetch::Request(req).send_with_signal(&signal).await.ok() };
    let timeout = Delay::from(Duration::from_millis(timeout_ms));
    futures_util::pin_mut!(fetch);
    match futures_util::future::select(fetch, timeout).await {
        Either::Left((resp, _)) => resp,
        Either::Right(_) => {
            controller.abort();
            None
        }
    }
}
