//! The one font charts use, DejaVu Sans, compiled in (licence beside it in assets/fonts).
//!
//! plotters draws text with ab_glyph from fonts registered by name; registering ours under a
//! name no system has means a missing registration fails loudly instead of falling back.

use std::sync::OnceLock;

use plotters::style::{FontStyle, IntoFont, RGBColor, TextStyle};

use super::ChartError;

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

const FAMILY: &str = "bridgebot-dejavu-sans";

/// Registers the font the first time a chart is drawn.
pub fn ensure() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let registered = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok()
    });
    if registered {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// Text of `size` pixels in `colour`.
pub fn text(size: u32, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, f64::from(size)).into_font().color(&colour)
}
