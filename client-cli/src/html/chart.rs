//! Charts for the HTML report, drawn by plotters into SVG strings that the page inlines.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One stacked part of every bar: what it counts, its colour, and its value per category.
#[derive(Debug)]
pub struct Part {
    pub label: String,
    pub color: RGBColor,
    pub values: Vec<u32>,
}

/// Why a chart could not be drawn (plotters' error, as text: its type is generic over the
/// backend).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart {title:?}: {reason}")]
pub struct ChartError {
    title: String,
    reason: String,
}

/// Pixels per category row, around the plot, and for the legend above it.
const ROW: u32 = 28;
const CHROME: u32 = 90;
const LEGEND: u32 = 30;
pub const WIDTH: u32 = 760;
const FONT: u32 = 14;

/// Horizontal stacked bars, one row per category (village names and dusun are long, so they
/// read better down the side than under the bars), each with its total past its end. `unit` is
/// the x axis's caption. The legend is a line of its own between the title and the plot, so it
/// can never hide a bar.
pub fn stacked_bars(
    title: &str,
    unit: &str,
    categories: &[String],
    parts: &[Part],
) -> Result<String, ChartError> {
    let fail = |e: &dyn std::fmt::Display| ChartError {
        title: title.to_owned(),
        reason: e.to_string(),
    };
    let rows = categories.len().max(1);
    let height = CHROME + LEGEND + ROW * u32::try_from(rows).unwrap_or(u32::MAX / ROW / 2);
    let totals: Vec<u32> = (0..categories.len())
        .map(|i| {
            parts
                .iter()
                .map(|p| p.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    // Room past the longest bar for its total.
    let x_end = max + max / 8 + 1;
    let label_width = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(4)
        .min(28);
    // Plotters counts rows from the bottom; the first category goes on top.
    let row = |i: usize| rows - 1 - i.min(rows - 1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let root = root
            .titled(title, ("sans-serif", 22))
            .map_err(|e| fail(&e))?;
        let (legend, plot) = root.split_vertically(LEGEND);
        draw_legend(&legend, parts).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .margin_top(4)
            .x_label_area_size(36)
            .y_label_area_size(u32::try_from(label_width * 8 + 12).unwrap_or(240))
            // An integer range is inclusive in plotters: 0..rows - 1 is `rows` segments.
            .build_cartesian_2d(0u32..x_end, (0..rows - 1).into_segmented())
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(unit)
            .y_labels(rows)
            .label_style(("sans-serif", FONT))
            .axis_desc_style(("sans-serif", FONT))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < rows => {
                    categories.get(row(*i)).cloned().unwrap_or_default()
                }
                _ => String::new(),
            })
            .draw()
            .map_err(|e| fail(&e))?;
        let mut start = vec![0u32; categories.len()];
        for part in parts {
            let color = part.color;
            let bars: Vec<_> = part
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0)
                .filter_map(|(i, v)| {
                    let x0 = *start.get(i)?;
                    let x1 = x0 + v;
                    if let Some(s) = start.get_mut(i) {
                        *s = x1;
                    }
                    let mut bar = Rectangle::new(
                        [
                            (x0, SegmentValue::Exact(row(i))),
                            (x1, SegmentValue::Exact(row(i) + 1)),
                        ],
                        color.filled(),
                    );
                    bar.set_margin(4, 4, 0, 0);
                    Some(bar)
                })
                .collect();
            chart.draw_series(bars).map_err(|e| fail(&e))?;
        }
        // Each bar's total just past its end, so the figure can be read without the axis.
        let font = TextStyle::from(("sans-serif", FONT).into_font())
            .pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(totals.iter().enumerate().map(|(i, t)| {
                EmptyElement::at((*t, SegmentValue::CenterOf(row(i))))
                    + Text::new(t.to_string(), (6, 0), font.clone())
            }))
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// A colour key and the label of each part, left to right. Text width is estimated (plotters'
/// SVG backend does not measure fonts): about 0.6 em per character of a sans-serif font.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    parts: &[Part],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font =
        TextStyle::from(("sans-serif", FONT).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    let y = i32::try_from(LEGEND / 2).unwrap_or(15);
    let mut x = 16i32;
    for part in parts {
        area.draw(&Rectangle::new(
            [(x, y - 6), (x + 12, y + 6)],
            part.color.filled(),
        ))?;
        area.draw(&Text::new(part.label.as_str(), (x + 18, y), font.clone()))?;
        let chars = i32::try_from(part.label.chars().count()).unwrap_or(40);
        x += 18 + chars * i32::try_from(FONT).unwrap_or(14) * 6 / 10 + 24;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stacked_chart_is_an_svg_with_one_bar_per_nonzero_part_and_the_labels() {
        let categories = vec!["Kalianda".to_owned(), "Way Urang".to_owned()];
        let parts = [
            Part {
                label: "women".into(),
                color: RGBColor(200, 60, 120),
                values: vec![3, 0],
            },
            Part {
                label: "men".into(),
                color: RGBColor(40, 100, 200),
                values: vec![2, 4],
            },
        ];
        let svg = stacked_bars("Attendance", "people", &categories, &parts).expect("drawn");
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
        // Plotters writes each text on a line of its own.
        for text in [
            "Attendance",
            "Kalianda",
            "Way Urang",
            "women",
            "men",
            "5",
            "4",
        ] {
            assert!(
                svg.contains(&format!("\n{text}\n")),
                "the chart shows {text}"
            );
        }
        assert!(
            text_y(&svg, "Kalianda") < text_y(&svg, "Way Urang"),
            "the first category is drawn on top"
        );
        // Three bars (3 women and 2 men in Kalianda, 4 men in Way Urang) plus two legend keys,
        // in the parts' colours.
        assert_eq!(
            svg.matches("#C83C78").count(),
            2,
            "women: one bar and its legend key"
        );
        assert_eq!(
            svg.matches("#2864C8").count(),
            3,
            "men: two bars and the legend key"
        );
    }

    /// The `y` of the `<text>` element that shows `text`.
    fn text_y(svg: &str, text: &str) -> f64 {
        let end = svg
            .find(&format!(">\n{text}\n"))
            .expect("the text is shown");
        let start = svg[..end].rfind("<text").expect("inside a text element");
        let y = svg[start..end]
            .split(" y=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a y attribute");
        y.parse().expect("a number")
    }

    #[test]
    fn an_empty_chart_still_draws() {
        let svg = stacked_bars("Nothing yet", "people", &[], &[]).expect("drawn");
        assert!(svg.contains("Nothing yet"));
    }
}
