//! REST faults a test can inject: rate limits, server errors, permission errors, slowness.
//!
//! Discord fails in ways a happy-path fake never shows, and with serenity's rate limiter off
//! (as it must be behind a proxy) every such failure reaches the bot as an error. A test says
//! "fail the next N requests matching this route with that fault" and the fake does exactly
//! that, in order of registration, then answers normally again.

use std::time::Duration;

/// How a request is matched for a fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMatcher {
    method: Option<String>,
    pattern: PathPattern,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum PathPattern {
    Exact(String),
    Prefix(String),
    Contains(String),
    Any,
}

impl RouteMatcher {
    /// Requests with `method` (`"POST"`; `"*"` for any) whose route starts with `prefix`. The
    /// route is the path without `/api/v10`, e.g. `/channels/123/messages`.
    pub fn prefix(method: &str, prefix: impl Into<String>) -> Self {
        Self::new(method, PathPattern::Prefix(prefix.into()))
    }

    /// Requests with `method` (`"*"` for any) on exactly `route`, e.g. `/gateway` (which a
    /// prefix would not tell from `/gateway/bot`).
    pub fn exact(method: &str, route: impl Into<String>) -> Self {
        Self::new(method, PathPattern::Exact(route.into()))
    }

    /// Requests with `method` (`"*"` for any) whose route contains `needle`, e.g. `"/callback"`.
    pub fn contains(method: &str, needle: impl Into<String>) -> Self {
        Self::new(method, PathPattern::Contains(needle.into()))
    }

    /// Every request with `method` (`"*"` for any). Beware: failing `GET /gateway` makes
    /// serenity fall back to the real Discord gateway URL.
    pub fn any(method: &str) -> Self {
        Self::new(method, PathPattern::Any)
    }

    fn new(method: &str, pattern: PathPattern) -> Self {
        let method = (method != "*").then(|| method.to_ascii_uppercase());
        Self { method, pattern }
    }

    /// Whether a request with `method` on `route` (no `/api/v10` prefix) matches.
    pub fn matches(&self, method: &str, route: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method));
        let path_ok = match &self.pattern {
            PathPattern::Exact(r) => route == r.as_str(),
            PathPattern::Prefix(p) => route.starts_with(p.as_str()),
            PathPattern::Contains(n) => route.contains(n.as_str()),
            PathPattern::Any => true,
        };
        method_ok && path_ok
    }
}

/// What the fake does instead of answering normally.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// `429` with `{"message":"You are being rate limited.","retry_after":..,"global":false}`
    /// and a `Retry-After` header (seconds, rounded up).
    RateLimited {
        /// Seconds the client should wait.
        retry_after: f64,
    },
    /// A bare server error with this status (500, 502, 503...).
    ServerError(u16),
    /// `403 {"code":50013,"message":"Missing Permissions"}`.
    MissingPermissions,
    /// `404 {"code":10003,"message":"Unknown Channel"}`.
    UnknownChannel,
    /// Answer normally, but only after this long (for client timeouts).
    Delay(Duration),
}

/// A registered fault with how many more requests it applies to.
#[derive(Debug)]
struct Rule {
    matcher: RouteMatcher,
    fault: Fault,
    remaining: u32,
}

/// The faults still to be applied, in registration order.
#[derive(Debug, Default)]
pub(crate) struct FaultRules {
    rules: Vec<Rule>,
}

impl FaultRules {
    pub(crate) fn add(&mut self, matcher: RouteMatcher, fault: Fault, times: u32) {
        if times > 0 {
            self.rules.push(Rule {
                matcher,
                fault,
                remaining: times,
            });
        }
    }

    /// The fault for this request, if any rule matches; uses up one of that rule's times.
    pub(crate) fn take(&mut self, method: &str, route: &str) -> Option<Fault> {
        let index = self
            .rules
            .iter()
            .position(|r| r.matcher.matches(method, route))?;
        let rule = &mut self.rules[index];
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        if rule.remaining == 0 {
            self.rules.remove(index);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_apply_in_order_and_run_out() {
        let mut rules = FaultRules::default();
        rules.add(
            RouteMatcher::contains("post", "/callback"),
            Fault::ServerError(500),
            2,
        );
        rules.add(RouteMatcher::any("*"), Fault::MissingPermissions, 1);
        assert_eq!(
            rules.take("GET", "/gateway"),
            Some(Fault::MissingPermissions)
        );
        assert_eq!(rules.take("GET", "/gateway"), None);
        assert_eq!(
            rules.take("POST", "/interactions/1/t/callback"),
            Some(Fault::ServerError(500))
        );
        assert_eq!(
            rules.take("POST", "/interactions/2/t/callback"),
            Some(Fault::ServerError(500))
        );
        assert_eq!(rules.take("POST", "/interactions/3/t/callback"), None);
    }

    #[test]
    fn prefix_matches_the_route_start_and_method() {
        let m = RouteMatcher::prefix("POST", "/channels/");
        assert!(m.matches("POST", "/channels/1/messages"));
        assert!(!m.matches("GET", "/channels/1/messages"));
        assert!(!m.matches("POST", "/guilds/1/channels/"));
    }
}
