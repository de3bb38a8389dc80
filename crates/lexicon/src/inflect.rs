//! Inflections for `~word` pattern elements: verb forms (base, -s, -ed, -ing, irregular) and noun plurals.

/// Irregular verbs: base, past, past participle.
const IRREGULAR: &[(&str, &str, &str)] = &[
    ("arise", "arose", "arisen"),
    ("be", "was", "been"),
    ("bear", "bore", "borne"),
    ("beat", "beat", "beaten"),
    ("become", "became", "become"),
    ("begin", "began", "begun"),
    ("bid", "bid", "bid"),
    ("bind", "bound", "bound"),
    ("bite", "bit", "bitten"),
    ("blow", "blew", "blown"),
    ("break", "broke", "broken"),
    ("bring", "brought", "brought"),
    ("broadcast", "broadcast", "broadcast"),
    ("build", "built", "built"),
    ("burn", "burnt", "burnt"),
    ("buy", "bought", "bought"),
    ("cast", "cast", "cast"),
    ("catch", "caught", "caught"),
    ("choose", "chose", "chosen"),
    ("come", "came", "come"),
    ("cost", "cost", "cost"),
    ("cut", "cut", "cut"),
    ("deal", "dealt", "dealt"),
    ("do", "did", "done"),
    ("draw", "drew", "drawn"),
    ("drive", "drove", "driven"),
    ("eat", "ate", "eaten"),
    ("fall", "fell", "fallen"),
    ("feed", "fed", "fed"),
    ("feel", "felt", "felt"),
    ("fight", "fought", "fought"),
    ("find", "found", "found"),
    ("flee", "fled", "fled"),
    ("fly", "flew", "flown"),
    ("forbid", "forbade", "forbidden"),
    ("forecast", "forecast", "forecast"),
    ("foresee", "foresaw", "foreseen"),
    ("forget", "forgot", "forgotten"),
    ("forgive", "forgave", "forgiven"),
    ("freeze", "froze", "frozen"),
    ("get", "got", "gotten"),
    ("give", "gave", "given"),
    ("go", "went", "gone"),
    ("grind", "ground", "ground"),
    ("grow", "grew", "grown"),
    ("hang", "hung", "hung"),
    ("have", "had", "had"),
    ("hear", "heard", "heard"),
    ("hide", "hid", "hidden"),
    ("hit", "hit", "hit"),
    ("hold", "held", "held"),
    ("hurt", "hurt", "hurt"),
    ("keep", "kept", "kept"),
    ("know", "knew", "known"),
    ("lay", "laid", "laid"),
    ("lead", "led", "led"),
    ("leave", "left", "left"),
    ("lend", "lent", "lent"),
    ("let", "let", "let"),
    ("lie", "lay", "lain"),
    ("lose", "lost", "lost"),
    ("make", "made", "made"),
    ("mean", "meant", "meant"),
    ("meet", "met", "met"),
    ("mislead", "misled", "misled"),
    ("overcome", "overcame", "overcome"),
    ("override", "overrode", "overridden"),
    ("overrun", "overran", "overrun"),
    ("oversee", "oversaw", "overseen"),
    ("overthrow", "overthrew", "overthrown"),
    ("pay", "paid", "paid"),
    ("put", "put", "put"),
    ("quit", "quit", "quit"),
    ("read", "read", "read"),
    ("rebuild", "rebuilt", "rebuilt"),
    ("rid", "rid", "rid"),
    ("retake", "retook", "retaken"),
    ("ride", "rode", "ridden"),
    ("ring", "rang", "rung"),
    ("rise", "rose", "risen"),
    ("run", "ran", "run"),
    ("say", "said", "said"),
    ("see", "saw", "seen"),
    ("seek", "sought", "sought"),
    ("sell", "sold", "sold"),
    ("send", "sent", "sent"),
    ("set", "set", "set"),
    ("shake", "shook", "shaken"),
    ("shed", "shed", "shed"),
    ("shrink", "shrank", "shrunk"),
    ("shoot", "shot", "shot"),
    ("show", "showed", "shown"),
    ("shut", "shut", "shut"),
    ("sink", "sank", "sunk"),
    ("slay", "slew", "slain"),
    ("speak", "spoke", "spoken"),
    ("spend", "spent", "spent"),
    ("split", "split", "split"),
    ("spread", "spread", "spread"),
    ("stand", "stood", "stood"),
    ("steal", "stole", "stolen"),
    ("stick", "stuck", "stuck"),
    ("strike", "struck", "struck"),
    ("strive", "strove", "striven"),
    ("swear", "swore", "sworn"),
    ("sweep", "swept", "swept"),
    ("take", "took", "taken"),
    ("teach", "taught", "taught"),
    ("tear", "tore", "torn"),
    ("tell", "told", "told"),
    ("think", "thought", "thought"),
    ("throw", "threw", "thrown"),
    ("undergo", "underwent", "undergone"),
    ("unfreeze", "unfroze", "unfrozen"),
    ("understand", "understood", "understood"),
    ("undertake", "undertook", "undertaken"),
    ("uphold", "upheld", "upheld"),
    ("upset", "upset", "upset"),
    ("wage", "waged", "waged"),
    ("wake", "woke", "woken"),
    ("wear", "wore", "worn"),
    ("win", "won", "won"),
    ("withdraw", "withdrew", "withdrawn"),
    ("withhold", "withheld", "withheld"),
    ("withstand", "withstood", "withstood"),
    ("write", "wrote", "written"),
];

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Whether a regular verb doubles its final consonant before -ed/-ing (stop → stopped, ban → banned).
/// Short words ending consonant-vowel-consonant double; a few longer stress-final ones too.
fn doubles(w: &str) -> bool {
    const STRESS_FINAL: &[&str] = &[
        "admit", "airdrop", "annul", "commit", "compel", "control", "equip", "expel", "fulfil", "kidnap", "occur",
        "omit", "patrol", "permit", "prefer", "propel", "rebel", "refer", "regret", "submit", "transfer", "unban",
        "unplug",
    ];
    if STRESS_FINAL.contains(&w) {
        return true;
    }
    let b = w.as_bytes();
    let n = b.len();
    if !(3..=5).contains(&n) {
        return false;
    }
    // One syllable: a single group of vowels.
    let groups = b.windows(2).filter(|p| !is_vowel(p[0]) && is_vowel(p[1])).count() + usize::from(is_vowel(b[0]));
    let (c1, v, c2) = (b[n - 3], b[n - 2], b[n - 1]);
    groups == 1 && !is_vowel(c1) && is_vowel(v) && !is_vowel(c2) && !matches!(c2, b'w' | b'x' | b'y')
}

/// All forms of a word for a `~word` element. Multi-word entries are not inflected.
pub fn forms(word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    let mut out = vec![w.clone()];
    if w.contains(' ') || w.len() < 2 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
        return out;
    }
    let b = w.as_bytes();
    let last = b[b.len() - 1];
    let prev = b[b.len() - 2];
    // -s (verbs, and noun plurals)
    let s = if w.ends_with('s')
        || w.ends_with("sh")
        || w.ends_with("ch")
        || w.ends_with('x')
        || w.ends_with('z')
        || (last == b'o' && !is_vowel(prev))
    {
        format!("{w}es")
    } else if last == b'y' && !is_vowel(prev) {
        format!("{}ies", &w[..w.len() - 1])
    } else {
        format!("{w}s")
    };
    out.push(s);
    if let Some(&(_, past, part)) = IRREGULAR.iter().find(|(base, _, _)| *base == w) {
        out.push(past.to_string());
        out.push(part.to_string());
        if w == "be" {
            out.extend(["is", "are", "were", "am", "being"].map(String::from));
        }
        if w == "have" {
            out.push("has".into());
        }
    } else {
        let ed = if last == b'e' {
            format!("{w}d")
        } else if last == b'y' && !is_vowel(prev) {
            format!("{}ied", &w[..w.len() - 1])
        } else if doubles(&w) {
            format!("{w}{}ed", last as char)
        } else {
            format!("{w}ed")
        };
        out.push(ed);
    }
    // British doubling of a final l after one vowel: cancel -> cancelled, travel -> travelling.
    let b2 = w.as_bytes();
    if b2.len() > 3 && last == b'l' && is_vowel(prev) && !is_vowel(b2[b2.len() - 3]) && !doubles(&w) {
        out.push(format!("{w}led"));
        out.push(format!("{w}ling"));
    }
    let ing = if w.ends_with("ie") {
        format!("{}ying", &w[..w.len() - 2])
    } else if last == b'e' && !w.ends_with("ee") && !w.ends_with("ye") && !w.ends_with("oe") && w != "be" {
        format!("{}ing", &w[..w.len() - 1])
    } else if doubles(&w) {
        format!("{w}{}ing", last as char)
    } else {
        format!("{w}ing")
    };
    out.push(ing);
    out.sort();
    out.dedup();
    out
}

/// The past participle(s) of a verb (for derived passives).
pub fn participles(word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    if let Some(&(_, past, part)) = IRREGULAR.iter().find(|(base, _, _)| *base == w) {
        let mut v = vec![part.to_string()];
        if past != part {
            v.push(past.to_string());
        }
        return v;
    }
    forms(&w).into_iter().filter(|f| f.ends_with("ed")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_and_irregular() {
        assert_eq!(forms("meet"), ["meet", "meeting", "meets", "met"]);
        assert_eq!(forms("sign"), ["sign", "signed", "signing", "signs"]);
        assert_eq!(forms("stop"), ["stop", "stopped", "stopping", "stops"]);
        assert_eq!(forms("urge"), ["urge", "urged", "urges", "urging"]);
        assert_eq!(forms("deny"), ["denied", "denies", "deny", "denying"]);
        assert_eq!(forms("impose"), ["impose", "imposed", "imposes", "imposing"]);
        assert_eq!(
            forms("sanction"),
            ["sanction", "sanctioned", "sanctioning", "sanctions"]
        );
        assert!(forms("attack").contains(&"attacked".to_string()));
        assert!(forms("hold").contains(&"held".to_string()));
        assert!(forms("visit").contains(&"visited".to_string()));
        assert!(forms("expel").contains(&"expelled".to_string()));
        assert!(forms("agree").contains(&"agreeing".to_string()));
        assert!(forms("open").contains(&"opened".to_string()));
        assert!(forms("plan").contains(&"planned".to_string()));
        assert!(forms("ban").contains(&"banned".to_string()));
        assert!(
            forms("cancel").contains(&"cancelled".to_string()) && forms("cancel").contains(&"canceled".to_string())
        );
        assert!(forms("travel").contains(&"travelling".to_string()));
        assert!(forms("annul").contains(&"annulled".to_string()));
        assert!(forms("unfreeze").contains(&"unfroze".to_string()));
    }

    #[test]
    fn participles_for_passives() {
        assert_eq!(participles("attack"), ["attacked"]);
        assert_eq!(participles("shoot"), ["shot"]);
        assert_eq!(participles("take"), ["taken", "took"]);
    }
}
