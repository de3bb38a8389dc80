//! The CAMEO event code table (`dicts/cameo/event-codes.tsv`): root, Goldstein value, quad class, PLOVER.

use std::collections::HashMap;

static TABLE: &str = include_str!("../../../dicts/cameo/event-codes.tsv");

/// What a CAMEO event code carries.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeInfo {
    pub code: String,
    pub name: String,
    pub root: String,
    pub goldstein: Option<f32>,
    pub quad_class: u8,
    pub plover: Option<String>,
}

/// All CAMEO event codes.
#[derive(Debug, Clone)]
pub struct CameoTable {
    codes: HashMap<String, CodeInfo>,
}

impl CameoTable {
    /// The table embedded in the binary.
    pub fn embedded() -> CameoTable {
        CameoTable::parse(TABLE)
    }

    /// Parses the table (lines starting with `#` and the header are skipped).
    pub fn parse(text: &str) -> CameoTable {
        let mut codes = HashMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.starts_with("code\t")) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 5 {
                continue;
            }
            codes.insert(
                f[0].to_string(),
                CodeInfo {
                    code: f[0].to_string(),
                    name: f[1].to_string(),
                    root: f[2].to_string(),
                    goldstein: f[3].parse().ok(),
                    quad_class: f[4].parse().unwrap_or(0),
                    plover: f.get(5).filter(|p| !p.is_empty()).map(|p| p.to_string()),
                },
            );
        }
        CameoTable { codes }
    }

    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.get(code)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Every code, sorted.
    pub fn codes(&self) -> Vec<&CodeInfo> {
        let mut v: Vec<&CodeInfo> = self.codes.values().collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_root_and_the_reference_values() {
        let t = CameoTable::embedded();
        assert_eq!(t.len(), 316);
        for r in 1..=20 {
            assert!(t.get(&format!("{r:02}")).is_some(), "root {r:02}");
        }
        let c = t.get("042").unwrap();
        assert_eq!((c.root.as_str(), c.quad_class), ("04", 1));
        assert_eq!(t.get("190").unwrap().quad_class, 4);
        assert!(t.get("190").unwrap().goldstein.unwrap() < -9.0);
    }
}
