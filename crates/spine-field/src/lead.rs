//! Leads and where they lie: percutaneous 1 × 8 and 1 × 16 (1.3 mm diameter, 3 mm
//! contacts) and a paddle (columns × rows of flat contacts on an insulating body), placed
//! by vertebral level, offset from the midline and angle, on the dorsal dura.

use crate::anatomy::{level_z, Anatomy};

/// Radius of a percutaneous lead, mm.
pub const LEAD_RADIUS: f64 = 0.65;
/// Length of a percutaneous contact, mm.
pub const CONTACT_LENGTH: f64 = 3.0;

/// The kind of lead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LeadKind {
    /// A cylinder with `contacts` (8 or 16) contacts every `pitch` mm, centre to centre.
    Percutaneous {
        /// Contacts on the lead.
        contacts: usize,
        /// Centre-to-centre spacing, mm.
        pitch: f64,
    },
    /// A flat paddle: `columns` × `rows` contacts of 4 × 1.5 mm (length × width).
    Paddle {
        /// Contacts across.
        columns: usize,
        /// Contacts along.
        rows: usize,
    },
}

impl LeadKind {
    /// A 1 × 8 lead, 3 mm contacts 4 mm apart (7 mm centre to centre).
    pub const PERCUTANEOUS_8: LeadKind = LeadKind::Percutaneous {
        contacts: 8,
        pitch: 7.0,
    };
    /// A 1 × 16 lead, 3 mm contacts 1 mm apart (4 mm centre to centre).
    pub const PERCUTANEOUS_16: LeadKind = LeadKind::Percutaneous {
        contacts: 16,
        pitch: 4.0,
    };
    /// A 2 × 8 paddle.
    pub const PADDLE_16: LeadKind = LeadKind::Paddle {
        columns: 2,
        rows: 8,
    };

    /// Contacts on the lead.
    pub fn contacts(self) -> usize {
        match self {
            LeadKind::Percutaneous { contacts, .. } => contacts,
            LeadKind::Paddle { columns, rows } => columns * rows,
        }
    }
}

/// A lead placed on the spine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lead {
    /// What lead.
    pub kind: LeadKind,
    /// The level (index into `anatomy::LEVELS`) where the lead's middle lies.
    pub level: usize,
    /// Shift along the cord from that level's centre, mm (rostral +).
    pub shift: f64,
    /// Offset from the midline, mm (patient's right +).
    pub offset: f64,
    /// Angle from the cord's axis in the coronal plane, degrees.
    pub angle: f64,
}

/// A contact's shape in space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContactShape {
    /// Centre, mm.
    pub center: [f64; 3],
    /// Unit vector along the contact (the lead's axis).
    pub axis: [f64; 3],
    /// Half length along the axis, mm.
    pub half_length: f64,
    /// Cylinder radius (percutaneous) or half width (paddle), mm.
    pub radius: f64,
    /// Paddle contacts are flat plates facing the cord.
    pub flat: bool,
}

impl ContactShape {
    /// Whether `p` lies in the contact (the metal, as a volume source).
    pub fn contains(&self, p: [f64; 3]) -> bool {
        let d = [
            p[0] - self.center[0],
            p[1] - self.center[1],
            p[2] - self.center[2],
        ];
        let along = d[0] * self.axis[0] + d[2] * self.axis[2];
        if along.abs() > self.half_length {
            return false;
        }
        let across = [
            d[0] - along * self.axis[0],
            d[1],
            d[2] - along * self.axis[2],
        ];
        if self.flat {
            let lateral = (across[0] * across[0] + across[2] * across[2]).sqrt();
            lateral <= self.radius && across[1].abs() <= 0.25
        } else {
            (across[0] * across[0] + across[1] * across[1] + across[2] * across[2]).sqrt()
                <= self.radius
        }
    }
}

/// A percutaneous contact along the cord, centred at (`x`, `z`) on the dorsal dura.
pub fn percutaneous_contact(anatomy: &Anatomy, x: f64, z: f64) -> ContactShape {
    ContactShape {
        center: [
            x,
            anatomy.dura_surface(x, z).unwrap_or(0.0) + LEAD_RADIUS,
            z,
        ],
        axis: [0.0, 0.0, 1.0],
        half_length: CONTACT_LENGTH / 2.0,
        radius: LEAD_RADIUS,
        flat: false,
    }
}

impl Lead {
    /// A lead of `kind` with its middle at the centre of `level`, on the midline.
    pub fn at(kind: LeadKind, level: usize) -> Lead {
        Lead {
            kind,
            level,
            shift: 0.0,
            offset: 0.0,
            angle: 0.0,
        }
    }

    /// The middle of the lead along the cord, mm.
    pub fn middle_z(&self) -> f64 {
        level_z(self.level) + self.shift
    }

    /// Half the lead's active length along the cord, mm.
    pub fn half_span(&self) -> f64 {
        match self.kind {
            LeadKind::Percutaneous { contacts, pitch } => {
                (contacts as f64 - 1.0) * pitch / 2.0 + CONTACT_LENGTH / 2.0
            }
            LeadKind::Paddle { rows, .. } => rows as f64 * 2.5,
        }
    }

    /// Each contact's shape; contact 0 (E1) is the most rostral.
    pub fn contacts(&self, anatomy: &Anatomy) -> Vec<ContactShape> {
        let (s, c) = self.angle.to_radians().sin_cos();
        let axis = [s, 0.0, c];
        let place = |along: f64, across: f64| {
            let x = self.offset + along * s + across * c;
            let z = self.middle_z() + along * c - across * s;
            (x, z)
        };
        match self.kind {
            LeadKind::Percutaneous { contacts, pitch } => (0..contacts)
                .map(|i| {
                    let along = ((contacts as f64 - 1.0) / 2.0 - i as f64) * pitch;
                    let (x, z) = place(along, 0.0);
                    ContactShape {
                        axis,
                        ..percutaneous_contact(anatomy, x, z)
                    }
                })
                .collect(),
            LeadKind::Paddle { columns, rows } => (0..rows)
                .flat_map(|r| (0..columns).map(move |col| (r, col)))
                .map(|(r, col)| {
                    let along = ((rows as f64 - 1.0) / 2.0 - r as f64) * 5.0;
                    let across = (col as f64 - (columns as f64 - 1.0) / 2.0) * 3.0;
                    let (x, z) = place(along, across);
                    let y = anatomy.dura_surface(x, z).unwrap_or(0.0) + 0.3;
                    ContactShape {
                        center: [x, y, z],
                        axis,
                        half_length: 2.0,
                        radius: 0.75,
                        flat: true,
                    }
                })
                .collect(),
        }
    }

    /// Whether `p` is in a paddle's insulating body (a 1 mm plate behind the contacts).
    pub fn insulates(&self, anatomy: &Anatomy, p: [f64; 3]) -> bool {
        let LeadKind::Paddle { columns, .. } = self.kind else {
            return false;
        };
        let half_width = columns as f64 * 1.5 + 1.0;
        let (s, c) = self.angle.to_radians().sin_cos();
        let (dx, dz) = (p[0] - self.offset, p[2] - self.middle_z());
        let (along, across) = (dx * s + dz * c, dx * c - dz * s);
        let Some(dura) = anatomy.dura_surface(p[0], p[2]) else {
            return false;
        };
        along.abs() <= self.half_span() + 1.0
            && across.abs() <= half_width
            && p[1] > dura + 0.55
            && p[1] <= dura + 1.55
    }
}

/// The contacts of `leads`, the first lead's then the next one's (as a stimulator numbers
/// them: E1… on the first lead, on from there on the second).
pub fn contacts_of(leads: &[Lead], anatomy: &Anatomy) -> Vec<ContactShape> {
    leads.iter().flat_map(|l| l.contacts(anatomy)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paddle_faces_the_cord_with_its_insulating_body_behind_the_contacts() {
        let anatomy = Anatomy::default();
        let paddle = Lead::at(LeadKind::PADDLE_16, 2);
        let contacts = paddle.contacts(&anatomy);
        assert_eq!(contacts.len(), 16);
        let [x, y, z] = contacts[6].center;
        assert!(contacts[6].flat && contacts[6].contains([x, y, z]));
        assert!(
            paddle.insulates(&anatomy, [x, y + 0.8, z]),
            "the body is just behind the contact"
        );
        assert!(
            !paddle.insulates(&anatomy, [x, y - 0.5, z]),
            "nothing insulates towards the cord"
        );
        assert!(!Lead::at(LeadKind::PERCUTANEOUS_8, 2).insulates(&anatomy, [x, y + 0.8, z]));
    }

    #[test]
    fn a_midline_1x8_lies_on_the_dura_with_7_mm_pitch() {
        let anatomy = Anatomy::default();
        let lead = Lead::at(LeadKind::PERCUTANEOUS_8, 2);
        let contacts = lead.contacts(&anatomy);
        assert_eq!(contacts.len(), 8);
        assert!(
            (contacts[0].center[2] - contacts[1].center[2] - 7.0).abs() < 1e-9,
            "E1 is rostral of E2 by 7 mm"
        );
        // On the dorsal dura at T8: cord half depth 3 + CSF 5.2 + dura 0.3 + radius 0.65.
        assert!(
            (contacts[3].center[1] - (3.0 + 5.2 + 0.3 + 0.65)).abs() < 0.05,
            "{:?}",
            contacts[3].center
        );
        assert!(contacts[3].contains(contacts[3].center));
        assert!(!contacts[3].contains([0.0, contacts[3].center[1], contacts[3].center[2] + 2.0]));
    }
}
