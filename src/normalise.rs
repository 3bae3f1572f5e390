//! Normalising values before they are hashed, so that the same person hashes the same everywhere (as ad and
//! CRM platforms document for enhanced matching).

/// Trim, lowercase; for gmail.com and googlemail.com, drop the dots of the local part.
pub fn email(value: &str) -> String {
    let lower = value.trim().to_lowercase();
    match lower.rsplit_once('@') {
        Some((local, domain)) if domain == "gmail.com" || domain == "googlemail.com" => {
            format!("{}@{domain}", local.replace('.', ""))
        }
        _ => lower,
    }
}
