//! Phone numbers in E.164 (`+` country code, national number; digits only), as ad and CRM platforms document
//! for hashed matching: typed numbers get the notice's default country when they carry no international
//! prefix.

use crate::prelude::*;

/// ITU country calling codes by ISO 3166-1 alpha-2 code, as `CC` followed by digits, in one string (a table
/// of pairs would cost a pointer per entry in every page).
const CALLING_CODES: &str = "AC247AD376AE971AF93AG1AI1AL355AM374AO244AR54AS1AT43AU61AW297AX358AZ994\
BA387BB1BD880BE32BF226BG359BH973BI257BJ229BL590BM1BN673BO591BQ599BR55BS1BT975BW267BY375BZ501\
CA1CC61CD243CF236CG242CH41CI225CK682CL56CM237CN86CO57CR506CU53CV238CW599CX61CY357CZ420\
DE49DJ253DK45DM1DO1DZ213EC593EE372EG20EH212ER291ES34ET251FI358FJ679FK500FM691FO298FR33\
GA241GB44GD1GE995GF594GG44GH233GI350GL299GM220GN224GP590GQ240GR30GT502GU1GW245GY592\
HK852HN504HR385HT509HU36ID62IE353IL972IM44IN91IO246IQ964IR98IS354IT39JE44JM1JO962JP81\
KE254KG996KH855KI686KM269KN1KP850KR82KW965KY1KZ7LA856LB961LC1LI423LK94LR231LS266LT370LU352LV371LY218\
MA212MC377MD373ME382MF590MG261MH692MK389ML223MM95MN976MO853MP1MQ596MR222MS1MT356MU230MV960MW265MX52MY60MZ258\
NA264NC687NE227NF672NG234NI505NL31NO47NP977NR674NU683NZ64OM968\
PA507PE51PF689PG675PH63PK92PL48PM508PR1PS970PT351PW680PY595QA974RE262RO40RS381RU7RW250\
SA966SB677SC248SD249SE46SG65SH290SI386SJ47SK421SL232SM378SN221SO252SR597SS211ST239SV503SX1SY963SZ268\
TA290TC1TD235TG228TH66TJ992TK690TL670TM993TN216TO676TR90TT1TV688TW886TZ255UA380UG256US1UY598UZ998\
VA39VC1VE58VG1VI1VN84VU678WF681WS685XK383YE967YT262ZA27ZM260ZW263";

/// The calling code of `country` (ISO 3166-1 alpha-2, any case), e.g. `GB` → `44`.
pub fn calling_code(country: &str) -> Option<&'static str> {
    let country = country.as_bytes();
    if country.len() != 2 || !country.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let bytes = CALLING_CODES.as_bytes();
    let mut at = 0;
    while at + 2 <= bytes.len() {
        let digits = bytes[at + 2..].iter().take_while(|b| b.is_ascii_digit()).count();
        if bytes[at..at + 2].eq_ignore_ascii_case(country) {
            return CALLING_CODES.get(at + 2..at + 2 + digits);
        }
        at += 2 + digits;
    }
    None
}

/// A digit or one of the separators people type in phone numbers. A `match`: `" -().".contains(c)` brings the
/// general substring search (for characters beyond ASCII) into the wasm.
pub(crate) fn is_phone_char(c: char) -> bool {
    matches!(c, '0'..='9' | ' ' | '-' | '(' | ')' | '.')
}

/// `value` in E.164, e.g. `+447946000000`. A number starting `+` or `00` carries its country (a `(0)` in it is
/// the trunk prefix, dialled only within the country, and goes); any other is
/// national and gets `default_code`, less its trunk prefix (`0`, except Italy's numbers, which keep it; `1`
/// in North America and `8` in Russia and Kazakhstan, on a number one digit too long). `None` when it has
/// letters or other symbols, or is too short or too long for E.164.
pub fn e164(value: &str, default_code: &str) -> Option<String> {
    let value = value.trim();
    let (international, rest) = match value.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if !rest.chars().all(is_phone_char) {
        return None;
    }
    // A trunk prefix in parentheses, as in `+44 (0)20 7946 0958`, is dialled only within the country.
    let international_typed = international || rest.starts_with("00");
    let mut digits = String::with_capacity(rest.len());
    let mut bytes = rest.as_bytes();
    while let Some((&first, after)) = bytes.split_first() {
        if international_typed && bytes.starts_with(b"(0)") {
            bytes = &bytes[3..];
            continue;
        }
        if first.is_ascii_digit() {
            digits.push(char::from(first));
        }
        bytes = after;
    }
    let number = if international {
        digits
    } else if let Some(international) = digits.strip_prefix("00") {
        international.to_owned()
    } else if default_code.is_empty() {
        // A national number without a country to give it: never a guess (SDKs that hash `2079460958` as it
        // is match nobody).
        return None;
    } else {
        let national = match default_code {
            "39" | "378" => digits.as_str(),
            "1" if digits.len() == 11 => digits.strip_prefix('1').unwrap_or(&digits),
            "7" if digits.len() == 11 => digits.strip_prefix('8').unwrap_or(&digits),
            _ => digits.strip_prefix('0').unwrap_or(&digits),
        };
        concat(&[default_code, national])
    };
    let fits = (8..=15).contains(&number.len()) && !number.starts_with('0');
    fits.then(|| concat(&["+", &number]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_calling_codes() {
        assert_eq!(calling_code("GB"), Some("44"));
        assert_eq!(calling_code("de"), Some("49"));
        assert_eq!(calling_code("US"), Some("1"));
        assert_eq!(calling_code("ZW"), Some("263"));
        assert_eq!(calling_code("AC"), Some("247"));
        assert_eq!(calling_code("XX"), None);
        assert_eq!(calling_code("G"), None);
        assert_eq!(calling_code("4"), None);
        assert_eq!(calling_code("47"), None);
    }

    #[test]
    fn every_entry_is_two_letters_then_one_to_three_digits_in_order() {
        let mut countries = Vec::new();
        let mut rest = CALLING_CODES;
        while !rest.is_empty() {
            let (country, after) = rest.split_at(2);
            assert!(country.bytes().all(|b| b.is_ascii_uppercase()), "{country}");
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            assert!((1..=3).contains(&digits), "{country}");
            countries.push(country);
            rest = &after[digits..];
        }
        let mut sorted = countries.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(countries, sorted);
        assert!(countries.len() > 240);
    }

    #[test]
    fn national_and_international_numbers() {
        let cases = [
            ("+1 (800) 555-0100", "1", Some("+18005550100")),
            ("(800) 555-0100", "1", Some("+18005550100")),
            ("1 800 555 0100", "1", Some("+18005550100")),
            ("020 7946 0000", "44", Some("+442079460000")),
            ("+44 20 7946 0000", "49", Some("+442079460000")),
            ("0044 20 7946 0000", "49", Some("+442079460000")),
            ("030 901820", "49", Some("+4930901820")),
            ("06 1234 5678", "39", Some("+390612345678")),
            ("8 912 345 67 89", "7", Some("+79123456789")),
            ("+1 800 CALL NOW", "1", None),
            ("12", "44", None),
            ("+1234567890123456", "44", None),
        ];
        for (typed, code, expected) in cases {
            assert_eq!(e164(typed, code).as_deref(), expected, "{typed}");
        }
    }
}
