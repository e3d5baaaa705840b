//! The ids of the texts a classification shows, so a console can translate them: a catalog
//! row's summary and remediation are `<vendor>.<code>.summary` and `….remediation`
//! (`veeam.4002.summary`). A code a vendor documents in several rows gets the row's status
//! (`huawei.CSBS.9009@403`), and the row's place among rows with the same status too
//! (`huawei.CSBS.5001@500.2`). Ids are made here only; the wire sends a classification's row
//! by its index in the vendor's catalog, and the catalog's rows with their ids.

use crate::model::{Entry, Vendor};
use alloc::string::String;

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
