//! What the page and a field worker say to each other, and how a placement's contacts are
//! shared among workers. Both ends use this one module, so the format cannot drift apart.
//!
//! A message is a header of numbers (a `Float64Array` on the wire: every count here is far
//! below 2⁵³, and the lead's and the anatomy's millimetres travel exactly), its first
//! number the message's kind. The unit fields of a [`Report::UnitFields`] are not in the
//! header: they follow it as one `Float32Array` per contact whose buffers are
//! *transferred*, so tens of MB cross between threads without a copy or a serializer
//! (serde would cost the main bundle more than these few dozen lines).
//!
//! Jobs are numbered from 1 and reports from 101, so neither passes for the other: a
//! placement's unit fields (1), a level of the drag preview's atlas (2), and fibres'
//! membrane thresholds (3). A new kind
//! takes the next free number and adds its arm to the `encode`/`decode` pairs below.
//!
//! # Example
//! ```
//! use field_worker::Job;
//! use spine_field::{anatomy::Anatomy, lead::{Lead, LeadKind}, model::Resolution};
//!
//! let job = Job::UnitFields {
//!     anatomy: Anatomy::default(),
//!     leads: vec![Lead::at(LeadKind::PERCUTANEOUS_8, 2), Lead::at(LeadKind::PERCUTANEOUS_8, 3)],
//!     resolution: Resolution::FINE,
//!     share: 8..16,
//! };
//! assert_eq!(Job::decode(&job.encode()), Ok(job));
//! ```

#![forbid(unsafe_code)]

use std::ops::Range;

use spine_field::anatomy::Anatomy;
use spine_field::lead::{Lead, LeadKind};
use spine_field::membrane::recruitment::Drive;
use spine_field::membrane::{Phase, Stimulus};
use spine_field::model::{Resolution, BATCH};

/// Kind number of [`Job::UnitFields`] (jobs count from 1, reports from 101).
const JOB_UNIT_FIELDS: f64 = 1.0;
/// Kind number of [`Job::AtlasLevel`].
const JOB_ATLAS_LEVEL: f64 = 2.0;
/// Kind number of [`Job::Thresholds`].
const JOB_THRESHOLDS: f64 = 3.0;
/// Kind number of [`Report::Ready`].
const REPORT_READY: f64 = 101.0;
/// Kind number of [`Report::Progress`].
const REPORT_PROGRESS: f64 = 102.0;
/// Kind number of [`Report::UnitFields`].
const REPORT_UNIT_FIELDS: f64 = 103.0;
/// Kind number of [`Report::Failed`].
const REPORT_FAILED: f64 = 104.0;

/// Work the page gives a worker. A worker does one job at a time, to its end.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    /// The unit fields of contacts `share` of `leads` in `anatomy`, on the grid
    /// `model::grid_for(leads, resolution)`.
    UnitFields {
        /// The anatomy.
        anatomy: Anatomy,
        /// The leads of the placement (one or two), in the order their contacts are numbered.
        leads: Vec<Lead>,
        /// The grid's fine cell sizes.
        resolution: Resolution,
        /// Which of the leads' contacts (indices into `lead::contacts_of(leads, ..)`).
        share: Range<usize>,
    },
    /// Entries `share` (offsets in mm from the midline) of the drag preview's atlas at
    /// `level` (`spine_field::atlas::Level`), on the atlas's box: answered, as a
    /// [`Job::UnitFields`] is, with [`Report::UnitFields`].
    AtlasLevel {
        /// The anatomy.
        anatomy: Anatomy,
        /// The level (index into `anatomy::LEVELS`).
        level: usize,
        /// Which offsets, mm.
        share: Range<usize>,
    },
    /// The membrane thresholds of `fibres` (a share of a probe's, as a program drives
    /// them) for `stimulus`, up to `max_ma`: answered with [`Report::UnitFields`], one
    /// array of one number per fibre (its threshold, mA; infinite beyond `max_ma`), the
    /// simulations each took as its iterations.
    Thresholds {
        /// The program's current over time.
        stimulus: Stimulus,
        /// The highest amplitude the stimulator allows for the program, mA.
        max_ma: f64,
        /// The fibres.
        fibres: Vec<Drive>,
    },
}

/// What a worker tells the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    /// The worker's code has loaded and it listens for jobs (messages sent before this
    /// could be lost).
    Ready,
    /// `done` of the job's `all` contacts are solved.
    Progress {
        /// Contacts solved.
        done: usize,
        /// Contacts in the job.
        all: usize,
    },
    /// The job is done: one `Float32Array` per contact of the share follows the header,
    /// in order.
    UnitFields {
        /// CG iterations of each contact's solve.
        iterations: Vec<usize>,
    },
    /// The job could not be done: a solve did not converge, or the job was malformed.
    Failed,
}

/// Why a header could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum DecodeError {
    /// The header was empty, or its kind is unknown to this end.
    UnknownKind(Option<f64>),
    /// The header of `kind` has `found` numbers where `expected` were due.
    Length {
        /// The message's kind number.
        kind: f64,
        /// Numbers due.
        expected: usize,
        /// Numbers found.
        found: usize,
    },
    /// A number that must be a count (a non-negative integer) is not one.
    NotACount(f64),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::UnknownKind(kind) => write!(f, "unknown message kind {kind:?}"),
            DecodeError::Length {
                kind,
                expected,
                found,
            } => write!(
                f,
                "a message of kind {kind} has {found} numbers, not {expected}"
            ),
            DecodeError::NotACount(v) => write!(f, "{v} is not a count"),
        }
    }
}

/// Numbers of an encoded [`Anatomy`].
const ANATOMY_LEN: usize = 15;
/// Numbers of an encoded [`Lead`].
const LEAD_LEN: usize = 7;

impl Job {
    /// The header that carries this job.
    pub fn encode(&self) -> Vec<f64> {
        match self {
            Job::UnitFields {
                anatomy,
                leads,
                resolution,
                share,
            } => {
                let mut header = vec![JOB_UNIT_FIELDS];
                encode_anatomy(anatomy, &mut header);
                header.push(leads.len() as f64);
                for lead in leads {
                    encode_lead(lead, &mut header);
                }
                header.extend([
                    resolution.across,
                    resolution.along,
                    share.start as f64,
                    share.end as f64,
                ]);
                header
            }
            Job::AtlasLevel {
                anatomy,
                level,
                share,
            } => {
                let mut header = vec![JOB_ATLAS_LEVEL];
                encode_anatomy(anatomy, &mut header);
                header.extend([*level as f64, share.start as f64, share.end as f64]);
                header
            }
            Job::Thresholds {
                stimulus,
                max_ma,
                fibres,
            } => {
                let mut header = vec![JOB_THRESHOLDS, stimulus.phases.len() as f64];
                for p in &stimulus.phases {
                    header.extend([p.start_us, p.duration_us, p.weight]);
                }
                header.extend([stimulus.period_us, stimulus.periods as f64, *max_ma]);
                header.push(fibres.len() as f64);
                for f in fibres {
                    header.extend([f.diameter_um, f.preview_ma, f.ve_mv.len() as f64]);
                    header.extend(&f.ve_mv);
                }
                header
            }
        }
    }

    /// The job carried by `header`.
    ///
    /// # Errors
    /// An unknown kind, a wrong length, or a count that is not one.
    pub fn decode(header: &[f64]) -> Result<Job, DecodeError> {
        let (&kind, body) = header.split_first().ok_or(DecodeError::UnknownKind(None))?;
        if kind == JOB_ATLAS_LEVEL {
            expect_len(kind, body, ANATOMY_LEN + 3)?;
            let (anatomy, rest) = body.split_at(ANATOMY_LEN);
            return Ok(Job::AtlasLevel {
                anatomy: decode_anatomy(anatomy),
                level: count(rest[0])?,
                share: count(rest[1])?..count(rest[2])?,
            });
        }
        if kind == JOB_THRESHOLDS {
            return decode_thresholds(body);
        }
        if kind != JOB_UNIT_FIELDS {
            return Err(DecodeError::UnknownKind(Some(kind)));
        }
        // The anatomy, the count of leads, each lead, the resolution and the share.
        let leads = count(body.get(ANATOMY_LEN).copied().unwrap_or(-1.0))?;
        expect_len(kind, body, ANATOMY_LEN + 1 + leads * LEAD_LEN + 4)?;
        let (anatomy, rest) = body.split_at(ANATOMY_LEN);
        let (leads, rest) = rest[1..].split_at(leads * LEAD_LEN);
        Ok(Job::UnitFields {
            anatomy: decode_anatomy(anatomy),
            leads: leads
                .chunks(LEAD_LEN)
                .map(decode_lead)
                .collect::<Result<_, _>>()?,
            resolution: Resolution {
                across: rest[0],
                along: rest[1],
            },
            share: count(rest[2])?..count(rest[3])?,
        })
    }
}

impl Report {
    /// The header that carries this report.
    pub fn encode(&self) -> Vec<f64> {
        match self {
            Report::Ready => vec![REPORT_READY],
            Report::Progress { done, all } => vec![REPORT_PROGRESS, *done as f64, *all as f64],
            Report::UnitFields { iterations } => std::iter::once(REPORT_UNIT_FIELDS)
                .chain(iterations.iter().map(|&i| i as f64))
                .collect(),
            Report::Failed => vec![REPORT_FAILED],
        }
    }

    /// The report carried by `header`.
    ///
    /// # Errors
    /// An unknown kind, a wrong length, or a count that is not one.
    pub fn decode(header: &[f64]) -> Result<Report, DecodeError> {
        let (&kind, body) = header.split_first().ok_or(DecodeError::UnknownKind(None))?;
        match kind {
            REPORT_READY => expect_len(kind, body, 0).map(|()| Report::Ready),
            REPORT_PROGRESS => {
                expect_len(kind, body, 2)?;
                Ok(Report::Progress {
                    done: count(body[0])?,
                    all: count(body[1])?,
                })
            }
            REPORT_UNIT_FIELDS => Ok(Report::UnitFields {
                iterations: body.iter().map(|&v| count(v)).collect::<Result<_, _>>()?,
            }),
            REPORT_FAILED => expect_len(kind, body, 0).map(|()| Report::Failed),
            _ => Err(DecodeError::UnknownKind(Some(kind))),
        }
    }
}

/// A [`Job::Thresholds`] from its header's body: the phases (a count, then start,
/// duration and weight of each), the period, the periods, the largest amplitude, then the
/// fibres (a count, then of each its diameter, preview threshold, node count and Ve at
/// the nodes).
fn decode_thresholds(body: &[f64]) -> Result<Job, DecodeError> {
    let kind = JOB_THRESHOLDS;
    let mut at = 0;
    // The next `n` numbers, or the length the header would have needed.
    let mut take = |n: usize| -> Result<&[f64], DecodeError> {
        let got = body.get(at..at + n).ok_or(DecodeError::Length {
            kind,
            expected: at + n,
            found: body.len(),
        })?;
        at += n;
        Ok(got)
    };
    let phases = count(take(1)?[0])?;
    let phases = take(phases * 3)?
        .chunks(3)
        .map(|p| Phase {
            start_us: p[0],
            duration_us: p[1],
            weight: p[2],
        })
        .collect();
    let [period_us, periods, max_ma] = take(3)?.try_into().unwrap_or_default();
    let stimulus = Stimulus {
        phases,
        period_us,
        periods: count(periods)? as u32,
    };
    let mut fibres = vec![];
    for _ in 0..count(take(1)?[0])? {
        let [diameter_um, preview_ma, nodes] = take(3)?.try_into().unwrap_or_default();
        fibres.push(Drive {
            diameter_um,
            preview_ma,
            ve_mv: take(count(nodes)?)?.to_vec(),
        });
    }
    expect_len(kind, body, at)?;
    Ok(Job::Thresholds {
        stimulus,
        max_ma,
        fibres,
    })
}

/// How `contacts` are shared among at most `workers` workers: whole batches of
/// [`BATCH`] contacts each (a batch costs one pass over the operator whether it holds one
/// contact or four), as evenly as the batches allow, the first workers taking the extra
/// batch. A worker with no batch gets no share, so there may be fewer shares than workers.
///
/// # Panics
/// If `workers` is 0.
pub fn shares(contacts: usize, workers: usize) -> Vec<Range<usize>> {
    assert!(workers > 0, "at least one worker");
    let batches = contacts.div_ceil(BATCH);
    let used = workers.min(batches);
    let mut start = 0;
    (0..used)
        .map(|w| {
            let take = batches / used + usize::from(w < batches % used);
            let end = (start + take * BATCH).min(contacts);
            let share = start..end;
            start = end;
            share
        })
        .collect()
}

fn expect_len(kind: f64, body: &[f64], expected: usize) -> Result<(), DecodeError> {
    if body.len() == expected {
        Ok(())
    } else {
        Err(DecodeError::Length {
            kind,
            expected,
            found: body.len(),
        })
    }
}

/// `v` as a count, if it is a non-negative integer that fits.
fn count(v: f64) -> Result<usize, DecodeError> {
    if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
        Ok(v as usize)
    } else {
        Err(DecodeError::NotACount(v))
    }
}

fn encode_anatomy(a: &Anatomy, header: &mut Vec<f64>) {
    header.extend(a.dorsal_csf);
    header.extend([a.ventral_csf, a.lateral_csf]);
    header.extend(a.cord);
    header.extend([a.dura, a.dorsal_fat, a.canal_width]);
}

fn decode_anatomy(v: &[f64]) -> Anatomy {
    let mut dorsal_csf = [0.0; 8];
    dorsal_csf.copy_from_slice(&v[..8]);
    Anatomy {
        dorsal_csf,
        ventral_csf: v[8],
        lateral_csf: v[9],
        cord: [v[10], v[11]],
        dura: v[12],
        dorsal_fat: v[13],
        canal_width: v[14],
    }
}

/// A lead as `[shape, a, b, level, shift, offset, angle]`: shape 0 is percutaneous
/// (a = contacts, b = pitch), 1 a paddle (a = columns, b = rows).
fn encode_lead(lead: &Lead, header: &mut Vec<f64>) {
    let (shape, a, b) = match lead.kind {
        LeadKind::Percutaneous { contacts, pitch } => (0.0, contacts as f64, pitch),
        LeadKind::Paddle { columns, rows } => (1.0, columns as f64, rows as f64),
    };
    header.extend([
        shape,
        a,
        b,
        lead.level as f64,
        lead.shift,
        lead.offset,
        lead.angle,
    ]);
}

fn decode_lead(v: &[f64]) -> Result<Lead, DecodeError> {
    let kind = match v[0] {
        0.0 => LeadKind::Percutaneous {
            contacts: count(v[1])?,
            pitch: v[2],
        },
        1.0 => LeadKind::Paddle {
            columns: count(v[1])?,
            rows: count(v[2])?,
        },
        other => return Err(DecodeError::NotACount(other)),
    };
    Ok(Lead {
        kind,
        level: count(v[3])?,
        shift: v[4],
        offset: v[5],
        angle: v[6],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs() -> Vec<Job> {
        let mut anatomy = Anatomy::default();
        anatomy.dorsal_csf[3] = 4.25;
        vec![
            Job::UnitFields {
                anatomy: Anatomy::default(),
                leads: vec![Lead::at(LeadKind::PERCUTANEOUS_8, 3)],
                resolution: Resolution::COARSE,
                share: 0..4,
            },
            Job::UnitFields {
                anatomy,
                leads: vec![Lead {
                    shift: -13.0,
                    offset: 2.5,
                    angle: -7.125,
                    ..Lead::at(LeadKind::PERCUTANEOUS_16, 7)
                }],
                resolution: Resolution::FINE,
                share: 8..16,
            },
            Job::UnitFields {
                anatomy: Anatomy::default(),
                leads: vec![Lead::at(LeadKind::PADDLE_16, 0)],
                resolution: Resolution {
                    across: 0.1,
                    along: 1.0 / 3.0,
                },
                share: 12..16,
            },
            // Two leads, staggered: a 1 × 8 left at T8 and one 6 mm lower, right, at T9.
            Job::UnitFields {
                anatomy: Anatomy::default(),
                leads: vec![
                    Lead {
                        offset: -2.0,
                        ..Lead::at(LeadKind::PERCUTANEOUS_8, 2)
                    },
                    Lead {
                        shift: -6.0,
                        offset: 3.0,
                        ..Lead::at(LeadKind::PERCUTANEOUS_8, 3)
                    },
                ],
                resolution: Resolution::FINE,
                share: 8..16,
            },
            Job::AtlasLevel {
                anatomy: Anatomy::default(),
                level: 7,
                share: 8..9,
            },
            Job::Thresholds {
                stimulus: Stimulus::biphasic(210.0),
                max_ma: 12.25,
                fibres: vec![
                    Drive {
                        diameter_um: 11.5,
                        ve_mv: vec![-3.5, -7.25, -3.5],
                        preview_ma: 2.75,
                    },
                    Drive {
                        diameter_um: 8.7,
                        ve_mv: vec![],
                        preview_ma: f64::INFINITY,
                    },
                ],
            },
        ]
    }

    #[test]
    fn every_job_comes_back_as_it_went() {
        for job in jobs() {
            assert_eq!(Job::decode(&job.encode()), Ok(job));
        }
    }

    #[test]
    fn every_report_comes_back_as_it_went() {
        for report in [
            Report::Ready,
            Report::Progress { done: 4, all: 8 },
            Report::UnitFields {
                iterations: vec![31, 30, 29, 33],
            },
            Report::UnitFields { iterations: vec![] },
            Report::Failed,
        ] {
            assert_eq!(Report::decode(&report.encode()), Ok(report));
        }
    }

    #[test]
    fn a_job_and_a_report_do_not_pass_for_each_other() {
        // Kinds are numbered per direction: a report read as a job (or the reverse) is
        // refused, not misread.
        let report = Report::Progress { done: 1, all: 2 }.encode();
        assert!(Job::decode(&report).is_err());
        let job = jobs()[0].encode();
        assert!(Report::decode(&job).is_err());
    }

    #[test]
    fn a_broken_header_is_refused_with_its_numbers() {
        assert_eq!(Job::decode(&[]), Err(DecodeError::UnknownKind(None)));
        assert_eq!(
            Job::decode(&[2.0, 1.0]),
            Err(DecodeError::Length {
                kind: 2.0,
                expected: 18,
                found: 1
            })
        );
        assert_eq!(
            Job::decode(&[9.0]),
            Err(DecodeError::UnknownKind(Some(9.0)))
        );
        let mut short = jobs()[0].encode();
        short.pop();
        assert_eq!(
            Job::decode(&short),
            Err(DecodeError::Length {
                kind: 1.0,
                expected: 27,
                found: 26
            })
        );
        // A count of leads that the header does not hold.
        let mut claims_two = jobs()[0].encode();
        claims_two[1 + ANATOMY_LEN] = 2.0;
        assert_eq!(
            Job::decode(&claims_two),
            Err(DecodeError::Length {
                kind: 1.0,
                expected: 34,
                found: 27
            })
        );
        // A fibre claiming more nodes than the header holds.
        let mut thresholds = jobs()[5].encode();
        thresholds.truncate(thresholds.len() - 1);
        assert!(matches!(
            Job::decode(&thresholds),
            Err(DecodeError::Length { kind: 3.0, .. })
        ));
        let mut fractional = jobs()[0].encode();
        *fractional.last_mut().unwrap() = 4.5;
        assert_eq!(Job::decode(&fractional), Err(DecodeError::NotACount(4.5)));
        assert_eq!(
            Report::decode(&[102.0, -1.0, 8.0]),
            Err(DecodeError::NotACount(-1.0))
        );
        assert_eq!(
            Report::decode(&[101.0, 0.0]),
            Err(DecodeError::Length {
                kind: 101.0,
                expected: 0,
                found: 1
            })
        );
    }

    #[test]
    fn contacts_are_shared_in_whole_batches() {
        assert_eq!(shares(16, 2), [0..8, 8..16]);
        assert_eq!(shares(8, 2), [0..4, 4..8]);
        assert_eq!(shares(16, 4), [0..4, 4..8, 8..12, 12..16]);
        // Fewer batches than workers: no worker gets half a batch.
        assert_eq!(shares(8, 4), [0..4, 4..8]);
        // Uneven: the first worker takes the extra batch.
        assert_eq!(shares(16, 3), [0..8, 8..12, 12..16]);
        assert_eq!(shares(16, 1), vec![0..16_usize]);
        // A last batch that is not full.
        assert_eq!(shares(6, 2), [0..4, 4..6]);
        assert_eq!(shares(0, 2), Vec::<Range<usize>>::new());
    }
}
