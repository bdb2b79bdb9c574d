//! Real Discord clients against the fake, in one test binary (it links serenity and poise
//! once): a bare poise bot (`bare_poise`) and serenity's own HTTP client (`serenity_http`).

mod bare_poise;
mod serenity_http;
