//! Colours and text sizes shared by the charts.

use plotters::style::RGBColor;

/// Okabe-Ito blue: the leading series.
pub const LEADING: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Okabe-Ito bluish green: the managing series. Not orange or purple, which the result chart
/// gives the worst and the best answers: a colour means one thing across the charts.
pub const MANAGING: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// The hatching of a week whose results were withheld (a pattern, not a fill, so it is not
/// the pale middle answer of the result chart).
pub const HATCH: RGBColor = RGBColor(0xB0, 0xB0, 0xB0);
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

/// Text sizes, in pixels: twice what an 800-pixel-wide chart had, on charts 640 wide, so that
/// a phone showing a chart about 340 pixels wide still shows small text about 14 pixels high.
pub const TITLE: u32 = 40;
pub const LABEL: u32 = 30;
pub const SMALL: u32 = 26;
