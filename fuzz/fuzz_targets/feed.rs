//! Fuzz target: `breachdesk::fuzzing::feed` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| breachdesk::fuzzing::feed(data));
