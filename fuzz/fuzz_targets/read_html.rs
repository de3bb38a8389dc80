//! Fuzz the html reader and every stage after it (see src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annalist_fuzz::check(data, annalist_ingest::InputFormat::Html));
