//! The `/v1` handlers and the guard (host check, token, security headers) in front of every route.

use annalist_core::Document;
use annalist_store::Outcome;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::db::{self, By, EventQuery};
use crate::error::{rejection, ApiError};
use crate::input;
use crate::AppState;

type ApiResult<T> = Result<T, ApiError>;

/// Runs a read on a pooled connection on a blocking thread.
async fn read<T, F>(st: &AppState, f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&db::Reader) -> ApiResult<T> + Send + 'static,
{
    let st = st.clone();
    tokio::task::spawn_blocking(move || {
        let r = st.inner.readers.get()?;
        f(&r)
    })
    .await
    .map_err(|e| ApiError::internal(format!("the request failed: {e}")))?
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(t)| t).map_err(|e| rejection(e.status(), e.body_text()))
}

fn body(b: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    b.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => rejection(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body is over the server's limit (--max-body)".into(),
        ),
        s => rejection(s, e.body_text()),
    })
}

// ---- validation -------------------------------------------------------------------------------------

/// An actor code or prefix: letters and digits (RUS, RUSGOV, IGOUNO), upper-cased.
fn actor_code(v: Option<String>, name: &str) -> ApiResult<Option<String>> {
    match v.map(|s| s.trim().to_ascii_uppercase()) {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) if s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphanumeric()) => Ok(Some(s)),
        Some(s) => Err(ApiError::bad_request(format!(
            "{name} {s:?} is not an actor code (letters and digits: RUS, RUSGOV)"
        ))),
    }
}

fn required_actor(v: Option<String>, name: &str) -> ApiResult<String> {
    actor_code(v, name)?.ok_or_else(|| ApiError::bad_request(format!("{name} is required (an actor code: RUS)")))
}

fn cameo_code(v: Option<String>) -> ApiResult<Option<String>> {
    match v.map(|s| s.trim().to_string()) {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) if s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(s)),
        Some(s) => Err(ApiError::bad_request(format!(
            "code {s:?} is not a CAMEO code prefix (1 to 4 digits: 03, 036)"
        ))),
    }
}

fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    d.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn date(v: Option<String>, name: &str) -> ApiResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(d) if d.is_empty() => Ok(None),
        Some(d) if is_date(&d) => Ok(Some(d)),
        Some(d) => Err(ApiError::bad_request(format!(
            "{name} {d:?} is not a date (YYYY-MM-DD)"
        ))),
    }
}

/// A period as the timeline names it for `by`: 2019-03-04, 2019-W09, 2019-03, 2019.
fn period(by: By, p: &str) -> ApiResult<String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match by {
        By::Day => is_date(p),
        By::Week => p.len() == 8 && digits(&p[..4]) && &p[4..6] == "-W" && digits(&p[6..]),
        By::Month => p.len() == 7 && digits(&p[..4]) && &p[4..5] == "-" && digits(&p[5..]),
        By::Year => p.len() == 4 && digits(p),
    };
    if ok {
        Ok(p.to_string())
    } else {
        Err(ApiError::bad_request(format!(
            "period {p:?} does not name a {by:?} (day 2019-03-04, week 2019-W09, month 2019-03, year 2019)"
        )))
    }
}

fn limit(v: Option<usize>, default: usize, max: usize) -> ApiResult<usize> {
    match v {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!("limit {n} is out of range (1 to {max})"))),
    }
}

fn text_param(v: Option<String>, name: &str, max: usize) -> ApiResult<Option<String>> {
    match v {
        Some(s) if s.chars().count() > max => Err(ApiError::bad_request(format!(
            "{name} is too long (at most {max} characters)"
        ))),
        Some(s) if s.trim().is_empty() => Ok(None),
        s => Ok(s.map(|s| s.trim().to_string())),
    }
}

// ---- guard ------------------------------------------------------------------------------------------

/// `Host` names this machine: localhost, 127.x.x.x or [::1], with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        }
    };
    name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Compares without stopping at the first difference.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn check_token(st: &AppState, headers: &HeaderMap, what: &str) -> ApiResult<()> {
    let Some(token) = &st.inner.token else {
        return Err(ApiError::forbidden(format!(
            "{what} disabled: start the server with --token (or ANNALIST_TOKEN) and send it as `Authorization: Bearer TOKEN`"
        )));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    match given {
        None => Err(ApiError::unauthorized(format!(
            "{what} need a bearer token: `Authorization: Bearer TOKEN`"
        ))),
        Some(g) if same_token(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::unauthorized("wrong token")),
    }
}

/// Before every route: the loopback `Host` check, the token for writes (and for reads off loopback);
/// after: headers that keep browsers strict (no inline script, no framing, no sniffing).
pub async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if let Err(e) = admit(&st, &req) {
        return secure(e.into_response());
    }
    let api = req.uri().path().starts_with("/v1/");
    let mut resp = secure(next.run(req).await);
    if api {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

fn admit(st: &AppState, req: &Request) -> ApiResult<()> {
    if st.inner.loopback_host_only {
        if let Some(host) = req.headers().get(header::HOST) {
            let ok = host.to_str().is_ok_and(is_loopback_host);
            if !ok {
                return Err(ApiError::forbidden(
                    "this server listens on loopback and answers only requests for localhost",
                ));
            }
        }
    }
    let path = req.uri().path();
    if req.method() == Method::POST && path == "/v1/documents" {
        check_token(st, req.headers(), "writes")?;
    } else if st.inner.reads_need_token && path.starts_with("/v1/") {
        check_token(st, req.headers(), "requests off loopback")?;
    }
    Ok(())
}

fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such route (the API is described at /v1/openapi.json)")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: "this route does not take that method (see /v1/openapi.json)".into(),
    }
}

// ---- reads ------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct StatsOut {
    #[serde(flatten)]
    stats: annalist_store::Stats,
    version: &'static str,
    dict_version: &'static str,
}

pub async fn stats(State(st): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let stats = read(&st, |r| Ok(r.store.stats()?)).await?;
    let out = StatsOut {
        stats,
        version: annalist_pipeline::VERSION,
        dict_version: annalist_lexicon::Lexicon::embedded_version(),
    };
    Ok(Json(
        serde_json::to_value(out).map_err(|e| ApiError::internal(e.to_string()))?,
    ))
}

#[derive(Deserialize)]
pub struct DocumentsParams {
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

pub async fn documents(
    State(st): State<AppState>,
    q: Result<Query<DocumentsParams>, QueryRejection>,
) -> ApiResult<Json<db::Page<db::DocumentRow>>> {
    let q = query(q)?;
    let from = date(q.from, "from")?;
    let to = date(q.to, "to")?;
    let limit = limit(q.limit, 50, 1000)?;
    let offset = q.offset.unwrap_or(0);
    let page = read(&st, move |r| {
        db::documents(&r.conn, from.as_deref(), to.as_deref(), limit, offset)
    })
    .await?;
    Ok(Json(page))
}

pub async fn document(State(st): State<AppState>, id: Result<Path<String>, PathRejection>) -> ApiResult<Response> {
    let Path(id) = id.map_err(|e| rejection(e.status(), e.body_text()))?;
    let shown = id.clone();
    let rec = read(&st, move |r| db::document_record(&r.conn, &id)).await?;
    match rec {
        Some(json) => Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response()),
        None => Err(ApiError::not_found(format!("no document {shown:?}"))),
    }
}

#[derive(Deserialize)]
pub struct EventsParams {
    source: Option<String>,
    target: Option<String>,
    code: Option<String>,
    from: Option<String>,
    to: Option<String>,
    both_directions: Option<bool>,
    by: Option<By>,
    period: Option<String>,
    place: Option<String>,
    doc: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

pub async fn events(
    State(st): State<AppState>,
    q: Result<Query<EventsParams>, QueryRejection>,
) -> ApiResult<Json<db::Page<db::EventRow>>> {
    let q = query(q)?;
    let period = match (q.by, q.period) {
        (_, None) => None,
        (by, Some(p)) => {
            let by = by.unwrap_or(By::Month);
            Some((by, period(by, &p)?))
        }
    };
    let f = EventQuery {
        source: actor_code(q.source, "source")?,
        target: actor_code(q.target, "target")?,
        code: cameo_code(q.code)?,
        from: date(q.from, "from")?,
        to: date(q.to, "to")?,
        both_directions: q.both_directions.unwrap_or(false),
        period,
        place: text_param(q.place, "place", 200)?,
        doc: text_param(q.doc, "doc", 1000)?,
        limit: limit(q.limit, 100, 1000)?,
        offset: q.offset.unwrap_or(0),
    };
    Ok(Json(read(&st, move |r| db::events(&r.conn, &f)).await?))
}

#[derive(Deserialize)]
pub struct LimitParams {
    limit: Option<usize>,
}

pub async fn dyads(
    State(st): State<AppState>,
    q: Result<Query<LimitParams>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let n = limit(query(q)?.limit, 20, 500)?;
    let items = read(&st, move |r| db::dyads(&r.conn, n)).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
pub struct TimelineParams {
    a: Option<String>,
    b: Option<String>,
    by: Option<By>,
    directed: Option<bool>,
}

#[derive(Serialize)]
struct TimelineOut {
    a: String,
    b: String,
    by: &'static str,
    directed: bool,
    rows: Vec<annalist_store::TimelineRow>,
}

pub async fn timeline(
    State(st): State<AppState>,
    q: Result<Query<TimelineParams>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let a = required_actor(q.a, "a")?;
    let b = required_actor(q.b, "b")?;
    let by = q.by.unwrap_or(By::Month);
    let directed = q.directed.unwrap_or(false);
    let (a2, b2) = (a.clone(), b.clone());
    let rows = read(&st, move |r| Ok(r.store.timeline(&a2, &b2, by.period(), !directed)?)).await?;
    let out = TimelineOut {
        a,
        b,
        by: match by {
            By::Day => "day",
            By::Week => "week",
            By::Month => "month",
            By::Year => "year",
        },
        directed,
        rows,
    };
    Ok(Json(
        serde_json::to_value(out).map_err(|e| ApiError::internal(e.to_string()))?,
    ))
}

#[derive(Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<usize>,
}

pub async fn search(
    State(st): State<AppState>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let text =
        text_param(q.q, "q", 500)?.ok_or_else(|| ApiError::bad_request("q is required: words or \"a phrase\""))?;
    let n = limit(q.limit, 20, 200)?;
    let t = text.clone();
    let hits = read(&st, move |r| Ok(r.store.search(&t, n)?)).await?;
    Ok(Json(json!({ "query": text, "hits": hits })))
}

#[derive(Deserialize)]
pub struct QuotesParams {
    speaker: Option<String>,
    limit: Option<usize>,
}

pub async fn quotes(
    State(st): State<AppState>,
    q: Result<Query<QuotesParams>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let speaker = text_param(q.speaker, "speaker", 200)?;
    let n = limit(q.limit, 200, 1000)?;
    let items = read(&st, move |r| Ok(r.store.quotes(speaker.as_deref(), n)?)).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
pub struct ActorsParams {
    q: Option<String>,
    limit: Option<usize>,
}

pub async fn actors(
    State(st): State<AppState>,
    q: Result<Query<ActorsParams>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let text = text_param(q.q, "q", 200)?.unwrap_or_default();
    let n = limit(q.limit, 50, 1000)?;
    let items = read(&st, move |r| db::actors(&r.conn, &text, n)).await?;
    Ok(Json(json!({ "items": items })))
}

pub async fn actor(
    State(st): State<AppState>,
    code: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<db::ActorPage>> {
    let Path(code) = code.map_err(|e| rejection(e.status(), e.body_text()))?;
    let code = required_actor(Some(code), "the actor code")?;
    let shown = code.clone();
    match read(&st, move |r| db::actor(&r.conn, &code)).await? {
        Some(page) => Ok(Json(page)),
        None => Err(ApiError::not_found(format!(
            "no events or mentions of an actor coded {shown}"
        ))),
    }
}

#[derive(Deserialize)]
pub struct PlacesParams {
    actor: Option<String>,
    limit: Option<usize>,
}

pub async fn places(
    State(st): State<AppState>,
    q: Result<Query<PlacesParams>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let actor = actor_code(q.actor, "actor")?;
    let n = limit(q.limit, 500, 5000)?;
    let items = read(&st, move |r| db::places(&r.conn, actor.as_deref(), n)).await?;
    Ok(Json(json!({ "items": items })))
}

// ---- coding and ingest ------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct PostParams {
    id: Option<String>,
}

/// Items with their position in the request body.
type Numbered<T> = Vec<(usize, T)>;

#[derive(Serialize)]
struct DocError {
    index: usize,
    message: String,
}

fn posted(
    headers: &HeaderMap,
    q: Result<Query<PostParams>, QueryRejection>,
    b: Result<Bytes, BytesRejection>,
) -> ApiResult<(Numbered<Document>, Vec<DocError>)> {
    let q = query(q)?;
    let b = body(b)?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let id = text_param(q.id, "id", 1000)?;
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (index, d) in input::parse(ct, id.as_deref(), &b)?.into_iter().enumerate() {
        match d {
            Ok(d) => docs.push((index, d)),
            Err(message) => errors.push(DocError { index, message }),
        }
    }
    Ok((docs, errors))
}

/// Annotates on a blocking thread (rayon underneath). Returns, in input order, each document's index
/// and annotation; documents whose annotation failed join `errors`.
async fn annotate(
    st: &AppState,
    docs: Numbered<Document>,
    mut errors: Vec<DocError>,
) -> ApiResult<(Numbered<annalist_core::Annotated>, Vec<DocError>)> {
    let st = st.clone();
    tokio::task::spawn_blocking(move || {
        let p = st.pipeline();
        let (idx, docs): (Vec<usize>, Vec<Document>) = docs.into_iter().unzip();
        let mut out = Vec::with_capacity(docs.len());
        let mut i = 0;
        let _ = p.run(docs.into_iter().map(Ok), 64, |r| -> Result<(), ()> {
            match r {
                Ok(a) => out.push((idx[i], a)),
                Err(e) => errors.push(DocError {
                    index: idx[i],
                    message: e.to_string(),
                }),
            }
            i += 1;
            Ok(())
        });
        errors.sort_by_key(|e| e.index);
        (out, errors)
    })
    .await
    .map_err(|e| ApiError::internal(format!("coding failed: {e}")))
}

fn none_coded(errors: &[DocError]) -> ApiError {
    let first = errors.first().map(|e| e.message.as_str()).unwrap_or("no documents");
    ApiError::unprocessable(format!(
        "no document could be read ({} failed); first: {first}",
        errors.len()
    ))
}

pub async fn code(
    State(st): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PostParams>, QueryRejection>,
    b: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let (docs, errors) = posted(&headers, q, b)?;
    let (annotated, errors) = annotate(&st, docs, errors).await?;
    if annotated.is_empty() {
        return Err(none_coded(&errors));
    }
    let p = st.pipeline();
    let records: Vec<_> = annotated.iter().map(|(_, a)| p.to_output(a)).collect();
    Ok(Json(json!({ "records": records, "errors": errors })))
}

#[derive(Serialize)]
struct Stored {
    index: usize,
    id: String,
    outcome: &'static str,
    events: usize,
}

pub async fn ingest(
    State(st): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PostParams>, QueryRejection>,
    b: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let (docs, errors) = posted(&headers, q, b)?;
    let (annotated, errors) = annotate(&st, docs, errors).await?;
    if annotated.is_empty() {
        return Err(none_coded(&errors));
    }
    let st2 = st.clone();
    let stored = tokio::task::spawn_blocking(move || -> ApiResult<Vec<Stored>> {
        let p = st2.pipeline();
        let mut stored = Vec::with_capacity(annotated.len());
        let mut rest = annotated.into_iter().peekable();
        while rest.peek().is_some() {
            let chunk: Vec<_> = rest.by_ref().take(200).collect();
            let meta: Vec<(usize, String, usize)> = chunk
                .iter()
                .map(|(i, a)| (*i, a.doc.id.clone(), a.events.len()))
                .collect();
            let batch: Vec<_> = chunk
                .into_iter()
                .map(|(_, a)| {
                    let rec = p.to_output(&a);
                    (a, rec)
                })
                .collect();
            // The writer lock is held only while one batch is written; reads never take it.
            let outcomes = {
                let mut w = st2.inner.writer.lock().unwrap_or_else(|e| e.into_inner());
                w.ingest_batch(&batch)?
            };
            for ((index, id, events), o) in meta.into_iter().zip(outcomes) {
                stored.push(Stored {
                    index,
                    id,
                    outcome: match o {
                        Outcome::Inserted => "inserted",
                        Outcome::Replaced => "replaced",
                        Outcome::Unchanged => "unchanged",
                    },
                    events,
                });
            }
        }
        Ok(stored)
    })
    .await
    .map_err(|e| ApiError::internal(format!("storing failed: {e}")))??;
    let count = |o: &str| stored.iter().filter(|s| s.outcome == o).count();
    let body = json!({
        "inserted": count("inserted"),
        "replaced": count("replaced"),
        "unchanged": count("unchanged"),
        "failed": errors.len(),
        "documents": stored,
        "errors": errors,
    });
    let status = if count("inserted") + count("replaced") > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:80",
            "127.1.2.3",
            "[::1]:8080",
            "LOCALHOST",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.org",
            "evil.example:8080",
            "10.0.0.1:8080",
            "[2001:db8::1]:80",
            "localhost.evil.org",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn validation() {
        assert_eq!(
            actor_code(Some("rusgov".into()), "s").unwrap().as_deref(),
            Some("RUSGOV")
        );
        assert!(actor_code(Some("RUS%".into()), "s").is_err());
        assert!(actor_code(Some("RUS' OR 1=1 --".into()), "s").is_err());
        assert!(cameo_code(Some("0a".into())).is_err());
        assert!(date(Some("2019-3-1".into()), "from").is_err());
        assert!(period(By::Week, "2019-W09").is_ok());
        assert!(period(By::Month, "2019-W09").is_err());
        assert!(limit(Some(0), 10, 100).is_err());
        assert!(same_token(b"abc", b"abc") && !same_token(b"abc", b"abd") && !same_token(b"ab", b"abc"));
    }
}
