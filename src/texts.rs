//! The ids of the texts a classification shows, so a console can translate them: a catalog
//! row's summary and remediation are `<vendor>.<code>.summary` and `….remediation`
//! (`veeam.4002.summary`). A code a vendor documents in several rows gets the row's status
//! (`huawei.CSBS.9009@403`), and the row's place among rows with the same status too
//! (`huawei.CSBS.5001@500.2`). Ids are made here only; the wire sends a classification's row
//! by its index in the vendor's catalog, and the catalog's rows with their ids.
//!
//! The other texts a classification can show are the engine's rules', each with a fixed id:
//! the HTTP status rules (`http.503`), the vendors' rules for codes their catalogs do not list
//! (`veeam.type.transport`), the advice for an action (`action.retry`), the failed-items
//! summary of a 2xx and the attempts that got no response (`outcome.timeout-ms`).
//! [`rule_texts`] lists them all, for `messages()`.

use crate::model::{Action, Entry, Vendor};
use alloc::string::String;
use alloc::vec::Vec;

/// Where a text a classification shows comes from, which gives its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOf {
    /// Row `n` of the vendor's catalog: its id is [`row_id`]'s.
    Row(u32),
    /// A rule of the engine: its id, without `.summary` / `.remediation`.
    Rule(&'static str),
}

/// Every rule text by its full id (`http.503.summary`), in English (ICU MessageFormat):
/// the HTTP rules', the vendors' rules', the actions' advice, the failed-items summary and
/// the no-response outcomes'. Catalog rows are not here: the catalog lists them.
pub fn rule_texts() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut add = |id: &str, suffix: &str, text: &'static str| {
        out.push((crate::cat!(id, suffix), text));
    };
    for r in crate::classify::http_rules() {
        add(r.id, ".summary", r.summary);
        add(r.id, ".remediation", r.remediation);
    }
    let failed = crate::classify::FAILED_ITEMS;
    add(failed.0, ".summary", failed.1);
    for action in Action::ALL {
        let (id, text) = crate::classify::action_advice(action);
        add(id, ".remediation", text);
    }
    for rule in crate::vendors::rules() {
        if let TextOf::Rule(id) = rule.summary_of {
            add(id, ".summary", rule.summary);
        }
    }
    for (id, text) in crate::call::OUTCOME_TEXTS {
        add(id, ".summary", text);
    }
    out
}

/// The id of row `index` of `rows`, `vendor`'s catalog (without `.summary`/`.remediation`).
pub fn row_id(vendor: Vendor, rows: &[Entry], index: usize) -> String {
    let Some(row) = rows.get(index) else {
        return String::new();
    };
    let same_code = |e: &&Entry| e.code.eq_ignore_ascii_case(row.code);
    let mut id = crate::cat!(vendor.id(), ".", row.code);
    if rows.iter().filter(same_code).count() > 1 {
        id.push('@');
        match row.status {
            Some(s) => crate::write::push_u128(&mut id, u128::from(s)),
            None => id.push_str("any"),
        }
        let same_status: alloc::vec::Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, e)| same_code(e) && e.status == row.status)
            .map(|(i, _)| i)
            .collect();
        if same_status.len() > 1 {
            let place = same_status.iter().position(|&i| i == index).unwrap_or(0);
            id.push('.');
            crate::write::push_u128(&mut id, place as u128 + 1);
        }
    }
    id
}

/// The index of `entry` in `vendor`'s catalog, when it is one of its rows.
pub fn row_index(vendor: Vendor, entry: &Entry) -> Option<u32> {
    crate::vendors::catalog(vendor)
        .iter()
        .position(|e| core::ptr::eq(e, entry))
        .map(|i| i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::catalog;

    #[test]
    fn every_rule_text_has_an_id_of_its_own() {
        let texts = rule_texts();
        let mut ids: Vec<&str> = texts.iter().map(|(id, _)| id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "ids are unique");
        assert!(texts.iter().all(|(id, text)| !text.is_empty()
            && (id.ends_with(".summary") || id.ends_with(".remediation"))));
        for id in [
            "veeam.type.transport.summary",
            "action.retry.remediation",
            "http.2xx-failed-items.summary",
            "outcome.timeout-ms.summary",
            "microsoft365.graph.accessDenied.summary",
        ] {
            assert!(texts.iter().any(|(i, _)| i == id), "{id}");
        }
    }

    #[test]
    fn every_row_has_an_id_of_its_own_and_plain_codes_keep_theirs() {
        for vendor in Vendor::ALL {
            let rows = catalog(vendor);
            let mut ids: alloc::vec::Vec<String> =
                (0..rows.len()).map(|i| row_id(vendor, rows, i)).collect();
            for (i, id) in ids.iter().enumerate() {
                assert!(id.starts_with(vendor.id()), "{id}");
                assert_eq!(row_index(vendor, &rows[i]), Some(i as u32));
            }
            ids.sort();
            let n = ids.len();
            ids.dedup();
            assert_eq!(ids.len(), n, "{vendor:?}: ids are unique");
        }
        let veeam = catalog(Vendor::Veeam);
        let at = veeam
            .iter()
            .position(|e| e.code == "4002")
            .unwrap_or_default();
        assert_eq!(row_id(Vendor::Veeam, veeam, at), "veeam.4002");
        let huawei = catalog(Vendor::Huawei);
        let ids: alloc::vec::Vec<String> = (0..huawei.len())
            .filter(|&i| huawei[i].code == "CSBS.5001")
            .map(|i| row_id(Vendor::Huawei, huawei, i))
            .collect();
        assert_eq!(ids, ["huawei.CSBS.5001@500.1", "huawei.CSBS.5001@500.2"]);
    }
}
