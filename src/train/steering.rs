//! Current steering, as programmers with multiple independent current control do it: the
//! cathodic current is carried by *virtual poles* (Boston Scientific's term) that sit
//! anywhere along a lead, each split between the two contacts either side of it, so that
//! moving the field is re-dividing shares in 1 % steps rather than switching contacts.
//!
//! - **Up / Down** moves the poles a tenth of a contact rostrally / caudally: one press
//!   moves 10 % of the cathodic current one contact along.
//! - **Spread** adds a pole one contact beside the others (the current shared over more
//!   contacts: a wider, weaker field); **Focus** removes one, and with a single pole left
//!   puts anodes on both sides of it (the guarded cathode + − +, which narrows the field
//!   and, as the model shows, raises the amplitude needed).
//! - **Left / Right** moves 10 % of the cathodic current to the other lead's contacts at
//!   the same positions (two leads side by side).
//!
//! Anodes stay where they are unless the cathode's poles reach them: an anode in the way
//! moves one contact further on. Every result is a plain [`Electrodes`] that the caller
//! checks with stim-core before it is used. No view here.

use stim_core::contacts::{Electrodes, Polarity, CASE};

/// One press of a steering control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Steer {
    /// Towards the head (lower contact numbers).
    Up,
    /// Towards the feet.
    Down,
    /// Towards the patient's left (the lead with the lower offset).
    Left,
    /// Towards the patient's right.
    Right,
    /// A narrower field: fewer poles, then guard anodes.
    Focus,
    /// A wider field: one more pole.
    Spread,
}

/// How far one press moves the poles, in contacts.
const STEP: f64 = 0.1;
/// Share of the cathodic current one Left/Right press moves, %.
const LATERAL_STEP: u8 = 10;

/// Why a press could not be carried out, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

/// The cathodic current on one lead as steering sees it: `poles` virtual poles one
/// contact apart, centred on `centre` (a position along the lead, 0 = its first contact).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Poles {
    centre: f64,
    poles: usize,
}

impl Poles {
    /// The poles of the cathodic shares `shares` (one per contact of a lead). The centre is
    /// their centroid, on the tenths of a contact that steering moves in; the number of
    /// poles is the fewest whose spread accounts for the shares': `w` poles one contact
    /// apart at a fractional offset `f` have a variance of (w² − 1)/12 + f(1 − f), so each
    /// `w` owns one band of variances (a tolerance covers rounding to whole percent).
    fn of(shares: &[u8]) -> Option<Poles> {
        let total: f64 = shares.iter().map(|&s| f64::from(s)).sum();
        if total == 0.0 {
            return None;
        }
        let mean = |g: &dyn Fn(f64) -> f64| {
            shares
                .iter()
                .enumerate()
                .map(|(i, &s)| g(i as f64) * f64::from(s))
                .sum::<f64>()
                / total
        };
        let centroid = mean(&|i| i);
        let variance = mean(&|i| (i - centroid).powi(2));
        let poles = (1..shares.len())
            .find(|&w| variance <= ((w * w - 1) as f64) / 12.0 + 0.25 + 0.03)
            .unwrap_or(shares.len());
        Some(Poles {
            centre: (centroid * 10.0).round() / 10.0,
            poles,
        })
    }

    /// Where each pole lies.
    fn positions(self) -> impl Iterator<Item = f64> {
        let first = self.centre - (self.poles as f64 - 1.0) / 2.0;
        (0..self.poles).map(move |k| first + k as f64)
    }

    /// Whether every pole lies on a lead of `len` contacts.
    fn fits(self, len: usize) -> bool {
        self.positions()
            .all(|p| p > -1e-9 && p < len as f64 - 1.0 + 1e-9)
    }

    /// The shares (% of `total`) these poles give the `len` contacts of a lead: each pole
    /// split linearly between its two neighbours, in whole percent adding up to `total`.
    fn shares(self, len: usize, total: u8) -> Vec<u8> {
        let mut exact = vec![0.0; len];
        let per_pole = f64::from(total) / self.poles as f64;
        for p in self.positions() {
            let p = p.clamp(0.0, len as f64 - 1.0);
            let (below, f) = (p.floor() as usize, p - p.floor());
            exact[below] += per_pole * (1.0 - f);
            if f > 1e-9 {
                exact[below + 1] += per_pole * f;
            }
        }
        whole_percent(&exact, total)
    }
}

/// Rounds `exact` shares to whole percent adding up to `total` (largest remainders first,
/// so no share is off by more than one).
fn whole_percent(exact: &[f64], total: u8) -> Vec<u8> {
    let mut out: Vec<u8> = exact.iter().map(|&e| e.floor() as u8).collect();
    let short = i32::from(total) - out.iter().map(|&s| i32::from(s)).sum::<i32>();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra)
    });
    for &i in order.iter().take(short.max(0) as usize) {
        out[i] += 1;
    }
    out
}

/// The shares of `polarity` on the contacts of `lead`.
fn shares_of(e: &Electrodes, lead: &[usize], polarity: Polarity) -> Vec<u8> {
    lead.iter()
        .map(|&slot| e.contacts[slot])
        .map(|c| {
            if c.polarity == polarity {
                c.share_pct
            } else {
                0
            }
        })
        .collect()
}

/// Sets the cathodes of `lead` to `shares`, moving any anode in the way one contact
/// further in `direction` (+1 caudal, −1 rostral, 0 either way that is free).
fn place_cathodes(
    e: &mut Electrodes,
    lead: &[usize],
    shares: &[u8],
    direction: i32,
) -> Result<(), Refusal> {
    for (i, &s) in shares.iter().enumerate() {
        let slot = lead[i];
        if s > 0 && e.contacts[slot].polarity == Polarity::Anode {
            let pushed = [direction, -1, 1]
                .into_iter()
                .filter(|&d| d != 0)
                .map(|d| i as i32 + d)
                .find(|&j| {
                    (0..shares.len() as i32).contains(&j)
                        && shares[j as usize] == 0
                        && e.contacts[lead[j as usize]].polarity == Polarity::Off
                });
            let Some(j) = pushed else {
                return Err(Refusal(format!(
                    "E{} is an anode with no free contact beside it: the cathode cannot move onto it.",
                    slot + 1
                )));
            };
            e.contacts[lead[j as usize]] = e.contacts[slot];
        }
    }
    for (i, &s) in shares.iter().enumerate() {
        let c = &mut e.contacts[lead[i]];
        if s > 0 {
            (c.polarity, c.share_pct) = (Polarity::Cathode, s);
        } else if c.polarity == Polarity::Cathode {
            (c.polarity, c.share_pct) = (Polarity::Off, 0);
        }
    }
    Ok(())
}

/// The result of pressing `steer` on `electrodes`, whose lead contacts lie in `leads`:
/// each a column of contact slots along the cord, rostral first (a percutaneous lead, or
/// one column of a paddle), ordered from the patient's left to right.
///
/// # Panics
/// If a column holds a slot past the lead contacts (the case is never on a lead).
pub fn steer(
    electrodes: &Electrodes,
    leads: &[Vec<usize>],
    steer: Steer,
) -> Result<Electrodes, Refusal> {
    assert!(
        leads.iter().flatten().all(|&s| s < CASE),
        "a lead's contacts are slots below the case"
    );
    let mut e = *electrodes;
    let carrying: Vec<(usize, Poles, u8)> = leads
        .iter()
        .enumerate()
        .filter_map(|(n, lead)| {
            let shares = shares_of(&e, lead, Polarity::Cathode);
            let total: u32 = shares.iter().map(|&s| u32::from(s)).sum();
            Poles::of(&shares).map(|p| (n, p, total.min(100) as u8))
        })
        .collect();
    if carrying.is_empty() {
        return Err(Refusal(
            "There is no cathode on a lead to steer: make a contact − first.".into(),
        ));
    }
    match steer {
        Steer::Up | Steer::Down | Steer::Spread | Steer::Focus => {
            for &(n, poles, total) in &carrying {
                let lead = &leads[n];
                let moved = match steer {
                    Steer::Up => Poles {
                        centre: poles.centre - STEP,
                        ..poles
                    },
                    Steer::Down => Poles {
                        centre: poles.centre + STEP,
                        ..poles
                    },
                    Steer::Spread => Poles {
                        poles: poles.poles + 1,
                        ..poles
                    },
                    _ if poles.poles > 1 => Poles {
                        poles: poles.poles - 1,
                        ..poles
                    },
                    _ => {
                        guard(&mut e, lead, poles)?;
                        continue;
                    }
                };
                if !moved.fits(lead.len()) {
                    return Err(Refusal(match steer {
                        Steer::Up => "The field is at the lead's top contact: it cannot move further up.".into(),
                        Steer::Down => "The field is at the lead's bottom contact: it cannot move further down.".into(),
                        _ => "The field already spreads over the whole lead.".into(),
                    }));
                }
                let direction = match steer {
                    Steer::Up => -1,
                    Steer::Down => 1,
                    _ => 0,
                };
                place_cathodes(&mut e, lead, &moved.shares(lead.len(), total), direction)?;
            }
        }
        Steer::Left | Steer::Right => lateral(&mut e, leads, steer == Steer::Right)?,
    }
    Ok(e)
}

/// Puts anodes on the contacts either side of a single pole (the case's anodic share
/// moves to them), sharing the anodic current evenly.
fn guard(e: &mut Electrodes, lead: &[usize], poles: Poles) -> Result<(), Refusal> {
    let cathodes: Vec<usize> = (0..lead.len())
        .filter(|&i| e.contacts[lead[i]].polarity == Polarity::Cathode)
        .collect();
    let (first, last) = (cathodes[0], cathodes[cathodes.len() - 1]);
    if first == 0 || last + 1 >= lead.len() {
        return Err(Refusal(format!(
            "The field is already as narrow as one pole allows: a guard anode needs a free contact on both sides of the cathode (around {:.1} on the lead).",
            poles.centre + 1.0
        )));
    }
    let guards = [lead[first - 1], lead[last + 1]];
    if guards
        .iter()
        .all(|&g| e.contacts[g].polarity == Polarity::Anode)
        && (0..CASE)
            .filter(|&s| e.contacts[s].polarity == Polarity::Anode)
            .count()
            == 2
    {
        return Err(Refusal(
            "The cathode is already guarded by an anode on each side: the narrowest field this lead makes.".into(),
        ));
    }
    for c in e
        .contacts
        .iter_mut()
        .filter(|c| c.polarity == Polarity::Anode)
    {
        (c.polarity, c.share_pct) = (Polarity::Off, 0);
    }
    for g in guards {
        e.contacts[g].polarity = Polarity::Anode;
        e.contacts[g].share_pct = 50;
    }
    Ok(())
}

/// Moves [`LATERAL_STEP`] % of the cathodic current from the lead on one side to the
/// contacts at the same positions on the lead on the other side.
fn lateral(e: &mut Electrodes, leads: &[Vec<usize>], right: bool) -> Result<(), Refusal> {
    if leads.len() < 2 {
        return Err(Refusal(
            "Left and right steering needs a second lead (or a paddle's second column) beside the first.".into(),
        ));
    }
    let (from, to) = if right {
        (&leads[0], &leads[1])
    } else {
        (&leads[1], &leads[0])
    };
    let taken = shares_of(e, from, Polarity::Cathode);
    let total: u32 = taken.iter().map(|&s| u32::from(s)).sum();
    if total == 0 {
        return Err(Refusal(format!(
            "All the cathodic current is already on the {} lead.",
            if right { "right" } else { "left" }
        )));
    }
    let moving = LATERAL_STEP.min(total as u8);
    let kept = whole_percent(
        &taken
            .iter()
            .map(|&s| f64::from(s) * f64::from(total as u8 - moving) / total as f64)
            .collect::<Vec<_>>(),
        total as u8 - moving,
    );
    let mut given = shares_of(e, to, Polarity::Cathode);
    let add = whole_percent(
        &taken
            .iter()
            .map(|&s| f64::from(s) * f64::from(moving) / total as f64)
            .collect::<Vec<_>>(),
        moving,
    );
    for (i, a) in add.into_iter().enumerate().take(given.len()) {
        given[i] += a;
    }
    place_cathodes(e, from, &kept, 0)?;
    place_cathodes(e, to, &given, 0)
}

/// Sets `slot`'s share of its sign's current to `percent` and re-divides the rest among
/// the sign's other contacts in proportion to what they carried (evenly if nothing), in
/// whole percent, each keeping at least 1 %: the shares of a sign always add to 100 %.
/// A sign's only contact carries all of it, whatever is asked.
pub fn set_share(electrodes: &Electrodes, slot: usize, percent: u8) -> Electrodes {
    let mut e = *electrodes;
    let polarity = e.contacts[slot].polarity;
    let others: Vec<usize> = (0..=CASE)
        .filter(|&s| s != slot && e.contacts[s].polarity == polarity)
        .collect();
    if polarity == Polarity::Off || others.is_empty() {
        return e;
    }
    let mine = percent.clamp(1, 100 - others.len() as u8);
    let rest = 100 - mine;
    let before: f64 = others
        .iter()
        .map(|&s| f64::from(e.contacts[s].share_pct))
        .sum();
    // Each other contact keeps 1 %; the remainder follows their previous proportions.
    let spare = f64::from(rest) - others.len() as f64;
    let exact: Vec<f64> = others
        .iter()
        .map(|&s| {
            let weight = if before > 0.0 {
                f64::from(e.contacts[s].share_pct) / before
            } else {
                1.0 / others.len() as f64
            };
            spare * weight
        })
        .collect();
    let shares = whole_percent(&exact, spare as u8);
    e.contacts[slot].share_pct = mine;
    for (&s, share) in others.iter().zip(shares) {
        e.contacts[s].share_pct = share + 1;
    }
    e
}

/// The stimulation centroid: the cathodic shares' weighted mean of `centres` (one per lead
/// contact slot, mm), or `None` without a cathode on a lead.
pub fn centroid(electrodes: &Electrodes, centres: &[[f64; 3]]) -> Option<[f64; 3]> {
    let mut sum = [0.0; 3];
    let mut weight = 0.0;
    for (c, centre) in electrodes.contacts.iter().zip(centres) {
        if c.polarity == Polarity::Cathode {
            let w = f64::from(c.share_pct);
            weight += w;
            for k in 0..3 {
                sum[k] += w * centre[k];
            }
        }
    }
    (weight > 0.0).then(|| sum.map(|s| s / weight))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stim_core::safety::{validate, Limits};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn bipole(cathode: usize, anode: usize) -> Electrodes {
        Electrodes::off()
            .with(cathode, Polarity::Cathode, 100)
            .with(anode, Polarity::Anode, 100)
    }

    fn cathodes(e: &Electrodes) -> Vec<(usize, u8)> {
        (0..CASE)
            .filter(|&s| e.contacts[s].polarity == Polarity::Cathode)
            .map(|s| (s + 1, e.contacts[s].share_pct))
            .collect()
    }

    fn anodes(e: &Electrodes) -> Vec<(usize, u8)> {
        (0..=CASE)
            .filter(|&s| e.contacts[s].polarity == Polarity::Anode)
            .map(|s| (s + 1, e.contacts[s].share_pct))
            .collect()
    }

    /// Percutaneous leads of `n` contacts from slot `first` each.
    fn percutaneous(firsts: &[usize], n: usize) -> Vec<Vec<usize>> {
        firsts.iter().map(|&f| (f..f + n).collect()).collect()
    }

    fn press(e: Electrodes, leads: &[Vec<usize>], s: Steer, times: usize) -> Electrodes {
        (0..times).fold(e, |e, _| steer(&e, leads, s).expect("steered"))
    }

    #[wasm_bindgen_test]
    fn ten_presses_up_move_the_cathode_one_contact_through_every_tenth() {
        let start =
            Electrodes::off()
                .with(3, Polarity::Cathode, 100)
                .with(CASE, Polarity::Anode, 100);
        let one = press(start, &percutaneous(&[0], 8), Steer::Up, 1);
        assert_eq!(cathodes(&one), vec![(3, 10), (4, 90)]);
        let five = press(start, &percutaneous(&[0], 8), Steer::Up, 5);
        assert_eq!(cathodes(&five), vec![(3, 50), (4, 50)]);
        let ten = press(start, &percutaneous(&[0], 8), Steer::Up, 10);
        assert_eq!(
            cathodes(&ten),
            vec![(3, 100)],
            "a whole contact up, not smeared"
        );
        assert_eq!(
            press(ten, &percutaneous(&[0], 8), Steer::Down, 10),
            start,
            "and back"
        );
    }

    #[wasm_bindgen_test]
    fn an_anode_in_the_way_moves_on_ahead_of_the_cathode() {
        // E4 − E3 +: moving up pushes the anode to E2.
        let e = press(bipole(3, 2), &percutaneous(&[0], 8), Steer::Up, 1);
        assert_eq!(cathodes(&e), vec![(3, 10), (4, 90)]);
        assert_eq!(anodes(&e), vec![(2, 100)]);
        // At the top of the lead it refuses in words.
        let top = bipole(0, 1);
        let refused = steer(&top, &percutaneous(&[0], 8), Steer::Up).unwrap_err();
        assert!(refused.0.contains("top contact"), "{refused:?}");
    }

    #[wasm_bindgen_test]
    fn spread_then_focus_returns_to_the_single_pole_and_focus_then_guards_it() {
        let start = bipole(3, 6);
        let wide = press(start, &percutaneous(&[0], 8), Steer::Spread, 1);
        assert_eq!(cathodes(&wide), vec![(3, 25), (4, 50), (5, 25)]);
        let wider = press(wide, &percutaneous(&[0], 8), Steer::Spread, 1);
        assert_eq!(cathodes(&wider), vec![(3, 34), (4, 33), (5, 33)]);
        let back = press(wider, &percutaneous(&[0], 8), Steer::Focus, 2);
        assert_eq!(cathodes(&back), vec![(4, 100)]);
        let guarded = press(back, &percutaneous(&[0], 8), Steer::Focus, 1);
        assert_eq!(anodes(&guarded), vec![(3, 50), (5, 50)], "+ − +");
        assert!(
            steer(&guarded, &percutaneous(&[0], 8), Steer::Focus).is_err(),
            "nothing narrower"
        );
    }

    #[wasm_bindgen_test]
    fn left_and_right_move_a_tenth_of_the_current_to_the_other_lead() {
        let e = Electrodes::off()
            .with(3, Polarity::Cathode, 100)
            .with(CASE, Polarity::Anode, 100);
        let leads = percutaneous(&[0, 8], 8);
        let right = press(e, &leads, Steer::Right, 3);
        assert_eq!(cathodes(&right), vec![(4, 70), (12, 30)]);
        assert_eq!(press(right, &leads, Steer::Left, 3), e);
        assert!(steer(&e, &percutaneous(&[0], 8), Steer::Right)
            .unwrap_err()
            .0
            .contains("second lead"));
    }

    #[wasm_bindgen_test]
    fn every_steered_program_keeps_each_sign_at_100_percent_and_passes_stim_core() {
        use stim_core::lead::LeadKind;
        use stim_core::program::{Program, ProgramSet};
        let leads = percutaneous(&[0, 8], 8);
        let mut e = bipole(3, CASE);
        let presses = [
            Steer::Up,
            Steer::Spread,
            Steer::Right,
            Steer::Down,
            Steer::Down,
            Steer::Focus,
            Steer::Left,
            Steer::Spread,
            Steer::Up,
            Steer::Focus,
            Steer::Focus,
            Steer::Right,
        ];
        for (i, &p) in presses.iter().cycle().take(60).enumerate() {
            if let Ok(next) = steer(&e, &leads, p) {
                e = next;
            }
            assert_eq!(e.share_sum(Polarity::Cathode), 100, "press {i} {p:?}");
            assert_eq!(e.share_sum(Polarity::Anode), 100, "press {i} {p:?}");
            let program = Program {
                electrodes: e,
                ..stim_core::presets::tonic_bipole()
            };
            let set = ProgramSet::new(LeadKind::Percutaneous16, &[program]);
            validate(&set, &Limits::default(), &Default::default())
                .unwrap_or_else(|r| panic!("press {i} {p:?}: {r}"));
        }
    }

    #[wasm_bindgen_test]
    fn a_typed_share_rebalances_the_others_of_its_sign_to_100_percent() {
        let e = Electrodes::off()
            .with(2, Polarity::Cathode, 50)
            .with(3, Polarity::Cathode, 30)
            .with(4, Polarity::Cathode, 20)
            .with(5, Polarity::Anode, 100);
        let set = set_share(&e, 2, 80);
        assert_eq!(cathodes(&set), vec![(3, 80), (4, 12), (5, 8)], "3 : 2 kept");
        assert_eq!(anodes(&set), vec![(6, 100)], "the other sign is untouched");
        let all = set_share(&e, 2, 100);
        assert_eq!(
            cathodes(&all),
            vec![(3, 98), (4, 1), (5, 1)],
            "each keeps 1 %"
        );
        assert_eq!(set_share(&e, 5, 40), e, "the only anode carries all of it");
    }

    #[wasm_bindgen_test]
    fn the_centroid_weighs_the_contacts_by_their_cathodic_share() {
        let centres: Vec<[f64; 3]> = (0..16).map(|i| [0.0, 9.0, -7.0 * i as f64]).collect();
        let e = Electrodes::off()
            .with(3, Polarity::Cathode, 25)
            .with(4, Polarity::Cathode, 75)
            .with(5, Polarity::Anode, 100);
        let c = centroid(&e, &centres).unwrap();
        assert!((c[2] - -(7.0 * 3.75)).abs() < 1e-9, "{c:?}");
        assert_eq!(centroid(&Electrodes::off(), &centres), None);
    }
}
