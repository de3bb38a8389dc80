//! Toponyms and their coordinates scored against GeoWebNews.
//!
//! Layout: `brat/N.txt` (first line `TITLE: … LINK: …`, then the article) and `brat/N.ann`
//! (`T# <Type> start end<TAB>text`, character offsets; `#N<TAB>AnnotatorNotes T#<TAB><geonameid>` or
//! `<lat>, <lon>`), and `GWN.xml`, which repeats the toponyms with latitude and longitude, offsets
//! counted from the article text without the title line.
//!
//! What counts as a toponym follows the GeoWebNews taxonomy (Gritta et al., "A Pragmatic Guide to
//! Geoparsing Evaluation"): the literal types (`Literal`, `Literal_Modifier`, `Mixed`, `Coercion`,
//! `Embedded_Literal`) and the associative ones (`Metonymic`, `Demonym`, `Language`,
//! `Non_Literal_Modifier`, `Embedded_Non_Lit`, `Homonym`). `Non_Toponym`, `Literal_Expression` ("the
//! city") and `Non_Lit_Expression` are annotated but are not toponyms: predicting them is a false
//! positive. A span annotated twice (`Coercion` and `Non_Toponym`) counts with its toponym type.
//!
//! annalist's toponyms are the mention spans of its places. They are matched to gold exactly and by
//! overlap (one to one, largest overlap first). Recall is also given per type, and a `literal` score
//! counts only literal gold (predictions on associative toponyms are neither right nor wrong). For
//! overlap-matched toponyms with gold coordinates: the share whose predicted point lies within 161 km
//! (100 miles; a missing point is a miss) and the median error in km (great-circle distance).
//!
//! ```
//! use annalist_eval::geo::{parse_ann, score_doc, summarize, PredToponym};
//! let text = "TITLE: Flood LINK: x\nRain hit Lisbon.";
//! let gold = parse_ann("T1\tLiteral 30 36\tLisbon\n#1\tAnnotatorNotes T1\t38.72, -9.14\n", text, None).unwrap();
//! let pred = [PredToponym { span: gold.toponyms[0].span, geonameid: None, coord: Some((38.7, -9.1)) }];
//! let r = summarize(&score_doc(&gold.toponyms, &pred), 1);
//! assert_eq!(r.exact.f1, 1.0);
//! assert_eq!(r.geocoding.acc161, 1.0);
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use annalist_core::{Annotated, Document, Region, RegionKind, Span};
use annalist_pipeline::Pipeline;
use serde::Serialize;

use crate::polnear::{is_annotation, parse_text_bound, CharOffsets};
use crate::report::{
    annotate_in_order, greedy_match, overlap_len, ratio, read_to_string, score, Counts, EvalError, Metric, Prf, Scored,
    Table,
};

/// Radius for "close enough" geocoding: 161 km, i.e. 100 miles.
pub const ACC_KM: f64 = 161.0;

/// Where a GeoWebNews type stands in the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ToponymClass {
    /// The place itself (its land, its people as residents, its streets).
    Literal,
    /// Something associated with the place (its government, its team, its language).
    Associative,
    /// Annotated, but not a toponym.
    NotToponym,
}

/// The class of a GeoWebNews annotation type.
pub fn class_of(kind: &str) -> ToponymClass {
    match kind {
        "Literal" | "Literal_Modifier" | "Mixed" | "Coercion" | "Embedded_Literal" => ToponymClass::Literal,
        "Metonymic" | "Demonym" | "Language" | "Non_Literal_Modifier" | "Embedded_Non_Lit" | "Homonym" => {
            ToponymClass::Associative
        }
        _ => ToponymClass::NotToponym,
    }
}

/// A gold toponym as a byte span of the brat text.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldToponym {
    pub span: Span,
    pub kind: String,
    pub class: ToponymClass,
    pub geonameid: Option<u64>,
    /// `(lat, lon)` in degrees.
    pub coord: Option<(f64, f64)>,
}

/// The gold annotations of one article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GoldGeo {
    /// Toponyms (one per span) in text order.
    pub toponyms: Vec<GoldToponym>,
    /// Annotated spans that are not toponyms.
    pub not_toponyms: usize,
    /// Annotations whose offsets fall outside the text (left out).
    pub bad_offsets: usize,
}

/// A toponym of `GWN.xml`: character span of the article text without the title line (negative for the
/// few toponyms of the title line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XmlToponym {
    pub start: i64,
    pub end: i64,
    pub geonameid: Option<u64>,
    pub coord: Option<(f64, f64)>,
}

/// A line that does not parse, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Reads one brat `.ann` against its text; `xml` (the article's `GWN.xml` toponyms) supplies coordinates
/// that the notes do not give.
pub fn parse_ann(ann: &str, text: &str, xml: Option<&[XmlToponym]>) -> Result<GoldGeo, ParseError> {
    let offsets = CharOffsets::new(text);
    // The XML counts from the line after `TITLE: … LINK: …`.
    let delta = text.find('\n').map_or(0, |i| text[..i].chars().count() as i64 + 1);
    let xml_at: HashMap<(i64, i64), &XmlToponym> = xml
        .unwrap_or_default()
        .iter()
        .map(|t| ((t.start + delta, t.end + delta), t))
        .collect();
    let mut notes: HashMap<&str, &str> = HashMap::new();
    for line in ann.lines().filter(|l| is_annotation(l, '#')) {
        let mut cols = line.splitn(3, '\t');
        let (_, what, note) = (cols.next(), cols.next().unwrap_or(""), cols.next().unwrap_or(""));
        if let Some(("AnnotatorNotes", id)) = what.split_once(' ') {
            notes.insert(id, note.trim());
        }
    }
    let mut out = GoldGeo::default();
    let mut by_span: BTreeMap<Span, GoldToponym> = BTreeMap::new();
    let mut other_spans: HashSet<Span> = HashSet::new();
    for (i, line) in ann.lines().enumerate() {
        if !is_annotation(line, 'T') {
            continue;
        }
        let tb = parse_text_bound(line).ok_or_else(|| ParseError {
            line: i + 1,
            message: format!("malformed text-bound annotation {line:?}"),
        })?;
        let (Some(first), Some(last)) = (tb.fragments.first(), tb.fragments.last()) else {
            continue;
        };
        let (cs, ce) = (first.0, last.1);
        let Some(span) = offsets.span(cs, ce) else {
            out.bad_offsets += 1;
            continue;
        };
        let class = class_of(&tb.kind);
        if class == ToponymClass::NotToponym {
            other_spans.insert(span);
            continue;
        }
        if by_span.contains_key(&span) {
            continue;
        }
        let (mut geonameid, mut coord) = (None, None);
        if let Some(note) = notes.get(tb.id.as_str()) {
            if let Ok(id) = note.parse::<u64>() {
                geonameid = Some(id);
            } else {
                coord = parse_coord(note);
            }
        }
        if let Some(x) = xml_at.get(&(cs as i64, ce as i64)) {
            geonameid = geonameid.or(x.geonameid);
            coord = coord.or(x.coord);
        }
        by_span.insert(
            span,
            GoldToponym {
                span,
                kind: tb.kind,
                class,
                geonameid,
                coord,
            },
        );
    }
    out.not_toponyms = other_spans.iter().filter(|s| !by_span.contains_key(s)).count();
    out.toponyms = by_span.into_values().collect();
    Ok(out)
}

/// `"29.95, -90.07"` as `(lat, lon)`.
fn parse_coord(s: &str) -> Option<(f64, f64)> {
    let (lat, lon) = s.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// The toponyms of `GWN.xml` by article (`file` attribute). A small scanner for the file's fixed layout
/// (`<article file="N">`, `<toponym>` with `<start>`, `<end>`, `<geonamesID>`, `<latitude>`,
/// `<longitude>`), not a general XML parser.
pub fn parse_gwn_xml(xml: &str) -> Result<HashMap<String, Vec<XmlToponym>>, ParseError> {
    let line_of = |pos: usize| xml[..pos].matches('\n').count() + 1;
    let mut out = HashMap::new();
    let mut rest = 0;
    while let Some(i) = xml[rest..].find("<article ") {
        let at = rest + i;
        let end = xml[at..].find("</article>").map_or(xml.len(), |e| at + e);
        let body = &xml[at..end];
        let file = body
            .split_once("file=\"")
            .and_then(|(_, r)| r.split_once('"'))
            .map(|(f, _)| f.to_string())
            .ok_or_else(|| ParseError {
                line: line_of(at),
                message: "article without a file attribute".into(),
            })?;
        let mut toponyms = Vec::new();
        let mut pos = 0;
        while let Some(j) = body[pos..].find("<toponym>") {
            let t_at = pos + j;
            let t_end = body[t_at..].find("</toponym>").map_or(body.len(), |e| t_at + e);
            let t = &body[t_at..t_end];
            let num = |name: &str| element(t, name).and_then(|v| v.parse::<f64>().ok());
            let (Some(start), Some(stop)) = (element(t, "start"), element(t, "end")) else {
                return Err(ParseError {
                    line: line_of(at + t_at),
                    message: "toponym without start/end".into(),
                });
            };
            let bad = |_| ParseError {
                line: line_of(at + t_at),
                message: "toponym offset is not a number".into(),
            };
            toponyms.push(XmlToponym {
                start: start.parse().map_err(bad)?,
                end: stop.parse().map_err(bad)?,
                geonameid: element(t, "geonamesID").and_then(|v| v.parse().ok()),
                coord: num("latitude").zip(num("longitude")),
            });
            pos = t_end;
        }
        out.insert(file, toponyms);
        rest = end;
    }
    Ok(out)
}

/// The trimmed text of `<name>…</name>` in `s`; `None` when absent, empty or self-closing.
fn element<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = s.find(&open)? + open.len();
    let end = start + s[start..].find(&format!("</{name}>"))?;
    Some(s[start..end].trim()).filter(|v| !v.is_empty())
}

/// A predicted toponym: one mention of one of annalist's places.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PredToponym {
    pub span: Span,
    pub geonameid: Option<u64>,
    pub coord: Option<(f64, f64)>,
}

/// annalist's place mentions, one per span (the first place wins when two name the same span).
pub fn predicted(a: &Annotated) -> Vec<PredToponym> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for p in &a.places {
        for &m in &p.mentions {
            if seen.insert(m) {
                out.push(PredToponym {
                    span: m,
                    geonameid: p.geonameid,
                    coord: p.lat.zip(p.lon),
                });
            }
        }
    }
    out
}

/// Great-circle distance in km (the places stage's own function, so both measure alike).
pub use annalist_geo::haversine_km;

/// Counts of one article (or, summed, of a set).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeoTally {
    pub gold: usize,
    pub gold_literal: usize,
    pub pred: usize,
    pub exact: usize,
    pub overlap: usize,
    pub overlap_literal: usize,
    /// Per gold type: (gold, exact matches, overlap matches).
    pub per_type: BTreeMap<String, (usize, usize, usize)>,
    pub gold_with_coords: usize,
    /// Overlap-matched pairs whose gold has coordinates.
    pub matched_with_coords: usize,
    /// Errors in km of those pairs that also have a predicted point.
    pub errors_km: Vec<f64>,
    pub geonameid_compared: usize,
    pub geonameid_equal: usize,
}

impl GeoTally {
    pub fn add(&mut self, o: &GeoTally) {
        self.gold += o.gold;
        self.gold_literal += o.gold_literal;
        self.pred += o.pred;
        self.exact += o.exact;
        self.overlap += o.overlap;
        self.overlap_literal += o.overlap_literal;
        for (k, v) in &o.per_type {
            let e = self.per_type.entry(k.clone()).or_default();
            e.0 += v.0;
            e.1 += v.1;
            e.2 += v.2;
        }
        self.gold_with_coords += o.gold_with_coords;
        self.matched_with_coords += o.matched_with_coords;
        self.errors_km.extend(&o.errors_km);
        self.geonameid_compared += o.geonameid_compared;
        self.geonameid_equal += o.geonameid_equal;
    }
}

/// Matches predicted toponyms to gold (exactly, and by overlap) and measures the coordinates of the
/// overlap matches. Predicted spans are expected to be distinct.
pub fn score_doc(gold: &[GoldToponym], pred: &[PredToponym]) -> GeoTally {
    let mut t = GeoTally {
        gold: gold.len(),
        gold_literal: gold.iter().filter(|g| g.class == ToponymClass::Literal).count(),
        pred: pred.len(),
        gold_with_coords: gold.iter().filter(|g| g.coord.is_some()).count(),
        ..GeoTally::default()
    };
    for g in gold {
        t.per_type.entry(g.kind.clone()).or_default().0 += 1;
    }
    let pred_spans: HashSet<Span> = pred.iter().map(|p| p.span).collect();
    for g in gold.iter().filter(|g| pred_spans.contains(&g.span)) {
        t.exact += 1;
        t.per_type.get_mut(&g.kind).expect("counted above").1 += 1;
    }
    let mut candidates = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            let o = overlap_len(p.span, &[g.span]);
            if o > 0 {
                candidates.push((o, gi, pi));
            }
        }
    }
    for (gi, pi) in greedy_match(candidates) {
        let (g, p) = (&gold[gi], &pred[pi]);
        t.overlap += 1;
        t.overlap_literal += usize::from(g.class == ToponymClass::Literal);
        t.per_type.get_mut(&g.kind).expect("counted above").2 += 1;
        if let Some(gc) = g.coord {
            t.matched_with_coords += 1;
            if let Some(pc) = p.coord {
                t.errors_km.push(haversine_km(gc, pc));
            }
        }
        if let (Some(a), Some(b)) = (g.geonameid, p.geonameid) {
            t.geonameid_compared += 1;
            t.geonameid_equal += usize::from(a == b);
        }
    }
    t
}

/// Recall of one gold type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeRecall {
    pub class: ToponymClass,
    pub gold: usize,
    pub exact: usize,
    pub overlap: usize,
    pub recall_exact: f64,
    pub recall_overlap: f64,
}

/// How close the predicted points of matched toponyms are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Geocoding {
    /// Gold toponyms with coordinates (all, matched or not).
    pub gold_with_coords: usize,
    /// Overlap-matched toponyms whose gold has coordinates.
    pub matched_with_coords: usize,
    /// Of those, how many have a predicted point.
    pub with_predicted_coords: usize,
    pub within_161km: usize,
    /// `within_161km / matched_with_coords` (a missing point is a miss).
    pub acc161: f64,
    pub median_km: Option<f64>,
    pub mean_km: Option<f64>,
    /// Matched pairs that both have a GeoNames id, and how many ids agree.
    pub geonameid_compared: usize,
    pub geonameid_equal: usize,
}

/// Scores of the GeoWebNews set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeoResult {
    pub documents: usize,
    /// Documents annalist failed to annotate (scored as predicting nothing).
    pub failures: usize,
    pub seconds: f64,
    pub gold_toponyms: usize,
    pub predicted_toponyms: usize,
    /// Exact span match.
    pub exact: Prf,
    /// Overlap match, one to one.
    pub overlap: Prf,
    /// Overlap match against literal gold only; predictions on associative toponyms left out.
    pub literal: Prf,
    /// Recall per gold type.
    pub per_type: BTreeMap<String, TypeRecall>,
    pub geocoding: Geocoding,
    /// Annotated spans that are not toponyms, and annotations with offsets outside their text.
    pub gold_not_toponyms: usize,
    pub bad_offsets: usize,
}

/// Turns summed counts into a result.
pub fn summarize(t: &GeoTally, documents: usize) -> GeoResult {
    let mut errors = t.errors_km.clone();
    errors.sort_by(f64::total_cmp);
    let median_km = match errors.len() {
        0 => None,
        n if n % 2 == 1 => Some(errors[n / 2]),
        n => Some((errors[n / 2 - 1] + errors[n / 2]) / 2.0),
    };
    let within = errors.iter().filter(|&&e| e <= ACC_KM).count();
    GeoResult {
        documents,
        failures: 0,
        seconds: 0.0,
        gold_toponyms: t.gold,
        predicted_toponyms: t.pred,
        exact: Counts {
            tp: t.exact,
            fp: t.pred - t.exact,
            fn_: t.gold - t.exact,
        }
        .prf(),
        overlap: Counts {
            tp: t.overlap,
            fp: t.pred - t.overlap,
            fn_: t.gold - t.overlap,
        }
        .prf(),
        literal: Counts {
            tp: t.overlap_literal,
            fp: t.pred - t.overlap,
            fn_: t.gold_literal - t.overlap_literal,
        }
        .prf(),
        per_type: t
            .per_type
            .iter()
            .map(|(k, &(gold, exact, overlap))| {
                let r = TypeRecall {
                    class: class_of(k),
                    gold,
                    exact,
                    overlap,
                    recall_exact: ratio(exact, gold),
                    recall_overlap: ratio(overlap, gold),
                };
                (k.clone(), r)
            })
            .collect(),
        geocoding: Geocoding {
            gold_with_coords: t.gold_with_coords,
            matched_with_coords: t.matched_with_coords,
            with_predicted_coords: errors.len(),
            within_161km: within,
            acc161: ratio(within, t.matched_with_coords),
            median_km,
            mean_km: (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64),
            geonameid_compared: t.geonameid_compared,
            geonameid_equal: t.geonameid_equal,
        },
        gold_not_toponyms: 0,
        bad_offsets: 0,
    }
}

/// One gold article.
#[derive(Debug, Clone)]
pub struct GeoDoc {
    /// The article number (`N` of `N.txt`).
    pub name: String,
    pub text: String,
    pub gold: GoldGeo,
}

/// Reads the GeoWebNews folder `root` (holding `brat/` and, optionally, `GWN.xml`), articles in
/// numeric order.
pub fn read_dir(root: &Path) -> Result<Vec<GeoDoc>, EvalError> {
    let brat = root.join("brat");
    let entries = std::fs::read_dir(&brat).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            EvalError::Missing {
                path: brat.clone(),
                what: "GeoWebNews brat folder",
            }
        } else {
            EvalError::io(&brat, e)
        }
    })?;
    let xml_path = root.join("GWN.xml");
    let xml = match read_to_string(&xml_path) {
        Ok(x) => parse_gwn_xml(&x).map_err(|e| EvalError::format(&xml_path, e.line, e.message))?,
        Err(EvalError::Missing { .. }) => HashMap::new(),
        Err(e) => return Err(e),
    };
    let mut anns: Vec<(u64, String, PathBuf)> = Vec::new();
    for e in entries {
        let p = e.map_err(|e| EvalError::io(&brat, e))?.path();
        if p.extension().is_some_and(|x| x == "ann") {
            let stem = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            anns.push((stem.parse().unwrap_or(u64::MAX), stem, p));
        }
    }
    anns.sort();
    let mut docs = Vec::with_capacity(anns.len());
    for (_, name, ann_path) in anns {
        // The folder is there: a missing article is broken data, not an absent set.
        let text = read_to_string(&ann_path.with_extension("txt")).map_err(|e| match e {
            EvalError::Missing { .. } => EvalError::format(&ann_path, 0, "no .txt beside the .ann"),
            e => e,
        })?;
        let ann = read_to_string(&ann_path)?;
        let gold = parse_ann(&ann, &text, xml.get(&name).map(Vec::as_slice))
            .map_err(|e| EvalError::format(&ann_path, e.line, e.message))?;
        docs.push(GeoDoc { name, text, gold });
    }
    Ok(docs)
}

/// The document annalist codes for an article: the `TITLE: … LINK: …` line gives the title (a headline
/// region) and the URL; the rest is the body.
pub fn document(doc: &GeoDoc) -> Document {
    let mut d = Document::new(format!("geowebnews/{}", doc.name), doc.text.clone());
    d.format = "geowebnews".to_string();
    let text = &doc.text;
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = &text[..first_end];
    if let Some(rest) = first.strip_prefix("TITLE: ") {
        let (title, link) = rest.split_once(" LINK: ").unwrap_or((rest, ""));
        let start = "TITLE: ".len();
        let title_span = Span::new(start, start + title.trim_end().len());
        if !title_span.is_empty() {
            d.title = Some(title.trim_end().to_string());
            d.title_span = Some(title_span);
            d.regions.push(Region {
                kind: RegionKind::Headline,
                span: title_span,
            });
        }
        if !link.trim().is_empty() {
            d.url = Some(link.trim().to_string());
        }
    } else if first_end == text.len() {
        // A single line without a header: all body.
        d.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(0, text.len()),
        });
        return d;
    }
    let body_start = (first_end + 1).min(text.len());
    let body = &text[body_start..];
    let lead = body.len() - body.trim_start().len();
    let (bs, be) = (body_start + lead, body_start + body.trim_end().len());
    if bs < be {
        d.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(bs, be),
        });
    }
    d
}

/// Reads the GeoWebNews folder `root`, codes its first `limit` articles and scores the toponyms.
pub fn evaluate(root: &Path, pipeline: &Pipeline, limit: Option<usize>) -> Result<GeoResult, EvalError> {
    let started = Instant::now();
    let mut gold = read_dir(root)?;
    if let Some(n) = limit {
        gold.truncate(n);
    }
    let (pred, failures) = annotate_in_order(pipeline, gold.iter().map(document).collect(), predicted);
    let mut total = GeoTally::default();
    for (g, p) in gold.iter().zip(&pred) {
        total.add(&score_doc(&g.gold.toponyms, p.as_deref().unwrap_or_default()));
    }
    let mut r = summarize(&total, gold.len());
    r.failures = failures;
    r.gold_not_toponyms = gold.iter().map(|d| d.gold.not_toponyms).sum();
    r.bad_offsets = gold.iter().map(|d| d.gold.bad_offsets).sum();
    r.seconds = started.elapsed().as_secs_f64();
    Ok(r)
}

impl Scored for GeoResult {
    fn set(&self) -> &'static str {
        "geo"
    }

    fn tables(&self) -> Vec<Table> {
        let mut t = Table::prf(
            format!(
                "geo: toponyms in GeoWebNews ({} articles, {} gold toponyms, {} predicted, {} failed, {:.1} s)",
                self.documents, self.gold_toponyms, self.predicted_toponyms, self.failures, self.seconds
            ),
            "match",
        );
        t.prf_row("exact span", &self.exact);
        t.prf_row("overlap", &self.overlap);
        t.prf_row("overlap, literal only", &self.literal);

        let mut types = Table::new(
            "geo: recall per gold type",
            &["type", "class", "gold", "R exact", "R overlap"],
        );
        let mut rows: Vec<(&String, &TypeRecall)> = self.per_type.iter().collect();
        rows.sort_by_key(|(k, r)| (r.class != ToponymClass::Literal, std::cmp::Reverse(r.gold), *k));
        for (k, r) in rows {
            let class = match r.class {
                ToponymClass::Literal => "literal",
                ToponymClass::Associative => "associative",
                ToponymClass::NotToponym => "-",
            };
            types.row(vec![
                k.clone(),
                class.into(),
                r.gold.to_string(),
                score(r.recall_exact),
                score(r.recall_overlap),
            ]);
        }

        let g = &self.geocoding;
        let km = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"));
        let mut geo = Table::new("geo: coordinates of overlap-matched toponyms", &["measure", "value"]);
        geo.row(vec![
            "gold toponyms with coordinates".into(),
            g.gold_with_coords.to_string(),
        ]);
        geo.row(vec![
            "matched, gold has coordinates".into(),
            g.matched_with_coords.to_string(),
        ]);
        geo.row(vec![
            "  with a predicted point".into(),
            g.with_predicted_coords.to_string(),
        ]);
        geo.row(vec!["  within 161 km".into(), g.within_161km.to_string()]);
        geo.row(vec!["acc@161km".into(), score(g.acc161)]);
        geo.row(vec!["median error km".into(), km(g.median_km)]);
        geo.row(vec!["mean error km".into(), km(g.mean_km)]);
        geo.row(vec![
            "same GeoNames id".into(),
            format!("{}/{}", g.geonameid_equal, g.geonameid_compared),
        ]);
        vec![t, types, geo]
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("results always serialise")
    }

    fn metrics(&self) -> Vec<Metric> {
        vec![
            Metric::new("geo", self.exact.f1),
            Metric::new("geo.overlap", self.overlap.f1),
            Metric::new("geo.literal", self.literal.f1),
            Metric::new("geo.acc161", self.geocoding.acc161),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A made-up article in the GeoWebNews brat layout: the XML offsets count from the second line.
    const TEXT: &str = "TITLE: Storm nears Ålesund LINK: http://example.invalid/a\n\
Ålesund braced for the storm. Norway sent help; the city was calm. Ålesund FC played on.";

    fn chars(s: &str) -> (usize, usize) {
        let i = TEXT.rfind(s).unwrap();
        let start = TEXT[..i].chars().count();
        (start, start + s.chars().count())
    }

    fn line(id: &str, kind: &str, s: &str) -> String {
        let (a, b) = chars(s);
        format!("{id}\t{kind} {a} {b}\t{s}\n")
    }

    fn ann() -> String {
        let body_alesund = {
            // The first "Ålesund" of the body (not the title's).
            let i = TEXT.find("\nÅlesund").unwrap() + 1;
            let a = TEXT[..i].chars().count();
            format!("T1\tLiteral {a} {}\tÅlesund\n", a + 7)
        };
        let mut s = body_alesund;
        s += &line("T2", "Metonymic", "Norway");
        s += "#1\tAnnotatorNotes T2\t3144096\n";
        s += &line("T3", "Literal_Expression", "city");
        s += &line("T4", "Non_Toponym", "Ålesund FC");
        s += &line("T5", "Coercion", "Ålesund FC");
        s += "#2\tAnnotatorNotes T5\t62.47, 6.15\n";
        s += "A1\tNon_Locational T3\n";
        s
    }

    const XML: &str = r#"<?xml version="1.0" ?>
<articles>
	<article file="7">
		<title>Storm</title>
		<text>ignored</text>
		<toponyms>
			<toponym>
				<extractedName>Ålesund</extractedName>
				<type>Literal</type>
				<start>0</start>
				<end>7</end>
				<geonamesID>3163392</geonamesID>
				<latitude>62.47</latitude>
				<longitude>6.15</longitude>
			</toponym>
			<toponym>
				<extractedName>city</extractedName>
				<start>52</start>
				<end>56</end>
				<geonamesID/>
			</toponym>
		</toponyms>
	</article>
</articles>
"#;

    #[test]
    fn reads_xml_toponyms() {
        let x = parse_gwn_xml(XML).unwrap();
        let t = &x["7"];
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].start, t[0].end, t[0].geonameid), (0, 7, Some(3163392)));
        assert_eq!(t[0].coord, Some((62.47, 6.15)));
        assert_eq!((t[1].geonameid, t[1].coord), (None, None));
    }

    #[test]
    fn gold_types_spans_and_coordinates() {
        let x = parse_gwn_xml(XML).unwrap();
        let g = parse_ann(&ann(), TEXT, Some(&x["7"])).unwrap();
        let kinds: Vec<&str> = g.toponyms.iter().map(|t| t.kind.as_str()).collect();
        // `city` is an expression, not a toponym; the doubly annotated span keeps its toponym type.
        assert_eq!(kinds, vec!["Literal", "Metonymic", "Coercion"]);
        assert_eq!(g.not_toponyms, 1);
        let al = &g.toponyms[0];
        assert_eq!(&TEXT[al.span.range()], "Ålesund");
        assert!(al.span.start as usize > TEXT.find('\n').unwrap());
        // Coordinates from the XML (offsets shifted past the title line), id from the XML too.
        assert_eq!(al.coord, Some((62.47, 6.15)));
        assert_eq!(al.geonameid, Some(3163392));
        assert_eq!(g.toponyms[1].geonameid, Some(3144096));
        assert_eq!(g.toponyms[1].coord, None);
        assert_eq!(g.toponyms[2].coord, Some((62.47, 6.15)));
    }

    #[test]
    fn scores_matches_types_and_distance() {
        let x = parse_gwn_xml(XML).unwrap();
        let g = parse_ann(&ann(), TEXT, Some(&x["7"])).unwrap();
        let find = |s: &str, from: usize| {
            let i = from + TEXT[from..].find(s).unwrap();
            Span::new(i, i + s.len())
        };
        let body = TEXT.find('\n').unwrap();
        let pred = [
            // Exact, 1 degree of latitude off (~111 km): within 161 km.
            PredToponym {
                span: find("Ålesund", body),
                geonameid: Some(3163392),
                coord: Some((61.47, 6.15)),
            },
            // Overlaps the Coercion span "Ålesund FC", 3 degrees off.
            PredToponym {
                span: find("Ålesund", body + 10),
                geonameid: None,
                coord: Some((65.47, 6.15)),
            },
            // Not a toponym: a false positive.
            PredToponym {
                span: find("city", 0),
                geonameid: None,
                coord: None,
            },
        ];
        let r = summarize(&score_doc(&g.toponyms, &pred), 1);
        assert_eq!((r.exact.tp, r.exact.fp, r.exact.fn_), (1, 2, 2));
        assert_eq!((r.overlap.tp, r.overlap.fp, r.overlap.fn_), (2, 1, 1));
        // Literal only: Ålesund and the Coercion are literal; Norway (associative) is left out.
        assert_eq!((r.literal.tp, r.literal.fp, r.literal.fn_), (2, 1, 0));
        assert_eq!(r.per_type["Metonymic"].recall_overlap, 0.0);
        assert_eq!(r.per_type["Coercion"].recall_exact, 0.0);
        assert_eq!(r.per_type["Coercion"].recall_overlap, 1.0);
        let gc = &r.geocoding;
        assert_eq!(
            (gc.matched_with_coords, gc.with_predicted_coords, gc.within_161km),
            (2, 2, 1)
        );
        assert_eq!(gc.acc161, 0.5);
        let median = gc.median_km.unwrap();
        assert!((median - (111.2 + 333.6) / 2.0).abs() < 1.0, "{median}");
        assert_eq!((gc.geonameid_compared, gc.geonameid_equal), (1, 1));
    }

    #[test]
    fn negative_xml_offsets_point_into_the_title_line() {
        // GWN.xml counts from the body, so a toponym of the title has negative offsets.
        let text = "TITLE: Bergen fair LINK: x\nA fair.";
        let xml = "<article file=\"1\"><toponyms><toponym><start>-20</start><end>-14</end>\
                   <latitude>60.39</latitude><longitude>5.32</longitude></toponym></toponyms></article>";
        let x = parse_gwn_xml(xml).unwrap();
        assert_eq!((x["1"][0].start, x["1"][0].end), (-20, -14));
        let g = parse_ann("T1\tLiteral 7 13\tBergen\n", text, Some(&x["1"])).unwrap();
        assert_eq!(g.toponyms[0].coord, Some((60.39, 5.32)));
    }

    #[test]
    fn haversine_known_distance() {
        // London to Paris, about 344 km.
        let d = haversine_km((51.5074, -0.1278), (48.8566, 2.3522));
        assert!((d - 343.5).abs() < 2.0, "{d}");
        assert_eq!(haversine_km((10.0, 20.0), (10.0, 20.0)), 0.0);
    }

    #[test]
    fn document_regions() {
        let d = document(&GeoDoc {
            name: "7".into(),
            text: TEXT.into(),
            gold: GoldGeo::default(),
        });
        assert_eq!(d.title.as_deref(), Some("Storm nears Ålesund"));
        assert_eq!(d.url.as_deref(), Some("http://example.invalid/a"));
        assert_eq!(d.regions.len(), 2);
        assert!(d.text[d.regions[1].span.range()].starts_with("Ålesund braced"));
    }

    #[test]
    fn evaluate_reads_the_layout() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/geo");
        let docs = read_dir(&root).unwrap();
        assert_eq!(docs.len(), 2);
        // Numeric order: 2 before 10.
        assert_eq!(docs[0].name, "2");
        let r = evaluate(&root, &Pipeline::new(), None).unwrap();
        assert_eq!((r.documents, r.failures), (2, 0));
        assert_eq!(r.gold_toponyms, 3);
        assert_eq!(r.geocoding.gold_with_coords, 2);
        assert!(matches!(
            evaluate(&root.join("nope"), &Pipeline::new(), None),
            Err(EvalError::Missing { .. })
        ));
    }
}
