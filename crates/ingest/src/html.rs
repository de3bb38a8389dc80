//! Main-text extraction from a news web page.
//!
//! [`extract`] parses the page with `scraper` (html5ever, so any string is a page), reads the metadata
//! (title, date, author, section, canonical URL, site name, language) from meta tags, JSON-LD and the
//! DOM, and finds the article body with a Readability-style content score:
//!
//! 1. Elements that never hold article text are dropped: scripts, styles, form controls, navigation,
//!    asides, hidden elements, and (on the first try) elements whose class or id names boilerplate
//!    (comments, share bars, related links, cookie banners, bylines, captions, ...).
//! 2. The page is flattened into text blocks (one per paragraph-level element). Each block of 25+
//!    characters adds `1 + commas + min(len/100, 3)` to its container and, decaying, to the
//!    container's ancestors; scores are scaled by `1 - link density`.
//! 3. The best container (moved up when several good candidates share an ancestor), plus siblings that
//!    score nearly as well, is the article. Containers inside it that are mostly links, images or form
//!    controls are left out, and so are blocks that look like boilerplate (mostly links,
//!    "Advertisement", a byline or date line, the headline again, ...).
//! 4. When that finds under 250 characters, it is tried again with fewer safeguards (as Readability
//!    does), and a relaxed try wins only if it finds clearly more.
//!
//! Key decision: the body is the DOM's text as it stands (entities decoded by the parser, runs of
//! whitespace inside a paragraph collapsed to one space, invisible zero-width spaces, BOMs and soft
//! hyphens dropped, paragraphs joined by a blank line) and is never rewritten afterwards, so later
//! stages can keep byte offsets into it. Every pass over the DOM is a loop over an arena, never a
//! recursion, so deeply nested pages cannot overflow the stack.
//!
//! On the 181 pages of the article-extraction-benchmark this scores a mean token F1 of about 0.98
//! (see `annalist_eval::html`).
//!
//! ```
//! use annalist_ingest::html::extract;
//! let page = r#"<html lang="en"><head><title>Storm hits coast</title>
//!   <meta property="article:published_time" content="2019-11-20T06:35:39Z"></head>
//!   <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Storm hits coast</h1>
//!   <p>A powerful storm struck the coast on Tuesday, cutting power to thousands of homes.</p>
//!   <p>Officials said repairs could take days.</p></article></body></html>"#;
//! let a = extract(page).unwrap();
//! assert_eq!(a.body, "A powerful storm struck the coast on Tuesday, cutting power to thousands of \
//!     homes.\n\nOfficials said repairs could take days.");
//! assert_eq!(a.published.as_deref(), Some("2019-11-20T06:35:39Z"));
//! assert_eq!(a.lang.as_deref(), Some("en"));
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Node, Selector};
use serde_json::Value;

/// What [`extract`] finds in a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    /// The main article text: paragraphs separated by a blank line ("\n\n"), no navigation, ads, comments, share buttons, captions of related links, cookie banners, bylines/date lines.
    pub body: String,
    /// Publication timestamp as found (ISO 8601 preferred) from meta tags (article:published_time, og:..., date, dc.date, parsely-pub-date, sailthru.date, pubdate), JSON-LD (datePublished, also inside @graph / arrays), or `<time datetime>` inside the article.
    pub published: Option<String>,
    pub author: Option<String>,
    pub section: Option<String>,
    pub url: Option<String>,       // canonical link or og:url
    pub site_name: Option<String>, // og:site_name / JSON-LD publisher.name
    pub lang: Option<String>,
}

/// Why a page gave no article.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("no article text found in the page")]
    NoText,
}

/// Extracts the article text and metadata from one HTML page.
///
/// Never panics; a page without any article-like text gives [`HtmlError::NoText`].
pub fn extract(html: &str) -> Result<HtmlArticle, HtmlError> {
    let doc = Html::parse_document(html);
    let mut article = metadata(&doc);
    let dom = Dom::build(&doc);
    let (body, published_in_body) = dom.article_text(article.title.as_deref());
    if body.is_empty() {
        return Err(HtmlError::NoText);
    }
    article.body = body;
    if article.published.is_none() {
        article.published = published_in_body;
    }
    Ok(article)
}

// ---------------------------------------------------------------------------------------------------
// The DOM as an arena in document order (pre-order), so every pass is a loop, not a recursion: a page
// of ten thousand nested <div>s must not overflow the stack.

const NONE: usize = usize::MAX;

#[derive(Debug)]
enum Kind {
    Element(Elem),
    Text(String),
    Other,
}

#[derive(Debug)]
struct Elem {
    tag: String,
    /// Lower-cased `class` and `id`, space-separated, for the boilerplate patterns.
    class_id: String,
    class: String,
    id: String,
    attrs: Vec<(String, String)>,
}

impl Elem {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
struct DomNode {
    parent: usize,
    children: Vec<usize>,
    kind: Kind,
    /// Which of `<table>`, `<code>`/`<pre>`, `<figure>` enclose this node (see the `UNDER_*` bits).
    under: u8,
    /// Readability's class weight of an element (0 for other nodes).
    weight: f64,
}

const UNDER_TABLE: u8 = 1;
const UNDER_CODE: u8 = 2;
const UNDER_FIGURE: u8 = 4;

struct Dom {
    nodes: Vec<DomNode>,
    /// Whether class names count in scores (turned off on a last try).
    weight_classes: std::cell::Cell<bool>,
}

/// The safeguards of one extraction try.
#[derive(Debug, Clone, Copy)]
struct Flags {
    strip_unlikely: bool,
    weight_classes: bool,
    clean: bool,
}

/// A paragraph of text as rendered from the DOM.
#[derive(Debug, Clone)]
struct Block {
    text: String,
    /// Characters (not bytes) of `text`.
    chars: usize,
    /// Characters inside links.
    link_chars: usize,
    /// The innermost block-level element holding the text.
    owner: usize,
    /// Whether the text sits directly in a container that also has block children (loose text).
    loose: bool,
}

/// Per-element numbers over the kept (not pruned) subtree.
#[derive(Debug, Clone, Default)]
struct Stats {
    text: usize,
    link: usize,
    commas: usize,
    p: usize,
    img: usize,
    input: usize,
    embed: usize,
    headings: usize,
    has_block: bool,
}

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements that never hold article text.
const DROP_TAGS: &[&str] = &[
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
    "applet",
    "button",
    "input",
    "select",
    "textarea",
    "option",
    "nav",
    "aside",
    "footer",
    "dialog",
    "audio",
    "video",
    "map",
    "math",
    "figcaption",
    "link",
    "meta",
    "title",
];

fn is_block_tag(tag: &str) -> bool {
    BLOCK_TAGS.contains(&tag)
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Builds a regex from alternatives kept one per line, so the lists stay reviewable.
fn alternatives(prefix: &str, parts: &[&str], suffix: &str) -> Regex {
    Regex::new(&format!("{prefix}(?:{}){suffix}", parts.join("|"))).expect("constant regex")
}

/// Class or id words of elements that hold no article text (dropped on the first try only).
static UNLIKELY: LazyLock<Regex> = LazyLock::new(|| {
    alternatives(
        "",
        &[
            r"-ad-",
            r"^ad-",
            r"\bads?\b",
            "advert",
            "ai2html",
            "banner",
            "breadcrumb",
            "byline",
            "combx",
            "comment",
            "community",
            "consent",
            "cookie",
            "cover-wrap",
            "disqus",
            "extra",
            "footer",
            "gdpr",
            "header",
            "legends",
            "menu",
            "newsletter",
            "outbrain",
            "popup",
            "promo",
            "related",
            "remark",
            "replies",
            "recirc",
            "rss",
            "share",
            "sharing",
            "shoutbox",
            "sidebar",
            "skyscraper",
            "social",
            "sponsor",
            "subscri",
            "supplemental",
            "taboola",
            "agegate",
            "pagination",
            "pager",
            "yom-remote",
            "signup",
            "sign-up",
            "toolbar",
            "tooltip",
            "modal",
            "author",
            "dateline",
            "timestamp",
            "caption",
            "credit",
            r"tags\b",
            "topics",
            "trending",
            "most-?popular",
            "read-?more",
            "more-stories",
            "skip",
            "sr-only",
            "visually-?hidden",
            "screen-?reader",
        ],
        "",
    )
});

/// Class or id words that keep an element even when it also matches [`UNLIKELY`].
static MAYBE: LazyLock<Regex> = LazyLock::new(|| {
    alternatives(
        "",
        &[
            "and",
            "article",
            "body",
            "column",
            "content",
            "main",
            "mathjax",
            "shadow",
            "story",
            "entry",
            "post-?text",
        ],
        "",
    )
});

static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    alternatives(
        "",
        &[
            "article",
            "body",
            "content",
            "entry",
            "hentry",
            "h-entry",
            "main",
            "page",
            "pagination",
            "post",
            "text",
            "blog",
            "story",
        ],
        "",
    )
});

static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    alternatives(
        "",
        &[
            "-ad-",
            "hidden",
            "^hid$",
            " hid$",
            " hid ",
            "^hid ",
            "banner",
            "combx",
            "comment",
            "com-",
            "contact",
            "footer",
            "gdpr",
            "masthead",
            "media",
            "meta",
            "outbrain",
            "promo",
            "related",
            "scroll",
            "share",
            "shoutbox",
            "sidebar",
            "skyscraper",
            "sponsor",
            "shopping",
            "tags",
            "widget",
            "byline",
            "author",
            "caption",
        ],
        "",
    )
});

/// Whole blocks that are boilerplate wherever they appear (matched case-insensitively).
static BOILERPLATE_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    alternatives(
        "(?i)^",
        &[
            // Ads and sponsorship.
            "advertisement",
            "advertisment",
            "ads?",
            "sponsored( content)?",
            "story continues below( advertisement)?",
            "advertisement - scroll to continue",
            "scroll to continue with content",
            "continue reading( the main story| below)?",
            // Sharing, following, subscribing, printing.
            r"share( this( article| story| post)?)?:?",
            "click to share.*",
            "follow us.*",
            "sign up.*",
            "subscribe.*",
            "print",
            "email",
            "print (this )?article",
            "order reprints",
            "reprints?",
            r"like this (story|article|post)\?.*",
            // Media placeholders and credits.
            "image",
            "photo",
            "video",
            "(image|photo|video) (credit|source):.*",
            "getty images",
            r"this slideshow requires javascript\.?",
            r"see more (photos|videos)\W*",
            r"loading\W*",
            "skip (to )?(main )?content",
            // Heads of related-link lists.
            "read more",
            "related( articles| stories| content| coverage)?:?",
            "you (may|might) also like.*",
            "recommended( for you)?",
            "more from .{1,40}",
            "more stories",
            "popular on .{1,40}",
            "trending( now)?",
            "don'?t miss",
            "most (read|popular)",
            "filed under:.*",
            r"(read more|related|see also|also read|more|don'?t miss)\s*[:|»›].*",
            // Comments.
            "comments?",
            r"\d+ comments?",
            "leave a (comment|reply)",
            // Legal lines.
            "this article is more than .*",
            "all rights reserved.*",
            "copyright .*",
            "© .*",
        ],
        "$",
    )
});

/// A byline: "By Jane Smith and John Doe | Reuters" (names capitalised).
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:by|written by|von|par|por|di|door|av|af)\s+\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|(?i:and|de|van|von|der|da|la)))*(?:\s*(?:,|&|\||-|–|—|·|•)\s*.*)?$",
    )
    .expect("constant regex")
});

/// "Updated 8:21 am ET", "Published: ..." and the like.
static STAMP_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:updated|published|posted|last updated|first published|modified)\b.{0,100}$")
        .expect("constant regex")
});

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})([\s,|at-]+\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?(\s+[a-z]{2,4})?)?\W*$",
    )
    .expect("constant regex")
});

impl Dom {
    fn build(doc: &Html) -> Dom {
        let mut nodes: Vec<DomNode> = Vec::new();
        let mut index = HashMap::new();
        for node in doc.tree.root().descendants() {
            let parent = node.parent().and_then(|p| index.get(&p.id()).copied()).unwrap_or(NONE);
            let kind = match node.value() {
                Node::Element(e) => {
                    let class = e.attr("class").unwrap_or("").to_string();
                    let id = e.attr("id").unwrap_or("").to_string();
                    Kind::Element(Elem {
                        tag: e.name().to_ascii_lowercase(),
                        class_id: format!("{} {}", class, id).to_lowercase(),
                        class,
                        id,
                        attrs: e
                            .attrs()
                            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                            .collect(),
                    })
                }
                Node::Text(t) => Kind::Text(t.to_string()),
                _ => Kind::Other,
            };
            let under = match nodes.get(parent) {
                Some(p) => {
                    p.under
                        | match &p.kind {
                            Kind::Element(e) => match e.tag.as_str() {
                                "table" => UNDER_TABLE,
                                "code" | "pre" => UNDER_CODE,
                                "figure" => UNDER_FIGURE,
                                _ => 0,
                            },
                            _ => 0,
                        }
                }
                None => 0,
            };
            let weight = match &kind {
                Kind::Element(e) => class_weight(e),
                _ => 0.0,
            };
            let i = nodes.len();
            index.insert(node.id(), i);
            nodes.push(DomNode {
                parent,
                children: Vec::new(),
                kind,
                under,
                weight,
            });
            if parent != NONE {
                nodes[parent].children.push(i);
            }
        }
        Dom {
            nodes,
            weight_classes: std::cell::Cell::new(true),
        }
    }

    fn elem(&self, i: usize) -> Option<&Elem> {
        match &self.nodes.get(i)?.kind {
            Kind::Element(e) => Some(e),
            _ => None,
        }
    }

    fn tag(&self, i: usize) -> &str {
        self.elem(i).map(|e| e.tag.as_str()).unwrap_or("")
    }

    fn parent(&self, i: usize) -> usize {
        self.nodes.get(i).map(|n| n.parent).unwrap_or(NONE)
    }

    fn under(&self, i: usize, bits: u8) -> bool {
        self.nodes.get(i).is_some_and(|n| n.under & bits != 0)
    }

    /// Marks elements to leave out. `strict` also drops elements whose class or id looks like
    /// boilerplate.
    fn prune(&self, strict: bool) -> Vec<bool> {
        let n = self.nodes.len();
        let mut removed = vec![false; n];
        for i in 0..n {
            let p = self.nodes[i].parent;
            if p != NONE && removed[p] {
                removed[i] = true;
                continue;
            }
            let Some(e) = self.elem(i) else { continue };
            if DROP_TAGS.contains(&e.tag.as_str()) || is_hidden(e) {
                removed[i] = true;
                continue;
            }
            if let Some(role) = e.attr("role") {
                if matches!(
                    role.to_ascii_lowercase().as_str(),
                    "navigation"
                        | "menu"
                        | "menubar"
                        | "complementary"
                        | "alert"
                        | "alertdialog"
                        | "dialog"
                        | "banner"
                        | "contentinfo"
                        | "search"
                ) {
                    removed[i] = true;
                    continue;
                }
            }
            if strict
                && !matches!(e.tag.as_str(), "html" | "body" | "a" | "article" | "main")
                && !e.class_id.trim().is_empty()
                && UNLIKELY.is_match(&e.class_id)
                && !MAYBE.is_match(&e.class_id)
                && !self.under(i, UNDER_TABLE | UNDER_CODE)
            {
                removed[i] = true;
            }
        }
        removed
    }

    /// Subtree numbers for every node, over kept nodes only.
    fn stats(&self, removed: &[bool]) -> Vec<Stats> {
        let n = self.nodes.len();
        let mut in_link = vec![false; n];
        for i in 0..n {
            let p = self.nodes[i].parent;
            in_link[i] = (p != NONE && in_link[p]) || self.tag(i) == "a";
        }
        let mut st = vec![Stats::default(); n];
        for i in (0..n).rev() {
            if removed[i] {
                // Form controls and embeds are pruned by tag, but Readability's clean still counts them.
                let p = self.nodes[i].parent;
                if p != NONE && !removed[p] {
                    match self.tag(i) {
                        "input" | "select" | "textarea" | "button" => st[p].input += 1,
                        "embed" | "object" | "iframe" | "video" => st[p].embed += 1,
                        _ => {}
                    }
                }
                continue;
            }
            match &self.nodes[i].kind {
                Kind::Text(t) => {
                    let chars = t.chars().filter(|c| !c.is_whitespace()).count();
                    st[i].text += chars;
                    st[i].commas += t.chars().filter(|&c| is_comma(c)).count();
                    if in_link[i] {
                        st[i].link += chars;
                    }
                }
                Kind::Element(e) => {
                    let tag = e.tag.as_str();
                    match tag {
                        "p" => st[i].p += 1,
                        "img" | "picture" => st[i].img += 1,
                        _ => {}
                    }
                    if is_heading(tag) {
                        st[i].headings += st[i].text;
                    }
                }
                Kind::Other => {}
            }
            let p = self.nodes[i].parent;
            if p != NONE {
                let c = st[i].clone();
                let is_block = is_block_tag(self.tag(i)) || c.has_block;
                let ps = &mut st[p];
                ps.text += c.text;
                ps.link += c.link;
                ps.commas += c.commas;
                ps.p += c.p;
                ps.img += c.img;
                ps.input += c.input;
                ps.embed += c.embed;
                ps.headings += c.headings;
                ps.has_block |= is_block;
            }
        }
        st
    }

    /// Flattens the kept subtrees of `roots` into paragraphs, in document order.
    fn blocks(&self, roots: &[usize], removed: &[bool], st: &[Stats]) -> Vec<Block> {
        let mut out = Vec::new();
        let mut cur = Para::default();
        for &root in roots {
            // (node, entering?)
            let mut stack = vec![(root, true)];
            let mut block_stack: Vec<usize> = Vec::new();
            let mut link_depth = 0usize;
            while let Some((i, entering)) = stack.pop() {
                if removed[i] {
                    continue;
                }
                match &self.nodes[i].kind {
                    Kind::Text(t) => {
                        let owner = block_stack.last().copied().unwrap_or(root);
                        cur.push(t, link_depth > 0, owner);
                    }
                    Kind::Element(e) => {
                        let tag = e.tag.as_str();
                        let boundary = is_block_tag(tag) || st[i].has_block;
                        if entering {
                            if tag == "br" {
                                cur.line_break(&mut out, self, st);
                                continue;
                            }
                            if boundary {
                                cur.flush(&mut out, self, st);
                                block_stack.push(i);
                            }
                            if tag == "a" {
                                link_depth += 1;
                            }
                            if matches!(tag, "img" | "hr") {
                                cur.soft_space();
                            }
                            stack.push((i, false));
                            for &c in self.nodes[i].children.iter().rev() {
                                stack.push((c, true));
                            }
                        } else {
                            if tag == "a" {
                                link_depth = link_depth.saturating_sub(1);
                            }
                            if boundary {
                                cur.flush(&mut out, self, st);
                                block_stack.pop();
                            }
                        }
                    }
                    Kind::Other => {
                        if entering {
                            for &c in self.nodes[i].children.iter().rev() {
                                stack.push((c, true));
                            }
                        }
                    }
                }
            }
            cur.flush(&mut out, self, st);
        }
        out
    }

    /// The article text and a `<time datetime>` found inside the chosen content.
    ///
    /// Like Readability, tries with every safeguard on first and relaxes them one at a time while the
    /// text found is short.
    fn article_text(&self, title: Option<&str>) -> (String, Option<String>) {
        let mut best: (String, Option<String>) = (String::new(), None);
        let mut best_len = 0;
        for flags in [
            Flags {
                strip_unlikely: true,
                weight_classes: true,
                clean: true,
            },
            Flags {
                strip_unlikely: false,
                weight_classes: true,
                clean: true,
            },
            Flags {
                strip_unlikely: false,
                weight_classes: false,
                clean: true,
            },
            Flags {
                strip_unlikely: false,
                weight_classes: false,
                clean: false,
            },
        ] {
            let removed = self.prune(flags.strip_unlikely);
            let st = self.stats(&removed);
            if let Some((text, time)) = self.try_article(&removed, &st, title, flags) {
                let len = text.chars().count();
                if len >= 250 {
                    return (text, time);
                }
                // A relaxed try wins only when it finds clearly more: on a short page, the extra
                // text it finds is usually the boilerplate the stricter try left out.
                if len > 2 * best_len + 50 || (best_len == 0 && len > 0) {
                    best_len = len;
                    best = (text, time);
                }
            }
        }
        best
    }

    fn try_article(
        &self,
        removed: &[bool],
        st: &[Stats],
        title: Option<&str>,
        flags: Flags,
    ) -> Option<(String, Option<String>)> {
        self.weight_classes.set(flags.weight_classes);
        let root = self.body_root();
        let all = self.blocks(&[root], removed, st);
        if all.is_empty() {
            return None;
        }
        let n = self.nodes.len();
        let mut score: Vec<Option<f64>> = vec![None; n];
        for b in &all {
            if b.chars < 25 {
                continue;
            }
            // Readability scores paragraphs, cells, sections and divs used as paragraphs; list items,
            // headings and captions do not count. Custom elements count as containers.
            let counts = b.loose
                || match self.tag(b.owner) {
                    "p" | "pre" | "td" | "section" | "div" | "article" | "main" | "blockquote" => true,
                    "" => false,
                    other => !is_block_tag(other),
                };
            if !counts {
                continue;
            }
            let gain = 1.0 + b.text.chars().filter(|&c| is_comma(c)).count() as f64 + ((b.chars / 100) as f64).min(3.0);
            let mut target = if b.loose { b.owner } else { self.parent(b.owner) };
            let mut level = 0usize;
            while target != NONE && level < 5 {
                if self.elem(target).is_none() {
                    break;
                }
                if score[target].is_none() {
                    score[target] = Some(self.initial_score(target));
                }
                let div = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f64 * 3.0,
                };
                if let Some(s) = score[target].as_mut() {
                    *s += gain / div;
                }
                target = self.parent(target);
                level += 1;
            }
        }
        for (i, s) in score.iter_mut().enumerate() {
            if let Some(v) = s {
                *v *= 1.0 - link_density(&st[i]);
            }
        }
        let mut ranked: Vec<(usize, f64)> = score
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|v| (i, v)))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some(&(mut top, _)) = ranked.first() else {
            // No paragraph long enough to score: keep every block (a tiny page).
            return Some((self.render(&all, title), None));
        };

        // Several strong candidates under one ancestor: the article is that ancestor.
        let top_score = score[top].unwrap_or(0.0);
        let alternatives: Vec<usize> = ranked
            .iter()
            .skip(1)
            .take(4)
            .filter(|(_, s)| *s >= top_score * 0.75)
            .map(|(i, _)| *i)
            .collect();
        if alternatives.len() >= 3 {
            // How many alternatives each ancestor holds (one walk up per alternative).
            let mut holds: HashMap<usize, usize> = HashMap::new();
            for &a in &alternatives {
                let mut p = a;
                while p != NONE {
                    *holds.entry(p).or_insert(0) += 1;
                    p = self.parent(p);
                }
            }
            let mut p = self.parent(top);
            while p != NONE && self.tag(p) != "body" && self.elem(p).is_some() {
                if holds.get(&p).copied().unwrap_or(0) >= 3 {
                    top = p;
                    break;
                }
                p = self.parent(p);
            }
        }
        if score[top].is_none() {
            score[top] = Some(self.initial_score(top));
        }
        // A parent that scores better than its child is the better container.
        let mut last = score[top].unwrap_or(0.0);
        let threshold = last / 3.0;
        let mut p = self.parent(top);
        while p != NONE && self.tag(p) != "body" && self.elem(p).is_some() {
            match score[p] {
                None => {}
                Some(s) if s < threshold => break,
                Some(s) if s > last => {
                    top = p;
                    break;
                }
                Some(s) => last = s,
            }
            p = self.parent(p);
        }
        // An only child is as good as its parent.
        loop {
            let p = self.parent(top);
            if p == NONE || self.tag(p) == "body" || self.elem(p).is_none() {
                break;
            }
            let kept_children = self.nodes[p]
                .children
                .iter()
                .filter(|&&c| !removed[c] && self.has_content(c, st))
                .count();
            if kept_children != 1 {
                break;
            }
            top = p;
        }

        let roots = self.with_siblings(top, &score, removed, st);
        let dropped = if flags.clean {
            self.clean_conditionally(&roots, removed, st)
        } else {
            removed.to_vec()
        };
        let blocks = self.blocks(&roots, &dropped, st);
        let time = self.time_in(&roots);
        Some((self.render(&blocks, title), time))
    }

    fn has_content(&self, i: usize, st: &[Stats]) -> bool {
        match &self.nodes[i].kind {
            Kind::Text(t) => !t.trim().is_empty(),
            Kind::Element(_) => st[i].text > 0 || st[i].img > 0,
            Kind::Other => false,
        }
    }

    fn body_root(&self) -> usize {
        (0..self.nodes.len()).find(|&i| self.tag(i) == "body").unwrap_or(0)
    }

    fn initial_score(&self, i: usize) -> f64 {
        let base = match self.tag(i) {
            "div" | "article" | "main" | "section" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        };
        base + self.class_weight(i)
    }

    /// The element's class weight, or 0 on the try that ignores class names.
    fn class_weight(&self, i: usize) -> f64 {
        if self.weight_classes.get() {
            self.nodes.get(i).map_or(0.0, |n| n.weight)
        } else {
            0.0
        }
    }

    /// The top candidate and those of its siblings that look like more of the same article.
    fn with_siblings(&self, top: usize, score: &[Option<f64>], removed: &[bool], st: &[Stats]) -> Vec<usize> {
        let parent = self.parent(top);
        if parent == NONE || self.elem(parent).is_none() {
            return vec![top];
        }
        let top_score = score[top].unwrap_or(0.0);
        let threshold = (top_score * 0.2).max(10.0);
        let top_class = self.elem(top).map(|e| e.class.as_str()).unwrap_or("");
        let mut out = Vec::new();
        for &s in &self.nodes[parent].children {
            if removed[s] {
                continue;
            }
            if s == top {
                out.push(s);
                continue;
            }
            let Some(e) = self.elem(s) else { continue };
            let mut bonus = 0.0;
            if !top_class.is_empty() && e.class == top_class {
                bonus += top_score * 0.2;
            }

            let same_class = !top_class.is_empty() && e.class == top_class;
            let keep = if score[s].is_some_and(|v| v + bonus >= threshold) {
                true
            } else if same_class && score[s].is_none() {
                // An article split into several containers of one kind, scored too deep to count.
                st[s].text >= 100 && link_density(&st[s]) < 0.3
            } else if e.tag == "p" || (matches!(e.tag.as_str(), "div" | "section") && !st[s].has_block) {
                let ld = link_density(&st[s]);
                let len = st[s].text;
                (len > 80 && ld < 0.25) || (len > 0 && len <= 80 && ld == 0.0 && self.ends_sentence(s, removed))
            } else {
                false
            };
            if keep {
                out.push(s);
            }
        }
        out
    }

    fn ends_sentence(&self, i: usize, removed: &[bool]) -> bool {
        let mut text = String::new();
        self.collect_text(i, removed, &mut text);
        let t = text.trim_end();
        t.ends_with('.') || t.ends_with('!') || t.ends_with('?') || t.ends_with('"')
    }

    fn collect_text(&self, root: usize, removed: &[bool], out: &mut String) {
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            if removed[i] {
                continue;
            }
            if let Kind::Text(t) = &self.nodes[i].kind {
                out.push_str(t);
            }
            for &c in self.nodes[i].children.iter().rev() {
                stack.push(c);
            }
        }
    }

    /// Readability's conditional clean inside the chosen content: containers that are mostly links,
    /// images or form controls, or that have a negative class, are left out.
    fn clean_conditionally(&self, roots: &[usize], removed: &[bool], st: &[Stats]) -> Vec<bool> {
        let mut dropped = removed.to_vec();
        for &root in roots {
            let mut stack = vec![root];
            while let Some(i) = stack.pop() {
                if dropped[i] {
                    continue;
                }
                if i != root && self.should_drop(i, st) {
                    dropped[i] = true;
                    continue;
                }
                for &c in self.nodes[i].children.iter().rev() {
                    stack.push(c);
                }
            }
        }
        dropped
    }

    fn should_drop(&self, i: usize, st: &[Stats]) -> bool {
        let Some(e) = self.elem(i) else { return false };
        let tag = e.tag.as_str();
        let s = &st[i];
        if (is_heading(tag) || tag == "header") && self.class_weight(i) < 0.0 {
            return true;
        }
        if !e.class_id.trim().is_empty()
            && (e.class_id.contains("share") || e.class_id.contains("social"))
            && s.text < 500
            && !MAYBE.is_match(&e.class_id)
        {
            return true;
        }
        if !matches!(
            tag,
            "form" | "fieldset" | "table" | "ul" | "ol" | "div" | "section" | "figure" | "header"
        ) {
            return false;
        }
        if tag == "table" && self.is_data_table(i) {
            return false;
        }
        let weight = self.class_weight(i);
        if weight < 0.0 {
            return true;
        }
        if s.commas >= 10 {
            return false;
        }
        let is_list = matches!(tag, "ul" | "ol");
        let ld = link_density(s);
        let heading_density = if s.text == 0 {
            0.0
        } else {
            s.headings as f64 / s.text as f64
        };
        let in_figure = self.under(i, UNDER_FIGURE);
        (s.img > 1 && (s.p as f64 / s.img as f64) < 0.5 && !in_figure)
            || (s.input > s.p / 3)
            || (!is_list && heading_density < 0.9 && s.text < 25 && (s.img == 0 || s.img > 2) && !in_figure)
            || (!is_list && weight < 25.0 && ld > 0.2)
            || (is_list && ld > 0.5)
            || (weight >= 25.0 && ld > 0.5)
            || ((s.embed == 1 && s.text < 75) || s.embed > 1)
    }

    fn is_data_table(&self, i: usize) -> bool {
        let Some(e) = self.elem(i) else { return false };
        if e.attr("role").is_some_and(|r| r.eq_ignore_ascii_case("presentation")) {
            return false;
        }
        if e.attr("datatable").is_some_and(|v| v == "0") {
            return false;
        }
        if e.attr("summary").is_some() {
            return true;
        }
        let mut stack: Vec<usize> = self.nodes[i].children.clone();
        let mut rows = 0;
        while let Some(c) = stack.pop() {
            match self.tag(c) {
                "caption" | "thead" | "tfoot" | "th" | "colgroup" | "col" => return true,
                "table" => return false,
                "tr" => rows += 1,
                _ => {}
            }
            stack.extend(self.nodes[c].children.iter().copied());
        }
        rows >= 10
    }

    /// The first `<time datetime>` in the chosen content, else in its nearest ancestors' subtrees
    /// (the headline block beside the article body usually holds it; pruning does not matter here).
    fn time_in(&self, roots: &[usize]) -> Option<String> {
        let mut scopes: Vec<usize> = roots.to_vec();
        if let Some(&r) = roots.first() {
            let mut p = self.parent(r);
            for _ in 0..3 {
                if p == NONE || self.tag(p) == "body" || self.elem(p).is_none() {
                    break;
                }
                scopes.push(p);
                p = self.parent(p);
            }
        }
        for root in scopes {
            let mut stack = vec![root];
            while let Some(i) = stack.pop() {
                if let Some(e) = self.elem(i) {
                    if e.tag == "time" {
                        if let Some(dt) = e.attr("datetime").map(str::trim) {
                            if !dt.is_empty() {
                                return Some(dt.to_string());
                            }
                        }
                    }
                }
                for &c in self.nodes[i].children.iter().rev() {
                    stack.push(c);
                }
            }
        }
        None
    }

    /// Joins the blocks that are article text.
    fn render(&self, blocks: &[Block], title: Option<&str>) -> String {
        let title_key = title.map(normalize_key).unwrap_or_default();
        let mut out = String::new();
        for b in blocks {
            let tag = self.tag(b.owner);
            if tag == "h1" {
                continue;
            }
            if !title_key.is_empty() && is_heading(tag) && normalize_key(&b.text) == title_key {
                continue;
            }
            let ld = if b.chars == 0 {
                0.0
            } else {
                b.link_chars as f64 / b.chars as f64
            };
            // Mostly links: a list of related stories, unless it is a long paragraph that happens
            // to link many names.
            if ld > 0.5 && (b.chars < 150 || ld > 0.85) {
                continue;
            }
            if BOILERPLATE_BLOCK.is_match(&b.text)
                || (b.chars < 250 && (b.text.contains('©') || b.text.contains("All rights reserved")))
                || b.text.starts_with("DON'T MISS")
            {
                continue;
            }
            let sentence_end = b.text.ends_with(['.', '!', '?', '"', '”']);
            if b.chars < 120
                && ((BYLINE.is_match(&b.text) && !sentence_end)
                    || STAMP_LINE.is_match(&b.text)
                    || DATE_LINE.is_match(&b.text))
            {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&b.text);
        }
        out
    }
}

/// Readability's class weight: -25 for a boilerplate-looking class or id, +25 for an article-looking
/// one (each), +50 for microdata `itemprop=articleBody`.
fn class_weight(e: &Elem) -> f64 {
    let mut w = 0.0;
    for name in [&e.class, &e.id] {
        let name = name.to_lowercase();
        if name.is_empty() {
            continue;
        }
        if NEGATIVE.is_match(&name) {
            w -= 25.0;
        }
        if POSITIVE.is_match(&name) {
            w += 25.0;
        }
    }
    if e.attr("itemprop")
        .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
    {
        w += 50.0;
    }
    w
}

fn is_hidden(e: &Elem) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    if e.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"))
        && !matches!(e.tag.as_str(), "p" | "article" | "main" | "body")
    {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

fn is_comma(c: char) -> bool {
    matches!(
        c,
        ',' | '\u{060C}' | '\u{FE50}' | '\u{FE10}' | '\u{FE11}' | '\u{2E41}' | '\u{2E34}' | '\u{2E32}' | '\u{FF0C}'
    )
}

fn link_density(s: &Stats) -> f64 {
    if s.text == 0 {
        0.0
    } else {
        (s.link as f64 / s.text as f64).min(1.0)
    }
}

fn normalize_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The paragraph being built by [`Dom::blocks`].
#[derive(Default)]
struct Para {
    text: String,
    chars: usize,
    link_chars: usize,
    owner: usize,
    pending_space: bool,
    /// A `<br>` came last with no text after it.
    after_br: bool,
}

impl Para {
    fn push(&mut self, t: &str, in_link: bool, owner: usize) {
        for c in t.chars() {
            if c.is_whitespace() {
                self.pending_space = !self.text.is_empty();
                continue;
            }
            if matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}') {
                continue;
            }
            if self.text.is_empty() {
                self.owner = owner;
            }
            if self.pending_space {
                self.text.push(' ');
                self.chars += 1;
                if in_link {
                    self.link_chars += 1;
                }
                self.pending_space = false;
            }
            self.text.push(c);
            self.chars += 1;
            if in_link {
                self.link_chars += 1;
            }
            self.after_br = false;
        }
    }

    fn soft_space(&mut self) {
        if !self.text.is_empty() {
            self.pending_space = true;
        }
    }

    fn line_break(&mut self, out: &mut Vec<Block>, dom: &Dom, st: &[Stats]) {
        if self.after_br {
            self.flush(out, dom, st);
        } else {
            self.soft_space();
            self.after_br = true;
        }
    }

    fn flush(&mut self, out: &mut Vec<Block>, dom: &Dom, st: &[Stats]) {
        if !self.text.is_empty() {
            let owner = self.owner;
            let owner_tag = dom.tag(owner);
            // Text directly in a container that also holds blocks (Readability wraps it in a <p>).
            let loose = !matches!(
                owner_tag,
                "p" | "pre" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "dt" | "dd" | "td" | "th"
            ) && st.get(owner).is_some_and(|s| s.has_block);
            out.push(Block {
                text: std::mem::take(&mut self.text),
                chars: self.chars,
                link_chars: self.link_chars,
                owner,
                loose,
            });
        }
        self.chars = 0;
        self.link_chars = 0;
        self.pending_space = false;
        self.after_br = false;
    }
}

// ---------------------------------------------------------------------------------------------------
// Metadata.

static SEL_META: LazyLock<Selector> = LazyLock::new(|| sel("meta"));
static SEL_LINK: LazyLock<Selector> = LazyLock::new(|| sel("link[rel]"));
static SEL_LD: LazyLock<Selector> = LazyLock::new(|| sel("script"));
static SEL_TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static SEL_H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static SEL_HTML: LazyLock<Selector> = LazyLock::new(|| sel("html"));
static SEL_ITEMPROP_DATE: LazyLock<Selector> =
    LazyLock::new(|| sel("[itemprop=datePublished]:not(meta), time[pubdate]"));

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("constant selector")
}

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}").expect("constant regex"));

fn metadata(doc: &Html) -> HtmlArticle {
    // Meta tags by lower-cased property / name / itemprop, in document order.
    let mut meta: HashMap<String, Vec<String>> = HashMap::new();
    for m in doc.select(&SEL_META) {
        let e = m.value();
        let Some(content) = e.attr("content").map(clean_ws).filter(|c| !c.is_empty()) else {
            continue;
        };
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = e.attr(key) {
                meta.entry(k.trim().to_ascii_lowercase())
                    .or_default()
                    .push(content.clone());
            }
        }
    }
    let first =
        |keys: &[&str]| -> Option<String> { keys.iter().find_map(|k| meta.get(*k).and_then(|v| v.first().cloned())) };
    let ld = json_ld(doc);

    let title = first(&["og:title", "twitter:title", "dc.title", "headline"])
        .or_else(|| ld_str(&ld, &["headline", "name"]))
        .or_else(|| {
            doc.select(&SEL_H1)
                .map(|h| clean_ws(&h.text().collect::<String>()))
                .find(|t| !t.is_empty())
        })
        .or_else(|| {
            doc.select(&SEL_TITLE)
                .map(|h| clean_ws(&h.text().collect::<String>()))
                .find(|t| !t.is_empty())
        });

    let mut dates: Vec<String> = Vec::new();
    for k in [
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "og:pubdate",
        "article:published",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.created",
        "dcterms.issued",
        "parsely-pub-date",
        "sailthru.date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "datepublished",
        "article.published",
        "original-publish-date",
        "cxenseparse:recs:publishtime",
        "displaydate",
    ] {
        if let Some(v) = meta.get(k) {
            dates.extend(v.iter().cloned());
        }
    }
    if let Some(d) = ld_str(&ld, &["datePublished"]) {
        dates.push(d);
    }
    if let Some(d) = ld_str(&ld, &["dateCreated", "uploadDate"]) {
        dates.push(d);
    }
    // Microdata: <meta itemprop=datePublished content> is already in `meta`; elements carry it in
    // `datetime` or their text.
    for e in doc.select(&SEL_ITEMPROP_DATE) {
        let v = e
            .value()
            .attr("datetime")
            .or(e.value().attr("content"))
            .map(clean_ws)
            .unwrap_or_else(|| clean_ws(&e.text().collect::<String>()));
        if !v.is_empty() {
            dates.push(v);
        }
    }
    dates.retain(|d| plausible_date(d));
    let published = dates.iter().find(|d| ISO_DATE.is_match(d)).or(dates.first()).cloned();

    let author = ld_author(&ld)
        .or_else(|| {
            [
                "author",
                "article:author",
                "parsely-author",
                "sailthru.author",
                "dc.creator",
                "byl",
                "twitter:creator",
            ]
            .iter()
            .filter_map(|k| meta.get(*k))
            .flatten()
            .find(|v| !v.starts_with("http") && !v.starts_with('@'))
            .cloned()
        })
        .map(|s| strip_by(&s));

    let section = first(&[
        "article:section",
        "parsely-section",
        "section",
        "og:section",
        "article.section",
    ])
    .or_else(|| ld_str(&ld, &["articleSection"]));

    let canonical = doc
        .select(&SEL_LINK)
        .find(|l| {
            l.value()
                .attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("canonical")))
        })
        .and_then(|l| l.value().attr("href"))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_string);
    let url = canonical.or_else(|| first(&["og:url"]));

    let site_name = first(&["og:site_name"])
        .or_else(|| ld_publisher(&ld))
        .or_else(|| first(&["application-name", "twitter:site"]));

    let lang = doc
        .select(&SEL_HTML)
        .next()
        .and_then(|h| h.value().attr("lang").or(h.value().attr("xml:lang")))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .or_else(|| first(&["content-language", "language", "dc.language", "og:locale"]));
    HtmlArticle {
        title,
        body: String::new(),
        published,
        author,
        section,
        url,
        site_name,
        lang,
    }
}

/// Rejects placeholders such as `0001-01-01T00:00:00Z` and values with no year in them.
fn plausible_date(d: &str) -> bool {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\D)(\d{4})(?:\D|$)").expect("constant regex"));
    let years: Vec<u32> = YEAR
        .captures_iter(d)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .collect();
    // A bare Unix timestamp (sailthru and others) is a date too.
    let unix = (9..=13).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit());
    unix || years.iter().any(|y| (1900..=2100).contains(y))
}

fn clean_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_by(s: &str) -> String {
    let t = s.trim();
    for p in ["By ", "by ", "BY "] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

/// Every JSON object in the page's JSON-LD scripts, flattened out of arrays and `@graph`, with
/// article-typed objects first.
fn json_ld(doc: &Html) -> Vec<Value> {
    let mut roots = Vec::new();
    for s in doc.select(&SEL_LD) {
        let is_ld = s
            .value()
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let raw: String = s.text().collect();
        let mut t = raw.trim();
        for p in ["<!--", "//<![CDATA[", "<![CDATA["] {
            t = t.strip_prefix(p).unwrap_or(t).trim();
        }
        for p in ["-->", "//]]>", "]]>", ";"] {
            t = t.strip_suffix(p).unwrap_or(t).trim();
        }
        let parsed = serde_json::from_str::<Value>(t).or_else(|_| {
            // Raw control characters inside strings are common; JSON forbids them.
            let fixed: String = t.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            serde_json::from_str::<Value>(&fixed)
        });
        if let Ok(v) = parsed {
            roots.push(v);
        }
    }
    let mut objects = Vec::new();
    let mut stack: Vec<Value> = roots.into_iter().rev().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.into_iter().rev()),
            Value::Object(mut map) => {
                if let Some(g) = map.remove("@graph") {
                    stack.push(g);
                }
                objects.push(Value::Object(map));
            }
            _ => {}
        }
    }
    let (mut articles, others): (Vec<Value>, Vec<Value>) = objects.into_iter().partition(is_article_type);
    articles.extend(others);
    articles
}

fn is_article_type(v: &Value) -> bool {
    let types: Vec<&str> = match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    types
        .iter()
        .any(|t| t.contains("Article") || t.contains("Posting") || t.contains("Report"))
}

/// The first string value under any of `keys` (article objects first). "name" is only taken from
/// article-typed objects (a WebSite's or a Person's name is not a headline).
fn ld_str(ld: &[Value], keys: &[&str]) -> Option<String> {
    for key in keys {
        for obj in ld {
            if *key == "name" && !is_article_type(obj) {
                continue;
            }
            let found = match obj.get(*key) {
                Some(Value::String(s)) => Some(clean_ws(s)),
                Some(Value::Array(a)) => a.iter().find_map(Value::as_str).map(clean_ws),
                _ => None,
            };
            if let Some(s) = found.filter(|s| !s.is_empty()) {
                return Some(s);
            }
        }
    }
    None
}

fn ld_author(ld: &[Value]) -> Option<String> {
    fn name_of(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(clean_ws(s)),
            Value::Object(m) => m.get("name").and_then(name_of),
            Value::Array(a) => {
                let names: Vec<String> = a.iter().filter_map(name_of).filter(|s| !s.is_empty()).collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
            _ => None,
        }
    }
    ld.iter()
        .filter_map(|o| o.get("author").and_then(name_of))
        .find(|s| !s.is_empty() && !s.starts_with("http"))
}

fn ld_publisher(ld: &[Value]) -> Option<String> {
    ld.iter()
        .filter_map(|o| o.get("publisher"))
        .filter_map(|p| match p {
            Value::Object(m) => m.get("name").and_then(Value::as_str).map(clean_ws),
            Value::Array(a) => a
                .iter()
                .find_map(|x| x.get("name").and_then(Value::as_str))
                .map(clean_ws),
            _ => None,
        })
        .find(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LOREM_1: &str = "The city council voted on Tuesday to expand the bus network, adding twelve routes \
                           that will serve the northern suburbs from next spring.";
    const LOREM_2: &str = "Officials said the plan, which costs about 40 million dollars, would be paid for \
                           by a new levy on parking, a proposal that drew protests last year.";
    const LOREM_3: &str = "Critics on the council argued that the money would be better spent on repairing \
                           roads, but the measure passed by nine votes to four.";

    fn page(head: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>"
        )
    }

    fn paras() -> String {
        format!("<p>{LOREM_1}</p>\n<p>{LOREM_2}</p>\n<p>{LOREM_3}</p>")
    }

    fn expected() -> String {
        format!("{LOREM_1}\n\n{LOREM_2}\n\n{LOREM_3}")
    }

    #[test]
    fn navigation_ads_comments_and_banners_are_left_out() {
        let html = page(
            "<title>Council expands buses - The Daily Example</title>",
            &format!(
                r#"<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
                <header class="site-header"><a href="/">Home</a> <a href="/news">News</a></header>
                <nav><ul><li><a href="/a">World</a></li><li><a href="/b">Politics</a></li></ul></nav>
                <div class="ad-slot">Advertisement</div>
                <article><h1>Council expands buses</h1>
                  <div class="byline">By Jane Smith</div>
                  <div class="share-tools"><a href="/fb">Share on Facebook</a> <a href="/tw">Tweet</a></div>
                  {}
                  <p>Advertisement</p>
                </article>
                <section id="comments"><h3>Comments</h3>
                  <div class="comment"><p>This is a waste of money, and everyone knows it, honestly.</p></div>
                </section>
                <aside><h3>Related</h3><a href="/x">Another story about buses</a></aside>
                <footer>Copyright 2019 The Daily Example. All rights reserved.</footer>"#,
                paras()
            ),
        );
        let a = extract(&html).unwrap();
        assert_eq!(a.body, expected());
        assert_eq!(a.title.as_deref(), Some("Council expands buses"));
        assert_eq!(a.lang.as_deref(), Some("en"));
    }

    #[test]
    fn related_link_lists_inside_the_article_are_left_out() {
        let html = page(
            "",
            &format!(
                r#"<main><article><div class="article-body">{}
                <ul><li><a href="/1">Bus fares to rise in January for the first time in years</a></li>
                    <li><a href="/2">Mayor defends transport budget after council row</a></li>
                    <li><a href="/3">Five things to know about the new tram line</a></li></ul>
                </div></article></main>"#,
                paras()
            ),
        );
        assert_eq!(extract(&html).unwrap().body, expected());
    }

    #[test]
    fn nested_article_and_main_pick_the_text_container() {
        let html = page(
            "",
            &format!(
                r#"<div id="page"><main id="main"><div class="layout">
                  <article class="story"><div class="story-wrapper"><section class="story-body">
                    <div class="paragraphs">{}</div>
                  </section></div></article>
                  <div class="sidebar"><div class="most-read"><h2>Most read</h2>
                    <p><a href="/p">A long headline about something else entirely, read by many people today</a></p>
                  </div></div>
                </div></main></div>"#,
                paras()
            ),
        );
        assert_eq!(extract(&html).unwrap().body, expected());
    }

    #[test]
    fn scripts_styles_and_hidden_elements_are_removed() {
        let html = page(
            "<style>p { color: red; }</style><script>var x = 'head script';</script>",
            &format!(
                r#"<article><p>{LOREM_1}<script>document.write("inline script text")</script></p>
                <style>.x {{ display: none }}</style>
                <noscript>Please enable JavaScript to view this page properly.</noscript>
                <p>{LOREM_2}</p>
                <div style="display: none">Hidden promotional text that should never be read by anyone.</div>
                <p hidden>Hidden paragraph that should never be read by anyone at all.</p>
                <template><p>Template text that should never be rendered at all.</p></template>
                <p>{LOREM_3}</p></article>"#
            ),
        );
        assert_eq!(extract(&html).unwrap().body, expected());
    }

    #[test]
    fn text_is_decoded_and_whitespace_collapsed() {
        let html = page(
            "",
            "<article><p>Fish &amp; chips&nbsp;now   cost\n\t&pound;5 &mdash; up from <b>£4</b>, \
             the <a href=\"/x\">owner</a>&#39;s sign says, and the queue is still long.</p>\
             <div>First line of a loose block that talks about the queue outside the shop.<br>Second line \
             of it.<br><br>A new paragraph after two breaks, with more words in it.</div></article>",
        );
        let a = extract(&html).unwrap();
        assert_eq!(
            a.body,
            "Fish & chips now cost £5 — up from £4, the owner's sign says, and the queue is still long.\n\n\
             First line of a loose block that talks about the queue outside the shop. Second line of it.\n\n\
             A new paragraph after two breaks, with more words in it."
        );
    }

    #[test]
    fn byline_and_date_lines_are_dropped() {
        let html = page(
            "",
            &format!(
                "<article><p>By Jane Smith and John Doe</p><p>November 19, 2019</p>\
                 <p>Updated 8:21 am ET, Nov. 19, 2019</p>{}</article>",
                paras()
            ),
        );
        assert_eq!(extract(&html).unwrap().body, expected());
    }

    #[test]
    fn json_ld_metadata_inside_graph() {
        let head = r#"<script type="application/ld+json">
            {"@context": "https://schema.org", "@graph": [
              {"@type": "WebSite", "name": "Example Site", "url": "https://example.com/"},
              {"@type": ["NewsArticle"], "headline": "Council expands buses",
               "datePublished": "2019-11-19T08:02:00-05:00", "articleSection": ["Local", "Transport"],
               "author": [{"@type": "Person", "name": "Jane Smith"}, {"@type": "Person", "name": "John Doe"}],
               "publisher": {"@type": "Organization", "name": "The Daily Example"}}
            ]}
            </script>"#;
        let a = extract(&page(head, &format!("<article>{}</article>", paras()))).unwrap();
        assert_eq!(a.published.as_deref(), Some("2019-11-19T08:02:00-05:00"));
        assert_eq!(a.title.as_deref(), Some("Council expands buses"));
        assert_eq!(a.author.as_deref(), Some("Jane Smith, John Doe"));
        assert_eq!(a.section.as_deref(), Some("Local"));
        assert_eq!(a.site_name.as_deref(), Some("The Daily Example"));
    }

    #[test]
    fn json_ld_in_a_top_level_array_with_raw_newlines() {
        let head = "<script type=\"application/ld+json\">[{\"@type\": \"BreadcrumbList\"},\
                    {\"@type\": \"ReportageNewsArticle\", \"headline\": \"Line one\nline two\", \
                    \"datePublished\": \"2018-09-27\"}]</script>";
        let a = extract(&page(head, &format!("<article>{}</article>", paras()))).unwrap();
        assert_eq!(a.published.as_deref(), Some("2018-09-27"));
        assert_eq!(a.title.as_deref(), Some("Line one line two"));
    }

    #[test]
    fn time_element_inside_the_article() {
        let html = page(
            "",
            &format!(
                r#"<time datetime="2001-01-01">in the site header</time>
                <div class="wrap"><div class="story-header"><time datetime="2019-11-20T06:35:39Z">Nov 20</time></div>
                <div class="story-body">{}</div></div>"#,
                paras()
            ),
        );
        let a = extract(&html).unwrap();
        assert_eq!(a.published.as_deref(), Some("2019-11-20T06:35:39Z"));
        assert_eq!(a.body, expected());
    }

    #[test]
    fn meta_dates_prefer_iso_and_skip_placeholders() {
        let head = r#"<meta name="sailthru.date" content="Tue, 19 Nov 2019 08:02:00">
            <meta name="date" content="0001-01-01T00:00:00Z">
            <meta name="parsely-pub-date" content="2019-11-19T13:02:00Z">"#;
        let a = extract(&page(head, &paras())).unwrap();
        assert_eq!(a.published.as_deref(), Some("2019-11-19T13:02:00Z"));

        let head = r#"<meta property="article:published_time" content="2019-11-18T23:04:24-05:00">
            <meta name="dc.date" content="2019-11-19">"#;
        let a = extract(&page(head, &paras())).unwrap();
        assert_eq!(a.published.as_deref(), Some("2019-11-18T23:04:24-05:00"));

        let head = r#"<meta name="pubdate" content="19 Nov 2019 07:09 GMT">"#;
        let a = extract(&page(head, &paras())).unwrap();
        assert_eq!(a.published.as_deref(), Some("19 Nov 2019 07:09 GMT"));
    }

    #[test]
    fn meta_tags_give_url_site_author_section_and_title() {
        let head = r#"<title>Buses | Example</title>
            <link rel="canonical" href="https://example.com/buses">
            <meta property="og:url" content="https://example.com/og-buses">
            <meta property="og:title" content="Council expands buses">
            <meta property="og:site_name" content="The Daily Example">
            <meta name="author" content="By Jane Smith">
            <meta property="article:section" content="Local news">"#;
        let a = extract(&page(head, &paras())).unwrap();
        assert_eq!(a.url.as_deref(), Some("https://example.com/buses"));
        assert_eq!(a.title.as_deref(), Some("Council expands buses"));
        assert_eq!(a.site_name.as_deref(), Some("The Daily Example"));
        assert_eq!(a.author.as_deref(), Some("Jane Smith"));
        assert_eq!(a.section.as_deref(), Some("Local news"));
        assert_eq!(a.published, None);

        let a = extract(&page(
            r#"<meta property="og:url" content="https://example.com/og">"#,
            &paras(),
        ))
        .unwrap();
        assert_eq!(a.url.as_deref(), Some("https://example.com/og"));
    }

    #[test]
    fn headline_is_not_repeated_in_the_body() {
        let html = page(
            r#"<meta property="og:title" content="Council expands buses">"#,
            &format!(
                "<div class=\"post\"><h2>Council expands buses</h2>{}<h2>What happens next</h2><p>{LOREM_1}</p></div>",
                paras()
            ),
        );
        let a = extract(&html).unwrap();
        assert_eq!(a.body, format!("{}\n\nWhat happens next\n\n{LOREM_1}", expected()));
    }

    #[test]
    fn short_pages_keep_their_text() {
        let a = extract("<p>Just one short line.</p>").unwrap();
        assert_eq!(a.body, "Just one short line.");
        let a = extract("plain text, no tags").unwrap();
        assert_eq!(a.body, "plain text, no tags");
    }

    #[test]
    fn empty_pages_are_errors() {
        for html in [
            "",
            "   ",
            "<html><head><title>Nothing</title></head><body></body></html>",
            "<html><body><script>var a = 1;</script><style>p {}</style></body></html>",
            "<nav><a href=\"/\">Home</a><a href=\"/news\">News</a></nav>",
        ] {
            assert!(matches!(extract(html), Err(HtmlError::NoText)), "{html:?}");
        }
        assert_eq!(HtmlError::NoText.to_string(), "no article text found in the page");
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 5_000;
        let html = format!("{}<p>{LOREM_1}</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let a = extract(&html).unwrap();
        assert_eq!(a.body, LOREM_1);
    }

    #[test]
    fn plausible_dates() {
        assert!(plausible_date("2019-11-19"));
        assert!(plausible_date("Fri 6:45 PM, Feb 16, 2018"));
        assert!(plausible_date("1574168486"));
        assert!(!plausible_date("0001-01-01T00:00:00Z"));
        assert!(!plausible_date("yesterday"));
    }

    fn html_fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<p>".to_string()),
            Just("</p>".to_string()),
            Just("<div class=\"article-body\">".to_string()),
            Just("<div class=\"comments\">".to_string()),
            Just("</div>".to_string()),
            Just("<br>".to_string()),
            Just("<a href=\"/x\">".to_string()),
            Just("</a>".to_string()),
            Just("<script>".to_string()),
            Just("<table><tr><td>".to_string()),
            Just("<h1>".to_string()),
            Just("&amp; &nbsp; &#x1F600; &bogus;".to_string()),
            Just("<script type=\"application/ld+json\">{\"datePublished\": [".to_string()),
            "[a-zA-Z ,.\u{00e9}\u{4e2d}\n]{0,80}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            if let Ok(a) = extract(&s) {
                prop_assert!(!a.body.is_empty());
            }
        }

        #[test]
        fn bodies_are_clean_paragraphs(parts in proptest::collection::vec(html_fragment(), 0..40)) {
            let html = parts.concat();
            if let Ok(a) = extract(&html) {
                prop_assert!(!a.body.is_empty());
                for para in a.body.split("\n\n") {
                    prop_assert!(!para.is_empty());
                    prop_assert_eq!(para.trim(), para);
                    prop_assert!(!para.contains('\n'));
                    prop_assert!(!para.contains("  "));
                }
            }
        }
    }
}
