//! Lead models, as far as the core needs them: how many contacts, and each contact's area
//! (charge density = charge ÷ area).

/// The leads SCS Studio models.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LeadKind {
    /// Percutaneous lead, 8 contacts: 1.3 mm diameter, 3 mm long.
    #[default]
    Percutaneous8,
    /// Percutaneous lead, 16 contacts of the same size.
    Percutaneous16,
    /// Paddle (surgical) lead, 16 flat contacts of about 4 × 1.5 mm (typical; varies by maker).
    Paddle16,
}

/// Area of the generator's case when it is the anode: large (about 10 cm²), so its charge
/// density is never the limiting one.
pub const CASE_AREA_MM2_X100: u32 = 100_000;

impl LeadKind {
    /// Contacts on the lead.
    pub const fn contacts(self) -> usize {
        match self {
            LeadKind::Percutaneous8 => 8,
            LeadKind::Percutaneous16 | LeadKind::Paddle16 => 16,
        }
    }

    /// One contact's area in hundredths of mm² (= 10⁻⁴ cm²).
    ///
    /// Percutaneous: the cylinder's side, π · 1.3 mm · 3 mm = 12.25 mm² (0.1225 cm²).
    pub const fn contact_area_mm2_x100(self) -> u32 {
        match self {
            LeadKind::Percutaneous8 | LeadKind::Percutaneous16 => 1_225,
            LeadKind::Paddle16 => 600,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percutaneous_contact_area_is_the_cylinder_side() {
        let area_mm2 = core::f64::consts::PI * 1.3 * 3.0;
        let stored = LeadKind::Percutaneous8.contact_area_mm2_x100() as f64 / 100.0;
        assert!((area_mm2 - stored).abs() < 0.01, "{area_mm2} vs {stored}");
    }
}
