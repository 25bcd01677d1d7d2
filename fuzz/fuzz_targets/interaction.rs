//! Fuzz target: `breachdesk::fuzzing::interaction` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| breachdesk::fuzzing::interaction(data));
