//! An RGB buffer to draw on, and the PNG it becomes.

use plotters::backend::BitMapBackend;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};

use super::{font, ChartError, Png};

/// What a chart draws on.
pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> ChartError {
        ChartError::Draw(error.to_string())
    }
}

/// Draws a `width` × `height` chart with `draw` and encodes it.
pub fn render(
    width: u32,
    height: u32,
    draw: impl FnOnce(&Area) -> Result<(), ChartError>,
) -> Result<Png, ChartError> {
    font::ensure()?;
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw(&area)?;
        area.present()?;
    }
    Ok(Png {
        bytes: encode(&pixels, width, height)?,
        width,
        height,
    })
}

fn encode(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Default);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}
