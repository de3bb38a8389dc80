//! SimHash over word 3-shingles: near-duplicate articles (the same wire story on many sites) have
//! fingerprints a few bits apart.

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    // Final mix so that similar shingles spread over all bits.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h
}

/// The 64-bit SimHash of a text's lower-cased word 3-shingles.
pub fn simhash(text: &str) -> u64 {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    if words.is_empty() {
        return 0;
    }
    let mut acc = [0i32; 64];
    let n = words.len().saturating_sub(2).max(1);
    for i in 0..n {
        let sh = words[i..(i + 3).min(words.len())].join(" ");
        let h = fnv(sh.as_bytes());
        for (b, a) in acc.iter_mut().enumerate() {
            *a += if h >> b & 1 == 1 { 1 } else { -1 };
        }
    }
    acc.iter()
        .enumerate()
        .fold(0u64, |h, (b, &a)| if a > 0 { h | 1 << b } else { h })
}

/// Number of differing bits.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_are_close_and_others_far() {
        let a = "Russia and China signed an agreement on energy cooperation on Monday, officials in Beijing said, adding that talks would continue next month in Moscow with ministers from both countries.";
        let b = "Russia and China signed an agreement on energy cooperation on Monday, officials in Beijing said, adding that talks would continue next month in Moscow with ministers from both sides.";
        let c = "Heavy rain flooded the northern province overnight and forced thousands of residents to leave their homes, the regional governor told reporters after visiting the area.";
        assert!(
            hamming(simhash(a), simhash(b)) <= 8,
            "{}",
            hamming(simhash(a), simhash(b))
        );
        assert!(hamming(simhash(a), simhash(c)) > 16);
        assert_eq!(simhash(a), simhash(a));
    }
}
