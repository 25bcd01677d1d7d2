//! The digest's picture: articles per incident per day over the last
//! [`DAYS`] days, as stacked bars, drawn with plotters into a PNG.
//!
//! The picture carries no text (no font is needed to draw it); the digest's
//! legend names each colour.

use plotters::prelude::*;

/// Days the timeline covers, today last.
pub const DAYS: usize = 14;
pub const WIDTH: u32 = 840;
pub const HEIGHT: u32 = 300;

/// Colours for the incidents, in order, with the names the legend uses.
pub const PALETTE: &[(&str, RGBColor)] = &[
    ("blue", RGBColor(52, 101, 164)),
    ("orange", RGBColor(230, 126, 34)),
    ("green", RGBColor(39, 174, 96)),
    ("red", RGBColor(192, 57, 43)),
    ("purple", RGBColor(142, 68, 173)),
    ("teal", RGBColor(22, 160, 133)),
    ("grey", RGBColor(127, 140, 141)),
];

/// Why the picture could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TimelineError {
    #[error("drawing the timeline: {0}")]
    Draw(String),
    #[error("encoding the timeline: {0}")]
    Encode(#[from] png::EncodingError),
}

/// The PNG for `series`: per incident (in palette order; beyond the palette
/// the last colour repeats), its articles on each of the [`DAYS`] days.
pub fn render(series: &[[u32; DAYS]]) -> Result<Vec<u8>, TimelineError> {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let mut rgb = vec![255u8; w * h * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        let draw = |e: DrawingAreaErrorKind<_>| TimelineError::Draw(e.to_string());
        root.fill(&WHITE).map_err(draw)?;
        let (left, right, top, bottom) = (40i32, WIDTH as i32 - 20, 20i32, HEIGHT as i32 - 30);
        let totals: Vec<u32> = (0..DAYS).map(|d| series.iter().map(|s| s[d]).sum()).collect();
        let max = totals.iter().copied().max().unwrap_or(0).max(1);
        let plot_h = (bottom - top) as f64;
        let slot = (right - left) as f64 / DAYS as f64;
        // Horizontal guides at quarters of the tallest day.
        for q in 0..=4 {
            let y = bottom - (plot_h * q as f64 / 4.0) as i32;
            let colour = if q == 0 { BLACK } else { RGBColor(225, 225, 225) };
            root.draw(&PathElement::new(vec![(left, y), (right, y)], colour.stroke_width(1))).map_err(draw)?;
        }
        for day in 0..DAYS {
            let x0 = left + (slot * day as f64 + slot * 0.15) as i32;
            let x1 = left + (slot * (day + 1) as f64 - slot * 0.15) as i32;
            // A tick under each day; a longer one under the last (today).
            let tick = if day + 1 == DAYS { 10 } else { 5 };
            root.draw(&PathElement::new(
                vec![((x0 + x1) / 2, bottom), ((x0 + x1) / 2, bottom + tick)],
                BLACK.stroke_width(1),
            ))
            .map_err(draw)?;
            let mut y = bottom;
            for (k, s) in series.iter().enumerate() {
                if s[day] == 0 {
                    continue;
                }
                let height = (plot_h * s[day] as f64 / max as f64).round() as i32;
                let colour = PALETTE[k.min(PALETTE.len() - 1)].1;
                root.draw(&Rectangle::new([(x0, y - height), (x1, y)], colour.filled())).map_err(draw)?;
                y -= height;
            }
        }
        root.present().map_err(draw)?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.write_header()?.write_image_data(&rgb)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(bytes).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    #[test]
    fn the_png_decodes_at_its_size_and_shows_the_bars() {
        let mut a = [0u32; DAYS];
        let mut b = [0u32; DAYS];
        a[DAYS - 1] = 3;
        b[DAYS - 1] = 1;
        a[0] = 1;
        let (info, pixels) = decode(&render(&[a, b]).unwrap());
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let colour_at = |x: u32, y: u32| {
            let i = ((y * WIDTH + x) * 3) as usize;
            RGBColor(pixels[i], pixels[i + 1], pixels[i + 2])
        };
        let slot = (WIDTH - 60) as f64 / DAYS as f64;
        let mid = |day: usize| 40 + (slot * day as f64 + slot / 2.0) as u32;
        // Today: the first incident's bar at the bottom, the second's on top.
        assert_eq!(colour_at(mid(DAYS - 1), HEIGHT - 35), PALETTE[0].1);
        assert_eq!(colour_at(mid(DAYS - 1), 25), PALETTE[1].1);
        // A day with no articles is blank above the axis.
        assert_eq!(colour_at(mid(5), HEIGHT - 40), WHITE);
        // The first day's single article is a quarter of the tallest day.
        assert_eq!(colour_at(mid(0), HEIGHT - 35), PALETTE[0].1);
        assert_eq!(colour_at(mid(0), HEIGHT - 30 - 70), WHITE);
    }

    #[test]
    fn no_articles_is_an_empty_chart() {
        let (info, _) = decode(&render(&[]).unwrap());
        assert_eq!(info.width, WIDTH);
    }
}
