//! The one way Porthole parses PromQL: promql-parser, behind a guard.
//!
//! promql-parser 0.9 turns a plain number written where a duration goes
//! (`x[1e30]`, `x[5m:Inf]`, `x offset NaN`) into a `Duration` with
//! `Duration::from_secs_f64`, which panics on numbers no duration can hold.
//! The public query API parses what strangers send, and a panic there would
//! take the server down, so every expression is first lexed with the
//! parser's own lexer and such numbers are refused before the parser runs.

use std::time::Duration;

use lrpar::{Lexeme, Lexer, NonStreamingLexer};
use promql_parser::parser::{
    Expr,
    token::{T_ADD, T_COLON, T_LEFT_BRACKET, T_NUMBER, T_OFFSET, T_SUB, TokenId},
};

/// Parses `text` as PromQL; an error says why it is not.
pub fn parse_expr(text: &str) -> Result<Expr, String> {
    refuse_unbounded_durations(text)?;
    promql_parser::parser::parse(text)
}

/// Refuses a number in a duration's place (after `[`, a subquery's `:`,
/// or `offset` with its optional sign) that no duration can hold.
fn refuse_unbounded_durations(text: &str) -> Result<(), String> {
    let lexer = promql_parser::parser::lexer(text)?;
    let mut before: [Option<TokenId>; 2] = [None, None];
    for lexeme in lexer.iter() {
        let Ok(lexeme) = lexeme else { continue };
        let id = lexeme.tok_id();
        if id == T_NUMBER && in_duration_place(before) {
            let number = lexer.span_str(lexeme.span());
            if !holds_duration(number) {
                return Err(format!(
                    "{number:?} is not a duration; write one like 5m or 300"
                ));
            }
        }
        before = [before[1], Some(id)];
    }
    Ok(())
}

/// Whether the next token stands where the grammar reads a duration.
fn in_duration_place([two_back, one_back]: [Option<TokenId>; 2]) -> bool {
    match one_back {
        Some(T_LEFT_BRACKET | T_COLON | T_OFFSET) => true,
        Some(T_ADD | T_SUB) => two_back == Some(T_OFFSET),
        _ => false,
    }
}

/// Whether the number `text` is a count of seconds a `Duration` can hold.
fn holds_duration(text: &str) -> bool {
    promql_parser::util::parse_str_radix(text)
        .is_ok_and(|seconds| Duration::try_from_secs_f64(seconds).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_no_duration_holds_are_refused_not_panicked_on() {
        for text in [
            "r0xd(x[88888888888888888888888888888888888885: ])# np",
            "x[1e30]",
            "x[5m:1e30]",
            "x[Inf]",
            "x[5m:NaN]",
            "x offset Inf",
            "x offset -1e300",
            "x offset +nan",
            "rate(x[0x7fffffffffffffffffff])",
        ] {
            let refused = parse_expr(text);
            assert!(refused.is_err(), "{text:?} parsed: {refused:?}");
        }
    }

    #[test]
    fn durations_and_large_comparison_constants_still_parse() {
        for text in [
            "rate(x[300])",
            "x[5m:30]",
            "x offset 60",
            "x offset -1h",
            "x > 1e30",
            "x > Inf",
            "max_over_time(x[1h:1m])",
        ] {
            assert!(parse_expr(text).is_ok(), "{text:?} was refused");
        }
    }
}
