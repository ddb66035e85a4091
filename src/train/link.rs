//! What a link to the Train bench restores: the bench ([`Bench::to_query`]), the scenario
//! being worked and the field section shown, so a copied address opens the same screen.
//! A scenario whose story fixes the leads gets them where the story puts them, whatever
//! the link says: a link cannot move a locked lead.

use spine_field::slice::Plane;

use super::bench::Bench;
use super::scenarios::{by_id, SCENARIOS};

/// The sections the field view offers: (plane, its name in a link and in the page's choice,
/// its name in words).
pub const SECTIONS: [(Plane, &str, &str); 3] = [
    (Plane::Axial, "axial", "Axial (cross-section)"),
    (Plane::Sagittal, "sagittal", "Sagittal (side view)"),
    (Plane::Coronal, "coronal", "Coronal (from behind)"),
];

/// A section's name in a link.
pub fn section_code(plane: Plane) -> &'static str {
    SECTIONS
        .iter()
        .find(|s| s.0 == plane)
        .map_or("axial", |s| s.1)
}

/// The section named `code`; an unknown name is the axial one.
pub fn section_named(code: &str) -> Plane {
    SECTIONS
        .iter()
        .find(|s| s.1 == code)
        .map_or(Plane::Axial, |s| s.0)
}

/// The Train screen a link restores.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The leads and the program.
    pub bench: Bench,
    /// The scenario being worked (an index into `SCENARIOS`), or free practice.
    pub scenario: Option<usize>,
    /// The field section shown.
    pub plane: Plane,
}

impl Link {
    /// The link's query string.
    pub fn to_query(&self) -> String {
        let scenario = self
            .scenario
            .map(|s| format!("&scenario={}", SCENARIOS[s].id))
            .unwrap_or_default();
        format!(
            "{}{scenario}&section={}",
            self.bench.to_query(),
            section_code(self.plane)
        )
    }

    /// The screen `query` names; anything missing or unknown keeps the default (free
    /// practice, the axial section), as [`Bench::from_query`] does.
    pub fn from_query(query: &str) -> Link {
        let value = |key: &str| {
            query
                .trim_start_matches('?')
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .rfind(|(k, _)| *k == key)
                .map(|(_, v)| v)
        };
        let scenario = value("scenario").and_then(by_id);
        // A link that names a scenario and no bench (nothing the bench reads from it)
        // opens the scenario as it starts.
        let named = Bench::from_query(query);
        let mut bench = match scenario {
            Some(s) if named == Bench::default() => (SCENARIOS[s].start)(),
            _ => named,
        };
        if let Some(s) = scenario.filter(|&s| SCENARIOS[s].locked) {
            bench.set_placement((SCENARIOS[s].start)().placement);
        }
        Link {
            bench,
            scenario,
            plane: value("section").map_or(Plane::Axial, section_named),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_link_restores_the_bench_the_scenario_and_the_section_and_a_scenario_alone_its_start() {
        let migrated = by_id("migrated").unwrap();
        let mut bench = (SCENARIOS[migrated].start)();
        bench.cycle(6);
        bench.amplitude_ua = 1_700;
        let link = Link {
            bench,
            scenario: Some(migrated),
            plane: Plane::Sagittal,
        };
        let query = link.to_query();
        assert!(query.contains("scenario=migrated"), "{query}");
        assert_eq!(Link::from_query(&query), link);
        let free = Link {
            scenario: None,
            plane: Plane::Coronal,
            ..link
        };
        assert_eq!(Link::from_query(&free.to_query()), free);
    }

    #[wasm_bindgen_test]
    fn a_link_cannot_move_a_lead_the_story_fixes() {
        let migrated = by_id("migrated").unwrap();
        let story = (SCENARIOS[migrated].start)().placement;
        let mut moved = (SCENARIOS[migrated].start)();
        moved.set_placement(story.moved(0, 6, 0, 5));
        let query = Link {
            bench: moved,
            scenario: Some(migrated),
            plane: Plane::Axial,
        }
        .to_query();
        assert_eq!(Link::from_query(&query).bench.placement, story);
        // In free practice the same lead goes where the link says.
        let free = query.replace("scenario=migrated", "scenario=none");
        assert_eq!(
            Link::from_query(&free).bench.placement,
            story.moved(0, 6, 0, 5)
        );
    }

    #[wasm_bindgen_test]
    fn an_old_or_damaged_link_opens_free_practice_on_the_axial_section() {
        let old = "lead=8&level=4&offset=0&contacts=0cc00000000000000&amp=2000";
        let opened = Link::from_query(old);
        assert_eq!(opened.bench, Bench::from_query(old));
        assert_eq!((opened.scenario, opened.plane), (None, Plane::Axial));
        let damaged = Link::from_query("scenario=&section=oblique&scenario");
        assert_eq!((damaged.scenario, damaged.plane), (None, Plane::Axial));
        // A link naming only a scenario opens its starting bench.
        let charge = by_id("charge").unwrap();
        let opened = Link::from_query("?scenario=charge&section=sagittal&utm_source=mail");
        assert_eq!(opened.scenario, Some(charge));
        assert_eq!(opened.bench, (SCENARIOS[charge].start)());
        for (plane, code, _) in SECTIONS {
            assert_eq!(section_named(section_code(plane)), plane, "{code}");
        }
    }
}
