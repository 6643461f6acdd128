//! Request counts and latency histograms by method, route template and status, rendered in the
//! Prometheus text format at `/metrics`.
//!
//! Hand-rolled rather than the `metrics` + `metrics-exporter-prometheus` crates: those install
//! one process-wide recorder, which fights with tests that start many apps in one process, and
//! bring a dozen crates for what is one counter and one histogram family here. Labels are route
//! templates (`/cases/{id}`), never raw paths, so the series count is bounded by the router.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::Web;

/// Histogram bucket upper bounds in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    /// Per bucket, non-cumulative; cumulated when rendered.
    buckets: [u64; BUCKETS.len()],
}

type Key = (String, String, u16);

/// The registry for one router.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<Key, Series>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let s = series
            .entry((method.to_string(), route.to_string(), status))
            .or_default();
        s.count += 1;
        s.sum += secs;
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            s.buckets[i] += 1;
        }
    }

    /// The Prometheus text exposition of every series.
    pub fn render(&self) -> String {
        let series = self
            .series
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let mut out = String::new();
        out.push_str(
            "# HELP rrm_http_requests_total HTTP requests by method, route template and status.\n",
        );
        out.push_str("# TYPE rrm_http_requests_total counter\n");
        for ((method, route, status), s) in &series {
            let labels = labels(method, route, *status);
            let _ = writeln!(out, "rrm_http_requests_total{{{labels}}} {}", s.count);
        }
        out.push_str(
            "# HELP rrm_http_request_duration_seconds Time to produce the response head.\n",
        );
        out.push_str("# TYPE rrm_http_request_duration_seconds histogram\n");
        for ((method, route, status), s) in &series {
            let labels = labels(method, route, *status);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(s.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "rrm_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let name = "rrm_http_request_duration_seconds";
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", s.count);
        }
        out
    }
}

fn labels(method: &str, route: &str, status: u16) -> String {
    format!(
        "method=\"{}\",route=\"{}\",status=\"{status}\"",
        escape(method),
        escape(route)
    )
}

/// Label values escape backslash, quote and newline (Prometheus text format).
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The route template of a request: the matched path, or `unmatched` for requests no route
/// took. Never the raw path, which could carry anything a client typed.
pub fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into())
}

/// Middleware recording every response.
pub async fn record(State(web): State<Web>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_string();
    let route = route_of(&request);
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    web.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("GET", "/cases/{id}", 200, Duration::from_micros(800));
        m.observe("GET", "/cases/{id}", 200, Duration::from_millis(30));
        m.observe("GET", "/cases/{id}", 404, Duration::from_secs(2));
        let text = m.render();
        let l = r#"method="GET",route="/cases/{id}",status="200""#;
        assert!(text.contains(&format!("rrm_http_requests_total{{{l}}} 2")));
        assert!(text.contains(&format!(
            "rrm_http_request_duration_seconds_bucket{{{l},le=\"0.001\"}} 1"
        )));
        assert!(text.contains(&format!(
            "rrm_http_request_duration_seconds_bucket{{{l},le=\"0.05\"}} 2"
        )));
        let l404 = r#"method="GET",route="/cases/{id}",status="404""#;
        assert!(text.contains(&format!(
            "rrm_http_request_duration_seconds_bucket{{{l404},le=\"1\"}} 0"
        )));
        assert!(text.contains(&format!(
            "rrm_http_request_duration_seconds_bucket{{{l404},le=\"+Inf\"}} 1"
        )));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
