//! The page's screenshot shows Chinese, not boxes: headless Chromium, with the fonts of this
//! machine, draws six different Chinese characters as six different glyphs (SPEC §12's page is
//! Chinese; docs/report.png is its screenshot). The second test proves the check fails on a
//! machine whose fonts have no Chinese, by hiding every font but DejaVu from Chromium.
//!
//! Skipped, saying so, without Chromium, unless `$GONGYU_REQUIRE_BROWSER` is set (`.ci/run`).

#[allow(dead_code)] // the page tests use the rest
mod browser_support;

use browser_support::{chromium, draws_chinese};

#[test]
fn the_browser_draws_chinese_not_boxes() {
    let Some(chromium) = chromium("the_browser_draws_chinese_not_boxes") else { return };
    if let Err(e) = draws_chinese(&chromium, &[]) {
        panic!("the page's screenshot would show boxes: {e}");
    }
}

#[test]
fn the_check_sees_boxes_when_no_font_has_chinese() {
    let Some(chromium) = chromium("the_check_sees_boxes_when_no_font_has_chinese") else { return };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("fonts.conf");
    // Only DejaVu (no CJK), or no font at all where it is not installed: boxes or nothing.
    std::fs::write(
        &config,
        format!(
            "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>\
             <dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{}</cachedir></fontconfig>",
            dir.path().join("cache").display()
        ),
    )
    .unwrap();
    let found = draws_chinese(&chromium, &[("FONTCONFIG_FILE", &config)]);
    eprintln!("without a CJK font: {found:?}");
    assert!(found.is_err(), "the check passed with no CJK font: it cannot tell glyphs from boxes");
}
