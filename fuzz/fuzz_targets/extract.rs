//! Fuzz target: `breachdesk::fuzzing::extract` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| breachdesk::fuzzing::extract(data));
