//! The strength–duration curve of the first fibre to fire: its membrane threshold at each
//! pulse width, on a log axis of width, with the rheobase and chronaxie that emerge.

use leptos::prelude::*;

use super::membrane::{rheobase_and_chronaxie, CURVE_WIDTHS_US};

/// The chart's size in its own units.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
/// Margins: left (the threshold axis), bottom (the width axis), top and right.
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 30.0;
const EDGE: f64 = 16.0;

/// Where a (width µs, threshold mA) point sits, for a threshold axis up to `top_ma`.
fn at(width_us: f64, ma: f64, top_ma: f64) -> (f64, f64) {
    let (first, last) = (
        CURVE_WIDTHS_US[0].ln(),
        CURVE_WIDTHS_US[CURVE_WIDTHS_US.len() - 1].ln(),
    );
    let x = LEFT + (width_us.ln() - first) / (last - first) * (WIDTH - LEFT - EDGE);
    let y = HEIGHT - BOTTOM - ma / top_ma * (HEIGHT - BOTTOM - EDGE);
    (x, y)
}

/// The curve (empty: nothing drawn), as a chart with a text alternative.
#[component]
pub fn StrengthDuration(
    /// (pulse width µs, threshold mA), in order of width; infinite beyond the stimulator.
    curve: Signal<Vec<(f64, f64)>>,
) -> impl IntoView {
    move || {
        let points = curve.get();
        let finite: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.1.is_finite()).collect();
        if finite.is_empty() {
            return None;
        }
        let top_ma = finite.iter().map(|p| p.1).fold(0.0, f64::max) * 1.1;
        let line = finite
            .iter()
            .map(|&(w, ma)| {
                let (x, y) = at(w, ma, top_ma);
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ");
        let emerged = rheobase_and_chronaxie(&points);
        let words = match emerged {
            Some((rh, c)) => format!(
                "Rheobase {rh:.2} mA (threshold of a 1 ms pulse) · chronaxie {c:.0} µs: they emerge from the membrane model."
            ),
            None => "The chronaxie lies outside the widths shown.".into(),
        };
        let alt = finite
            .iter()
            .map(|(w, ma)| format!("{w:.0} µs: {ma:.2} mA"))
            .collect::<Vec<_>>()
            .join(", ");
        let ticks = CURVE_WIDTHS_US
            .iter()
            .map(|&w| {
                let (x, _) = at(w, 0.0, top_ma);
                view! { <text x=x y=HEIGHT - BOTTOM + 14.0 class="tick" text-anchor="middle">{format!("{w:.0}")}</text> }
            })
            .collect_view();
        let dots = finite
            .iter()
            .map(|&(w, ma)| {
                let (x, y) = at(w, ma, top_ma);
                view! { <circle cx=x cy=y r="3" class="sd-point"/> }
            })
            .collect_view();
        let (_, y_top) = at(CURVE_WIDTHS_US[0], top_ma / 1.1, top_ma);
        Some(view! {
            <figure class="sd-curve" data-testid="sd-curve">
                <figcaption>"Strength–duration of the first fibre to fire"</figcaption>
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=format!("Threshold against pulse width: {alt}.")>
                    <line x1=LEFT y1=EDGE x2=LEFT y2=HEIGHT - BOTTOM class="axis"/>
                    <line x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH - EDGE y2=HEIGHT - BOTTOM class="axis"/>
                    {ticks}
                    <text x=LEFT - 4.0 y=y_top + 4.0 class="tick" text-anchor="end">{format!("{:.1}", top_ma / 1.1)}</text>
                    <text x=LEFT - 4.0 y=HEIGHT - BOTTOM class="tick" text-anchor="end">"0"</text>
                    <text x=(WIDTH + LEFT) / 2.0 y=HEIGHT - 2.0 class="tick" text-anchor="middle">"pulse width, µs (log)"</text>
                    <text x="4" y=EDGE + 2.0 class="tick">"mA"</text>
                    <polyline points=line class="sd-line"/>
                    {dots}
                </svg>
                <p class="note" data-testid="sd-words">{words}</p>
            </figure>
        })
    }
}
