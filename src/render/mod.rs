//! Rendering replies for a transport. The console renderer lives here; the
//! Discord renderer lives with the Discord transport.

pub mod console;
