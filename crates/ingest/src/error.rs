use std::fmt;

/// Where in the input an error happened: a file (or `-`) and, for line-oriented inputs, a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: Option<u64>,
}

impl Location {
    pub fn file(path: impl Into<String>) -> Location {
        Location {
            path: path.into(),
            line: None,
        }
    }
    pub fn line(path: impl Into<String>, line: u64) -> Location {
        Location {
            path: path.into(),
            line: Some(line),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.path, l),
            None => write!(f, "{}", self.path),
        }
    }
}

/// Why a document could not be read. Every variant names where.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{at}: cannot read: {source}")]
    Io {
        at: Location,
        #[source]
        source: std::io::Error,
    },
    #[error("{at}: not UTF-8 text (invalid byte at line {line}, byte offset {offset}); convert it or use --input reuters for latin-1 SGML")]
    InvalidUtf8 { at: Location, line: u64, offset: usize },
    #[error("{at}: looks like a binary file (NUL byte at offset {offset}), skipped")]
    Binary { at: Location, offset: usize },
    #[error("{at}: empty document (no text)")]
    Empty { at: Location },
    #[error("{at}: document is {size} bytes, over the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { at: Location, size: u64, limit: u64 },
    #[error("{at}: malformed JSON: {message}")]
    Json { at: Location, message: String },
    #[error("{at}: {message}")]
    Field { at: Location, message: String },
    #[error("{at}: {source}")]
    Html {
        at: Location,
        #[source]
        source: crate::html::HtmlError,
    },
    #[error("{at}: malformed SGML: {message}")]
    Sgml { at: Location, message: String },
}

impl IngestError {
    /// Where the error happened.
    pub fn location(&self) -> &Location {
        match self {
            IngestError::Io { at, .. }
            | IngestError::InvalidUtf8 { at, .. }
            | IngestError::Binary { at, .. }
            | IngestError::Empty { at }
            | IngestError::TooLarge { at, .. }
            | IngestError::Json { at, .. }
            | IngestError::Field { at, .. }
            | IngestError::Html { at, .. }
            | IngestError::Sgml { at, .. } => at,
        }
    }
}
