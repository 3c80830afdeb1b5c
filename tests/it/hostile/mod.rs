//! Hostile input, from outside the compiler's happy path: each case asserts
//! the exit code, the message, no panic and a bounded time.

mod output;
