//! Fuzz target: `breachdesk::fuzzing::clean` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| breachdesk::fuzzing::clean(data));
