//! Colours and text sizes shared by the charts.

use plotters::style::RGBColor;

/// Okabe-Ito blue: the leading series.
pub const LEADING: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Okabe-Ito vermillion: the managing series.
pub const MANAGING: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Weeks without any result.
pub const WITHHELD: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
pub const PAPER: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// Answers 1 to 5: ColorBrewer PuOr, orange (low) to purple (high).
pub const SCORES: [RGBColor; 5] = [
    RGBColor(0xE6, 0x61, 0x01),
    RGBColor(0xFD, 0xB8, 0x63),
    RGBColor(0xF7, 0xF7, 0xF7),
    RGBColor(0xB2, 0xAB, 0xD2),
    RGBColor(0x5E, 0x3C, 0x99),
];
/// Text on each of [`SCORES`].
pub const ON_SCORES: [RGBColor; 5] = [PAPER, INK, INK, INK, PAPER];

pub const TITLE: u32 = 20;
pub const LABEL: u32 = 15;
pub const SMALL: u32 = 13;
