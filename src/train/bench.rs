//! The clinician's bench as plain data: the leads' placement and the program on them, with
//! the edits a trainee makes, an undo history, and a URL that restores it. No view here.

use super::placement::{Kind, Placed, Placement};
use super::steering::{self, Refusal, Steer};
use stim_core::contacts::{Electrodes, Polarity, CASE, CONTACT_SLOTS};
use stim_core::program::{
    AmplitudeRange, Program, ProgramSet, Recharge, Stage, Waveform, MAX_PROGRAMS, MAX_STAGES,
};
use stim_core::safety::HARDWARE_MAX_UA;

/// Levels a lead's middle may sit at (indices into spine-field's LEVELS, T6–L1).
pub const LEVEL_COUNT: usize = 8;

/// Index of the classic burst in [`waveforms`].
pub const BURST: usize = 1;
/// Index of the custom stage train in [`waveforms`].
pub const CUSTOM: usize = 3;

/// The waveforms offered: (label, waveform, recharge).
pub fn waveforms() -> [(&'static str, Waveform, Recharge); 4] {
    [
        (
            "Tonic 50 Hz",
            Waveform::Tonic {
                rate_hz: 50,
                width_us: 300,
            },
            Recharge::Active,
        ),
        (
            "Burst 40 Hz (5 × 1 ms)",
            Waveform::classic_burst(),
            Recharge::Passive {
                width_us: 10_000,
                amplitude_permille: 500,
            },
        ),
        ("10 kHz", Waveform::ten_khz(), Recharge::Active),
        (
            "Custom (asymmetric)",
            stim_core::presets::custom_asymmetric().waveform,
            Recharge::Active,
        ),
    ]
}

/// One area: a program of its own on the same leads (an "area" on clinical programmers; the
/// page calls it a program, as stim-core does): its contacts, their shares and its
/// amplitude. Areas share the waveform and its timing, and stim-core interleaves their
/// pulses in one period, so each covers its own part of the body at its own strength.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// Polarity of each slot (slot 16 is the case).
    pub polarity: [Polarity; CONTACT_SLOTS],
    /// Each active slot's share of its side's current, % (current steering).
    pub share: [u8; CONTACT_SLOTS],
    /// Amplitude, µA.
    pub amplitude_ua: u32,
}

impl Default for Area {
    /// E4 − E5 +, sharing evenly, at 2.0 mA.
    fn default() -> Self {
        let mut polarity = [Polarity::Off; CONTACT_SLOTS];
        polarity[3] = Polarity::Cathode;
        polarity[4] = Polarity::Anode;
        let mut area = Area {
            polarity,
            share: [0; CONTACT_SLOTS],
            amplitude_ua: 2_000,
        };
        area.balance_shares();
        area
    }
}

impl Area {
    /// Each side shares its current evenly (in whole %, the first contacts taking the
    /// remainder).
    pub fn balance_shares(&mut self) {
        self.share = [0; CONTACT_SLOTS];
        for polarity in [Polarity::Cathode, Polarity::Anode] {
            let slots: Vec<usize> = (0..CONTACT_SLOTS)
                .filter(|&s| self.polarity[s] == polarity)
                .collect();
            for (i, &s) in slots.iter().enumerate() {
                self.share[s] = (100 / slots.len() + usize::from(i < 100 % slots.len())) as u8;
            }
        }
    }

    /// Its contacts in a link: a letter a slot (0 off, c cathode, a anode).
    fn contacts_code(&self) -> String {
        self.polarity
            .iter()
            .map(|p| match p {
                Polarity::Off => '0',
                Polarity::Cathode => 'c',
                Polarity::Anode => 'a',
            })
            .collect()
    }

    /// Its shares in a link: one number a slot, dot-separated.
    fn shares_code(&self) -> String {
        let shares: Vec<String> = self.share.iter().map(|s| s.to_string()).collect();
        shares.join(".")
    }

    /// Takes its contacts from a link (a code of another length is ignored).
    fn read_contacts(&mut self, code: &str) {
        if code.chars().count() == CONTACT_SLOTS {
            for (slot, c) in code.chars().enumerate() {
                self.polarity[slot] = match c {
                    'c' => Polarity::Cathode,
                    'a' => Polarity::Anode,
                    _ => Polarity::Off,
                };
            }
        }
    }

    /// Takes its shares from a link.
    fn read_shares(&mut self, code: &str) {
        for (slot, v) in code.split('.').take(CONTACT_SLOTS).enumerate() {
            self.share[slot] = v.parse::<u8>().unwrap_or(0).min(100);
        }
    }

    /// Takes its amplitude from a link (held to the hardware's limit).
    fn read_amplitude(&mut self, code: &str) {
        self.amplitude_ua = code
            .parse()
            .unwrap_or(self.amplitude_ua)
            .min(HARDWARE_MAX_UA);
    }

    /// Keeps only the contacts `placement` has, and shares evenly if `shared` is false (a
    /// link without shares).
    fn fit(&mut self, placement: &Placement, shared: bool) {
        for slot in placement.contacts()..CASE {
            self.polarity[slot] = Polarity::Off;
        }
        if !shared {
            self.balance_shares();
        }
        for slot in (0..CONTACT_SLOTS).filter(|&s| self.polarity[s] == Polarity::Off) {
            self.share[slot] = 0;
        }
    }

    /// The electrodes, with each active contact's share (stim-core checks they add to 100 %).
    pub fn electrodes(&self) -> Electrodes {
        (0..CONTACT_SLOTS)
            .filter(|&s| self.polarity[s] != Polarity::Off)
            .fold(Electrodes::off(), |e, s| {
                e.with(s, self.polarity[s], self.share[s])
            })
    }
}

/// One state of the bench. It reads as the area being edited: `bench.polarity`,
/// `bench.share` and `bench.amplitude_ua` are that area's (through `Deref`), so every edit
/// of contacts, shares, steering and amplitude acts on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bench {
    /// The lead or leads and where they lie (E1… on the first, the second's contacts next).
    pub placement: Placement,
    /// The areas (at least one, at most stim-core's programs).
    pub areas: Vec<Area>,
    /// The area being edited (an index into `areas`).
    pub active: usize,
    /// Rate, Hz: pulses (tonic, 10 kHz) or bursts (burst) per second.
    pub rate_hz: u16,
    /// Pulse width, µs.
    pub width_us: u32,
    /// Pulses in a burst.
    pub burst_pulses: u8,
    /// Pulse rate within a burst, Hz.
    pub intra_rate_hz: u16,
    /// Index into [`waveforms`].
    pub waveform: usize,
    /// The custom train's stages, back to back from the start of each period.
    pub stages: Vec<Stage>,
    /// Soft start: the ramp from zero to the amplitude when stimulation starts, ms.
    pub soft_start_ms: u32,
}

impl Default for Bench {
    fn default() -> Self {
        Bench {
            placement: Placement::default(),
            areas: vec![Area::default()],
            active: 0,
            rate_hz: 50,
            width_us: 300,
            burst_pulses: 5,
            intra_rate_hz: 500,
            waveform: 0,
            stages: custom_stages(),
            soft_start_ms: 0,
        }
    }
}

impl std::ops::Deref for Bench {
    type Target = Area;

    /// The area being edited.
    fn deref(&self) -> &Area {
        &self.areas[self.active]
    }
}

impl std::ops::DerefMut for Bench {
    fn deref_mut(&mut self) -> &mut Area {
        &mut self.areas[self.active]
    }
}

impl Bench {
    /// Cycles a contact off → − → + → off (the case: off ↔ +). A change of contacts sets
    /// the amplitude back to zero (the programmers' rule).
    pub fn cycle(&mut self, slot: usize) {
        self.polarity[slot] = match (self.polarity[slot], slot == CASE) {
            (Polarity::Off, false) => Polarity::Cathode,
            (Polarity::Cathode, _) => Polarity::Anode,
            (Polarity::Off, true) => Polarity::Anode,
            (Polarity::Anode, _) => Polarity::Off,
        };
        self.balance_shares();
        self.amplitude_ua = 0;
    }

    /// Places the leads of `placement`. Contacts it lacks are turned off; a lead whose
    /// kind changed (or contacts lost) is a change of contacts: the amplitude goes back to
    /// zero, and each side shares its current evenly again if contacts were lost. Moving a
    /// lead keeps the program.
    pub fn set_placement(&mut self, placement: Placement) {
        let kinds = |p: &Placement| [p.lead(0).map(|l| l.kind), p.lead(1).map(|l| l.kind)];
        let (before, after) = (kinds(&self.placement), kinds(&placement));
        let changed = before
            .iter()
            .zip(&after)
            .any(|(b, a)| b.is_some() && a.is_some() && b != a);
        self.placement = placement;
        for area in &mut self.areas {
            let lost =
                (placement.contacts()..CASE).any(|slot| area.polarity[slot] != Polarity::Off);
            for slot in placement.contacts()..CASE {
                area.polarity[slot] = Polarity::Off;
                area.share[slot] = 0;
            }
            if lost {
                area.balance_shares();
            }
            if lost || changed {
                area.amplitude_ua = 0;
            }
        }
    }

    /// Adds an area (up to stim-core's programs) with the contacts of the one being edited,
    /// at zero amplitude, and edits it.
    pub fn add_area(&mut self) {
        if self.areas.len() < MAX_PROGRAMS {
            let area = Area {
                amplitude_ua: 0,
                ..(**self).clone()
            };
            self.areas.push(area);
            self.active = self.areas.len() - 1;
        }
    }

    /// Removes the area being edited (one always stays) and edits the one before it.
    pub fn remove_area(&mut self) {
        if self.areas.len() > 1 {
            self.areas.remove(self.active);
            self.active = self.active.saturating_sub(1);
        }
    }

    /// Edits area `index` (if there is one).
    pub fn choose_area(&mut self, index: usize) {
        if index < self.areas.len() {
            self.active = index;
        }
    }

    /// Chooses a waveform (the amplitude goes back to zero, as for a change of contacts).
    pub fn set_waveform(&mut self, index: usize) {
        self.waveform = index.min(waveforms().len() - 1);
        // Start from the waveform's usual parameters.
        let (_, waveform, _) = waveforms()[self.waveform].clone();
        match waveform {
            Waveform::Tonic { rate_hz, width_us }
            | Waveform::HighFrequency { rate_hz, width_us } => {
                (self.rate_hz, self.width_us) = (rate_hz, width_us);
            }
            Waveform::Burst {
                burst_rate_hz,
                pulses,
                intra_rate_hz,
                width_us,
            } => {
                (
                    self.rate_hz,
                    self.burst_pulses,
                    self.intra_rate_hz,
                    self.width_us,
                ) = (burst_rate_hz, pulses, intra_rate_hz, width_us);
            }
            Waveform::Custom { period_us, stages } => {
                self.rate_hz = (1_000_000 / period_us.max(1)).min(u16::MAX.into()) as u16;
                self.stages = stages.to_vec();
            }
        }
        // Every area plays the new waveform.
        for area in &mut self.areas {
            area.amplitude_ua = 0;
        }
    }

    /// The program of the area being edited.
    pub fn program(&self) -> Program {
        self.program_of(self.active)
    }

    /// Area `index`'s program (the patient range spans 0 to its amplitude): the shared
    /// waveform, and its pulses offset in the period so the areas take turns (area k of n
    /// starts k/n of the way through; stim-core refuses areas that still collide).
    ///
    /// # Panics
    /// If there is no area `index`.
    pub fn program_of(&self, index: usize) -> Program {
        let area = &self.areas[index];
        let (_, mut waveform, mut recharge) = waveforms()[self.waveform].clone();
        match &mut waveform {
            Waveform::Tonic { rate_hz, width_us }
            | Waveform::HighFrequency { rate_hz, width_us } => {
                (*rate_hz, *width_us) = (self.rate_hz, self.width_us);
            }
            Waveform::Burst {
                burst_rate_hz,
                pulses,
                intra_rate_hz,
                width_us,
            } => {
                (*burst_rate_hz, *pulses, *intra_rate_hz, *width_us) = (
                    self.rate_hz,
                    self.burst_pulses,
                    self.intra_rate_hz,
                    self.width_us,
                );
                // Passive recharge at half the current after the burst, balanced by stim-core
                // (which still checks it fits the period).
                recharge = Recharge::passive_balancing(&waveform, 500).unwrap_or(recharge);
            }
            Waveform::Custom { period_us, stages } => {
                *period_us = 1_000_000 / u32::from(self.rate_hz.max(1));
                *stages = self.stages.iter().copied().take(MAX_STAGES).collect();
            }
        }
        let period_us = 1_000_000 / u32::from(self.rate_hz.max(1));
        Program {
            electrodes: area.electrodes(),
            waveform,
            amplitude_ua: area.amplitude_ua,
            interphase_gap_us: 20,
            recharge,
            patient_range: AmplitudeRange {
                min_ua: 0,
                max_ua: area.amplitude_ua,
            },
            offset_us: period_us / self.areas.len() as u32 * index as u32,
        }
    }

    /// The program set for stim-core's checks.
    pub fn program_set(&self) -> ProgramSet {
        ProgramSet {
            soft_start_ms: self.soft_start_ms,
            ..ProgramSet::new(
                self.placement.core(),
                &(0..self.areas.len())
                    .map(|i| self.program_of(i))
                    .collect::<Vec<_>>(),
            )
        }
    }

    /// Adds a gap stage to the custom train, up to stim-core's limit of stages.
    pub fn add_stage(&mut self) {
        if self.stages.len() < MAX_STAGES {
            self.stages.push(Stage {
                duration_us: 100,
                amplitude_permille: 0,
            });
        }
    }

    /// Removes a stage of the custom train (one always stays).
    pub fn remove_stage(&mut self, index: usize) {
        if self.stages.len() > 1 && index < self.stages.len() {
            self.stages.remove(index);
        }
    }

    /// Each lead contact's share of the amplitude, signed (cathodes −), for the field of
    /// the area being edited.
    pub fn fractions(&self) -> Vec<f64> {
        self.fractions_of(self.active)
    }

    /// Area `index`'s signed shares (as [`Bench::fractions`]).
    pub fn fractions_of(&self, index: usize) -> Vec<f64> {
        signed_fractions(&self.areas[index].electrodes(), self.placement.contacts())
    }

    /// Each lead contact's share summed over the areas, unsigned: not zero where any area
    /// drives the contact (the contacts a preview must sample).
    pub fn in_use(&self) -> Vec<f64> {
        let mut used = vec![0.0; self.placement.contacts()];
        for i in 0..self.areas.len() {
            for (u, f) in used.iter_mut().zip(self.fractions_of(i)) {
                *u += f.abs();
            }
        }
        used
    }

    /// Sets a contact's share, the others of its sign re-divided to keep 100 % (see
    /// [`steering::set_share`]); the amplitude stays, as on clinical programmers that steer
    /// without a reset.
    pub fn set_share(&mut self, slot: usize, percent: u8) {
        self.set_electrodes(&steering::set_share(&self.electrodes(), slot, percent));
    }

    /// Steers the field one press (see [`steering::steer`]); the amplitude stays. Nothing
    /// changes when the press is refused.
    pub fn steer(&mut self, press: Steer) -> Result<(), Refusal> {
        let steered = steering::steer(&self.electrodes(), &self.placement.columns(), press)?;
        self.set_electrodes(&steered);
        Ok(())
    }

    /// Takes each slot's polarity and share from `electrodes`.
    fn set_electrodes(&mut self, electrodes: &Electrodes) {
        for (slot, c) in electrodes.contacts.iter().enumerate() {
            (self.polarity[slot], self.share[slot]) = (c.polarity, c.share_pct);
        }
    }

    /// The stimulating phase's width, µs (for fibre thresholds).
    pub fn pulse_width_us(&self) -> f64 {
        stimulating_width_us(&self.program())
    }

    /// The bench as a query string (shareable).
    pub fn to_query(&self) -> String {
        // Area 1 keeps the keys of one-area links (`contacts`, `shares`, `amp`); area k is
        // `areak=contacts~shares~amp`, and `area=k` the one being edited.
        let first = &self.areas[0];
        let (contacts, shares) = (first.contacts_code(), first.shares_code());
        let mut areas: String = self.areas[1..]
            .iter()
            .enumerate()
            .map(|(i, a)| {
                format!(
                    "&area{}={}~{}~{}",
                    i + 2,
                    a.contacts_code(),
                    a.shares_code(),
                    a.amplitude_ua
                )
            })
            .collect();
        if self.active > 0 {
            areas += &format!("&area={}", self.active + 1);
        }
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|s| format!("{}:{}", s.duration_us, s.amplitude_permille))
            .collect();
        // Lead 1 keeps the keys of one-lead links (`lead`, `level`, `offset`), so they open
        // as before; lead 2's keys end in 2.
        let leads: String = self
            .placement
            .leads()
            .zip(["", "2"])
            .map(|(l, n)| {
                format!(
                    "lead{n}={}&level{n}={}&offset{n}={}&shift{n}={}&",
                    l.kind.code(),
                    l.level,
                    l.offset_mm,
                    l.shift_mm
                )
            })
            .collect();
        format!(
            "{leads}contacts={contacts}&shares={shares}&amp={}{areas}&wave={}&rate={}&width={}&pulses={}&intra={}&stages={}&soft={}",
            first.amplitude_ua,
            self.waveform,
            self.rate_hz,
            self.width_us,
            self.burst_pulses,
            self.intra_rate_hz,
            stages.join("."),
            self.soft_start_ms
        )
    }

    /// A bench from a query string; anything missing or malformed keeps the default, so a
    /// damaged link still opens something sensible.
    pub fn from_query(query: &str) -> Bench {
        let mut bench = Bench::default();
        let mut active = None;
        // Each lead's (kind, level, shift, offset); the second only if its kind is given.
        let first = bench.placement.first();
        let mut leads = [
            (Some(first.kind), first.level, 0, 0),
            (None, first.level, 0, 0),
        ];
        for pair in query.trim_start_matches('?').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let (name, index) = match key.strip_suffix('2') {
                Some(name) => (name, 1),
                None => (key, 0),
            };
            let lead = &mut leads[index];
            match name {
                // The last `lead=` wins, as for every other key; an unknown kind is a 1 × 8.
                "lead" => lead.0 = Some(Kind::from_code(value).unwrap_or_default()),
                "level" => lead.1 = value.parse().unwrap_or(lead.1),
                "shift" => lead.2 = value.parse().unwrap_or(0),
                "offset" => lead.3 = value.parse().unwrap_or(0),
                _ => {}
            }
            match key {
                "amp" => bench.areas[0].read_amplitude(value),
                "area" => active = value.parse::<usize>().ok().and_then(|a| a.checked_sub(1)),
                // `area2=…` to `area4=…`, in order (a gap ends the areas).
                k if k.strip_prefix("area").and_then(|n| n.parse::<usize>().ok())
                    == Some(bench.areas.len() + 1)
                    && bench.areas.len() < MAX_PROGRAMS =>
                {
                    let mut parts = value.split('~');
                    let mut area = Area::default();
                    area.read_contacts(parts.next().unwrap_or_default());
                    let shares = parts.next();
                    area.read_shares(shares.unwrap_or_default());
                    area.read_amplitude(parts.next().unwrap_or("0"));
                    if shares.is_none() {
                        area.balance_shares();
                    }
                    bench.areas.push(area);
                }
                "wave" => {
                    bench.waveform = value.parse().unwrap_or(0usize).min(waveforms().len() - 1)
                }
                "rate" => bench.rate_hz = value.parse().unwrap_or(bench.rate_hz),
                "width" => bench.width_us = value.parse().unwrap_or(bench.width_us),
                "pulses" => bench.burst_pulses = value.parse().unwrap_or(bench.burst_pulses),
                "intra" => bench.intra_rate_hz = value.parse().unwrap_or(bench.intra_rate_hz),
                "soft" => bench.soft_start_ms = value.parse().unwrap_or(0),
                "stages" => {
                    let stages: Option<Vec<Stage>> = value
                        .split('.')
                        .take(MAX_STAGES)
                        .map(|stage| {
                            let (duration, permille) = stage.split_once(':')?;
                            Some(Stage {
                                duration_us: duration.parse().ok()?,
                                amplitude_permille: permille.parse().ok()?,
                            })
                        })
                        .collect();
                    bench.stages = stages.unwrap_or(bench.stages);
                }
                "shares" => bench.areas[0].read_shares(value),
                "contacts" => bench.areas[0].read_contacts(value),
                _ => {}
            }
        }
        let [first, second] = leads.map(|(kind, level, shift, offset)| {
            kind.map(|kind| Placed::at(kind, level).moved(level, shift, offset))
        });
        // A pair the stimulator cannot drive keeps the first lead.
        let first = first.unwrap_or(bench.placement.first());
        bench.placement = Placement::new(first, second).unwrap_or(Placement::single(first));
        // Contacts beyond the leads' are dropped; a link without shares shares evenly.
        let (placement, shared) = (bench.placement, query.contains("shares="));
        bench.areas[0].fit(&placement, shared);
        for area in &mut bench.areas[1..] {
            area.fit(&placement, true);
        }
        bench.active = active.filter(|&a| a < bench.areas.len()).unwrap_or(0);
        bench
    }
}

/// The custom train offered first: the asymmetric preset's stages.
fn custom_stages() -> Vec<Stage> {
    match stim_core::presets::custom_asymmetric().waveform {
        Waveform::Custom { stages, .. } => stages.to_vec(),
        _ => vec![],
    }
}

/// The first `contacts` slots' shares of the amplitude, signed (cathodes −), as the
/// field model weighs the contacts' unit fields.
pub fn signed_fractions(electrodes: &Electrodes, contacts: usize) -> Vec<f64> {
    // stim-core's split of 100 µA is each contact's signed share in % (each side adds to
    // exactly 100).
    electrodes.split(100)[..contacts]
        .iter()
        .map(|&percent| percent as f64 / 100.0)
        .collect()
}

/// The width of a program's stimulating phase, µs (what fibre thresholds depend on), from
/// stim-core; a custom train without one (all gaps or reversed current) counts as 0, so
/// no fibre fires. A custom stage's ‰ is not weighed: a weaker stage is judged as if at
/// full amplitude (a simplification of the fibre model).
pub fn stimulating_width_us(program: &Program) -> f64 {
    program.waveform.stimulating_width_us().unwrap_or(0) as f64
}

/// Undo and redo over bench states.
#[derive(Clone, Debug, Default)]
pub struct History {
    past: Vec<Bench>,
    future: Vec<Bench>,
}

impl History {
    /// Records `before` as the state to go back to; a new edit clears the redo list.
    pub fn record(&mut self, before: Bench) {
        self.past.push(before);
        self.future.clear();
    }

    /// The previous state, if any (`current` becomes redoable).
    pub fn undo(&mut self, current: Bench) -> Option<Bench> {
        let previous = self.past.pop()?;
        self.future.push(current);
        Some(previous)
    }

    /// The state undone last, if any.
    pub fn redo(&mut self, current: Bench) -> Option<Bench> {
        let next = self.future.pop()?;
        self.past.push(current);
        Some(next)
    }

    /// Whether there is something to undo / redo.
    pub fn can(&self) -> (bool, bool) {
        (!self.past.is_empty(), !self.future.is_empty())
    }
}
