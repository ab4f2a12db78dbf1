//! The cheap test before OCR: can this image hold text at all?
//!
//! Tesseract spends a quarter of a second or more on a blank scanned page (the back of a
//! sheet, a separator) finding nothing. A few milliseconds tell such a page apart: an image too
//! small for a line of text, or one where nothing stands out of the paper. The test is one-sided
//! by design: when in doubt it says "may hold text" and the engine decides, so a page is skipped
//! only when no stroke of any letter, however faint or small, can be on it.
//!
//! "Standing out" is measured against the page itself: the paper's level is the median grey, its
//! noise the median absolute deviation from it. A pixel is ink when it differs from the paper by
//! more than [`NOISE_MULTIPLE`] times the noise (and at least [`MIN_CONTRAST`] grey levels), in
//! either direction (white text on a dark band is text too), and it counts only inside a connected
//! run of ink at least [`MIN_STROKE_EXTENT`] pixels tall or wide: a stroke of a letter is one,
//! scanner grain and dust specks are not, however many a sheet carries. A page with at least
//! [`MIN_STROKE_PIXELS`] such pixels, in at least [`MIN_STROKES`] strokes (a word) or in one
//! [`LONG_STROKE`], goes to the engine.

use super::engine::GrayPixels;

/// Smaller than this on either side, an image cannot hold a line of text (a letter needs about
/// 8 pixels of x-height, and a line twice that with its ascenders and descenders).
const MIN_SIDE: usize = 16;
/// Both sides below this: an icon or a bullet, not a line of words.
const MIN_ICON_SIDE: usize = 48;
/// The least difference from the paper, in grey levels of 255, that is taken for ink on a
/// noiseless page: below it text is invisible to a reader too.
const MIN_CONTRAST: u32 = 20;
/// Ink differs from the paper by more than this many noise deviations: Gaussian grain reaches
/// four of them on about one pixel in 16 000, and then alone, not as a stroke.
const NOISE_MULTIPLE: u32 = 4;
/// Above this noise (one deviation, in grey levels) the paper is not paper: a photo, a
/// halftone, a dark scan. The engine decides.
const MAX_NOISE: u32 = 20;
/// A connected run of ink this tall or wide may be part of a letter; a smaller one is grain, a
/// toner speck or dust, however many of them a sheet carries. It is Tesseract's own floor
/// (`textord_min_xheight`, 10 pixels): a smaller blob is noise to the engine too, so skipping a
/// page of them loses nothing the engine would have read. (A lower-case letter of 8 pt text at
/// 300 dpi is about 17 pixels high; a dust speck, blurred by JPEG, 4 to 9 across.)
const MIN_STROKE_EXTENT: usize = 10;
/// Ink pixels in strokes that make a page worth reading: a letter of 8 pt text at 300 dpi has
/// about a hundred, a short line thousands; a full stop or a few specks of dust have fewer.
const MIN_STROKE_PIXELS: usize = 64;
/// Strokes that make a word. Two dust specks that touch can reach a letter's size, and a sheet
/// may carry one or two such pairs; text comes in words of several letter-sized strokes (or in
/// one long stroke: see [`LONG_STROKE`]).
const MIN_STROKES: usize = 3;
/// A run of ink this tall or wide is more than two specks together: letters joined by an
/// underline or by a poor scan, a rule, a seal. One such run is enough to ask the engine.
const LONG_STROKE: usize = 2 * MIN_STROKE_EXTENT;
/// A scanner's lid and the sheet's edge leave dark strips along the borders; this share of each
/// side is not looked at. Text never runs that close to the edge of a page.
const EDGE_SHARE: usize = 100;
/// Pixels sampled to find the paper's level and noise (every n-th pixel of a large page).
const SAMPLE_TARGET: usize = 250_000;

/// Whether the image may hold text. `false` only for images too small to hold a line of text
/// and for pages on which nothing stands out of the paper.
pub fn may_hold_text(image: &GrayPixels) -> bool {
    let (width, height) = (image.width, image.height);
    if width < MIN_SIDE || height < MIN_SIDE || (width < MIN_ICON_SIDE && height < MIN_ICON_SIDE) {
        return false;
    }
    let Some(pixels) = image.pixels.get(..width * height) else {
        return true; // not what it says it is: the engine decides
    };
    let (paper, noise) = paper_and_noise(pixels);
    if noise > MAX_NOISE {
        return true;
    }
    let threshold = (noise * NOISE_MULTIPLE).max(MIN_CONTRAST);
    stroke_pixels_reach(pixels, width, height, paper, threshold, MIN_STROKE_PIXELS)
}

/// The paper's grey level (the median) and its noise (the median absolute deviation, scaled to
/// a standard deviation), from a sample of the pixels.
fn paper_and_noise(pixels: &[u8]) -> (u8, u32) {
    let step = (pixels.len() / SAMPLE_TARGET).max(1);
    let mut histogram = [0usize; 256];
    let mut sampled = 0;
    for &pixel in pixels.iter().step_by(step) {
        histogram[usize::from(pixel)] += 1;
        sampled += 1;
    }
    let paper = median(&histogram, sampled) as u8;
    let mut deviations = [0usize; 256];
    for (level, &count) in histogram.iter().enumerate() {
        deviations[level.abs_diff(usize::from(paper))] += count;
    }
    let mad = median(&deviations, sampled) as u32;
    // 1.4826 × MAD estimates σ for Gaussian noise; rounded up, so noise is never underrated.
    (paper, (mad * 1483).div_ceil(1000))
}

fn median(histogram: &[usize; 256], total: usize) -> usize {
    let mut seen = 0;
    for (level, &count) in histogram.iter().enumerate() {
        seen += count;
        if seen * 2 >= total {
            return level;
        }
    }
    255
}

/// Whether at least `enough` ink pixels (differing from `paper` by more than `threshold`) lie in
/// connected runs of ink (8-connected) that reach [`MIN_STROKE_EXTENT`] in height or width, away
/// from the borders, and those runs make a word: [`MIN_STROKES`] of them, or one
/// [`LONG_STROKE`]. Stops as soon as it knows.
fn stroke_pixels_reach(pixels: &[u8], width: usize, height: usize, paper: u8, threshold: u32, enough: usize) -> bool {
    let is_ink = |pixel: u8| u32::from(pixel.abs_diff(paper)) > threshold;
    let (left, right) = (width / EDGE_SHARE + 1, width - width / EDGE_SHARE - 1);
    let (top, bottom) = (height / EDGE_SHARE + 1, height - height / EDGE_SHARE - 1);
    let mut seen = vec![false; width * height];
    let mut pending = Vec::new();
    let (mut found, mut strokes, mut longest) = (0, 0, 0);
    for y in top..bottom {
        for x in left..right {
            let start = y * width + x;
            if seen[start] || !is_ink(pixels[start]) {
                continue;
            }
            seen[start] = true;
            pending.push(start);
            let (mut min_x, mut max_x, mut min_y, mut max_y) = (x, x, y, y);
            let mut size = 0;
            while let Some(at) = pending.pop() {
                let (px, py) = (at % width, at / width);
                size += 1;
                (min_x, max_x) = (min_x.min(px), max_x.max(px));
                (min_y, max_y) = (min_y.min(py), max_y.max(py));
                // `left` and `top` are at least 1, so the neighbours' indices never underflow.
                for ny in py - 1..=py + 1 {
                    for nx in px - 1..=px + 1 {
                        if nx < left || nx >= right || ny < top || ny >= bottom {
                            continue;
                        }
                        let neighbour = ny * width + nx;
                        if !seen[neighbour] && is_ink(pixels[neighbour]) {
                            seen[neighbour] = true;
                            pending.push(neighbour);
                        }
                    }
                }
            }
            let extent = (max_x - min_x + 1).max(max_y - min_y + 1);
            if extent >= MIN_STROKE_EXTENT {
                found += size;
                strokes += 1;
                longest = longest.max(extent);
                if found >= enough && (strokes >= MIN_STROKES || longest >= LONG_STROKE) {
                    return true;
                }
            }
        }
    }
    false
}
