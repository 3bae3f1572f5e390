//! The form's own words (legends, buttons, validation messages), built in for a few languages. A notice may
//! replace any of them, and must give all of them for a language that is not built in.

/// One piece of interface text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ui {
    /// Legend of the fields group.
    YourDetails,
    /// Legend of the purposes group.
    HowWeUseYourData,
    /// Before a purpose's legal basis.
    LegalBasis,
    /// Before a purpose's retention.
    KeptUntil,
    /// Before a purpose's third parties.
    SharedWith,
    /// The policy link.
    PrivacyPolicy,
    /// Grants every consent purpose, then sends.
    AcceptAll,
    /// Refuses every consent purpose, then sends.
    RejectAll,
    /// Sends with the choices as they are.
    SendWithMyChoices,
    /// After a required field's label.
    Required,
    /// The empty choice of a select.
    Choose,
    /// A required field is empty.
    ErrorRequired,
    /// An e-mail address is malformed.
    ErrorEmail,
    /// A phone number is malformed.
    ErrorTel,
    /// A date is malformed.
    ErrorDate,
    /// A postcode is malformed.
    ErrorPostcode,
    /// A select holds a value it does not offer.
    ErrorOption,
    /// Announced when a submission is refused for errors.
    ErrorSummary,
    /// Beside a purpose that starts off because the browser sent Global Privacy Control.
    GpcNote,
    /// Above the form when the notice changed since the person last chose.
    ReconsentNote,
    /// The legal basis `consent`.
    BasisConsent,
    /// The legal basis `contract`.
    BasisContract,
    /// The legal basis `legal-obligation`.
    BasisLegalObligation,
    /// The legal basis `vital-interest`.
    BasisVitalInterest,
    /// The legal basis `public-task`.
    BasisPublicTask,
    /// The legal basis `legitimate-interest`.
    BasisLegitimateInterest,
    /// Heading of the receipt shown after sending.
    YourReceipt,
    /// Before the purposes consented to.
    Agreed,
    /// Before the purposes refused.
    Refused,
    /// Before the purposes on another legal basis.
    OtherBasis,
    /// Before the controller's name.
    ResponsibleForYourData,
    /// Before the receipt id.
    Receipt,
    /// Before the date of issue.
    Issued,
    /// How to withdraw, followed by the controller's e-mail.
    HowToWithdraw,
    /// On the button that withdraws one purpose.
    Withdraw,
    /// The link to the receipt file.
    Download,
    /// While the details go to the site's endpoint.
    Sending,
    /// When the endpoint took them.
    Sent,
    /// When they wait on this device for the connection (or the endpoint) to come back.
    Queued,
    /// When the endpoint refused them.
    SendFailed,
}

impl Ui {
    /// Every key with its name in a notice's `texts`.
    pub const ALL: [(Self, &'static str); 40] = [
        (Self::YourDetails, "yourDetails"),
        (Self::HowWeUseYourData, "howWeUseYourData"),
        (Self::LegalBasis, "legalBasis"),
        (Self::KeptUntil, "keptUntil"),
        (Self::SharedWith, "sharedWith"),
        (Self::PrivacyPolicy, "privacyPolicy"),
        (Self::AcceptAll, "acceptAll"),
        (Self::RejectAll, "rejectAll"),
        (Self::SendWithMyChoices, "sendWithMyChoices"),
        (Self::Required, "required"),
        (Self::Choose, "choose"),
        (Self::ErrorRequired, "errorRequired"),
        (Self::ErrorEmail, "errorEmail"),
        (Self::ErrorTel, "errorTel"),
        (Self::ErrorDate, "errorDate"),
        (Self::ErrorPostcode, "errorPostcode"),
        (Self::ErrorOption, "errorOption"),
        (Self::ErrorSummary, "errorSummary"),
        (Self::GpcNote, "gpcNote"),
        (Self::ReconsentNote, "reconsentNote"),
        (Self::BasisConsent, "basisConsent"),
        (Self::BasisContract, "basisContract"),
        (Self::BasisLegalObligation, "basisLegalObligation"),
        (Self::BasisVitalInterest, "basisVitalInterest"),
        (Self::BasisPublicTask, "basisPublicTask"),
        (Self::BasisLegitimateInterest, "basisLegitimateInterest"),
        (Self::YourReceipt, "yourReceipt"),
        (Self::Agreed, "agreed"),
        (Self::Refused, "refused"),
        (Self::OtherBasis, "otherBasis"),
        (Self::ResponsibleForYourData, "responsibleForYourData"),
        (Self::Receipt, "receipt"),
        (Self::Issued, "issued"),
        (Self::HowToWithdraw, "howToWithdraw"),
        (Self::Withdraw, "withdraw"),
        (Self::Download, "download"),
        (Self::Sending, "sending"),
        (Self::Sent, "sent"),
        (Self::Queued, "queued"),
        (Self::SendFailed, "sendFailed"),
    ];

    /// The key named `name` in a notice's `texts`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(ui, _)| *ui)
    }

    fn index(self) -> usize {
        self as usize
    }
}

type Table = [&'static str; 40];

const EN: Table = [
    "Your details",
    "How we use your data",
    "Legal basis",
    "Kept until",
    "Shared with",
    "Privacy policy",
    "Accept all",
    "Reject all",
    "Send with my choices",
    "required",
    "Choose…",
    "Please fill in this field.",
    "Please enter an e-mail address such as name@example.com.",
    "Please enter a phone number using digits, spaces, +, - or brackets.",
    "Please enter a date as year-month-day.",
    "Please enter a postcode using letters, digits, spaces or hyphens.",
    "Please choose one of the options.",
    "Some fields need your attention. Nothing was sent.",
    "Your browser asks sites not to sell or share your data (Global Privacy Control), so this starts switched off.",
    "Our notice has changed since you last chose. Please choose again.",
    "your consent",
    "a contract with you",
    "a legal obligation",
    "vital interests",
    "a task in the public interest",
    "our legitimate interests",
    "Your consent receipt",
    "You agreed to",
    "You refused",
    "Without consent, on another legal basis",
    "Responsible for your data",
    "Receipt",
    "issued",
    "You can withdraw at any time with the buttons below, or by writing to",
    "Withdraw",
    "Download this receipt (.jws)",
    "Sending your details…",
    "Your details were sent.",
    "No connection right now: your details are kept on this device and will be sent automatically.",
    "The site could not accept your details, so they were not sent.",
];

const DE: Table = [
    "Ihre Angaben",
    "Wie wir Ihre Daten verwenden",
    "Rechtsgrundlage",
    "Gespeichert bis",
    "Weitergegeben an",
    "Datenschutzerklärung",
    "Alle akzeptieren",
    "Alle ablehnen",
    "Mit meiner Auswahl senden",
    "Pflichtfeld",
    "Bitte wählen…",
    "Bitte füllen Sie dieses Feld aus.",
    "Bitte geben Sie eine E-Mail-Adresse wie name@example.com ein.",
    "Bitte geben Sie eine Telefonnummer aus Ziffern, Leerzeichen, +, - oder Klammern ein.",
    "Bitte geben Sie ein Datum als Jahr-Monat-Tag ein.",
    "Bitte geben Sie eine Postleitzahl aus Buchstaben, Ziffern, Leerzeichen oder Bindestrichen ein.",
    "Bitte wählen Sie eine der Optionen.",
    "Einige Felder brauchen Ihre Aufmerksamkeit. Es wurde nichts gesendet.",
    "Ihr Browser bittet Websites, Ihre Daten nicht zu verkaufen oder weiterzugeben (Global Privacy Control); deshalb ist dies zunächst ausgeschaltet.",
    "Unser Hinweis hat sich seit Ihrer letzten Auswahl geändert. Bitte wählen Sie erneut.",
    "Ihre Einwilligung",
    "ein Vertrag mit Ihnen",
    "eine rechtliche Verpflichtung",
    "lebenswichtige Interessen",
    "eine Aufgabe im öffentlichen Interesse",
    "unsere berechtigten Interessen",
    "Ihre Einwilligungsquittung",
    "Sie haben eingewilligt in",
    "Sie haben abgelehnt",
    "Ohne Einwilligung, auf anderer Rechtsgrundlage",
    "Verantwortlich für Ihre Daten",
    "Quittung",
    "ausgestellt",
    "Sie können jederzeit mit den Schaltflächen unten widerrufen oder schreiben an",
    "Widerrufen",
    "Diese Quittung herunterladen (.jws)",
    "Ihre Angaben werden gesendet…",
    "Ihre Angaben wurden gesendet.",
    "Gerade keine Verbindung: Ihre Angaben bleiben auf diesem Gerät und werden automatisch gesendet.",
    "Die Website konnte Ihre Angaben nicht annehmen; sie wurden nicht gesendet.",
];

const AR: Table = [
    "بياناتك",
    "كيف نستخدم بياناتك",
    "الأساس القانوني",
    "تُحفظ حتى",
    "تُشارك مع",
    "سياسة الخصوصية",
    "قبول الكل",
    "رفض الكل",
    "إرسال مع اختياراتي",
    "مطلوب",
    "اختر…",
    "يرجى ملء هذا الحقل.",
    "يرجى إدخال عنوان بريد إلكتروني مثل name@example.com.",
    "يرجى إدخال رقم هاتف باستخدام الأرقام أو المسافات أو + أو - أو الأقواس.",
    "يرجى إدخال التاريخ بصيغة سنة-شهر-يوم.",
    "يرجى إدخال رمز بريدي باستخدام الحروف أو الأرقام أو المسافات أو الشرطات.",
    "يرجى اختيار أحد الخيارات.",
    "بعض الحقول تحتاج إلى انتباهك. لم يُرسل شيء.",
    "يطلب متصفحك من المواقع عدم بيع بياناتك أو مشاركتها (Global Privacy Control)، لذلك يبدأ هذا الخيار مُطفأً.",
    "تغيّر إشعارنا منذ آخر اختيار لك. يرجى الاختيار مرة أخرى.",
    "موافقتك",
    "عقد معك",
    "التزام قانوني",
    "مصالح حيوية",
    "مهمة للمصلحة العامة",
    "مصالحنا المشروعة",
    "إيصال موافقتك",
    "وافقت على",
    "رفضت",
    "بدون موافقة، على أساس قانوني آخر",
    "المسؤول عن بياناتك",
    "الإيصال",
    "صدر في",
    "يمكنك سحب موافقتك في أي وقت بالأزرار أدناه أو بالكتابة إلى",
    "سحب الموافقة",
    "تنزيل هذا الإيصال (.jws)",
    "جارٍ إرسال بياناتك…",
    "تم إرسال بياناتك.",
    "لا يوجد اتصال الآن: تُحفظ بياناتك على هذا الجهاز وستُرسل تلقائيًا.",
    "تعذّر على الموقع قبول بياناتك، لذلك لم تُرسل.",
];

const FR: Table = [
    "Vos coordonnées",
    "Comment nous utilisons vos données",
    "Base légale",
    "Conservées jusqu’à",
    "Partagées avec",
    "Politique de confidentialité",
    "Tout accepter",
    "Tout refuser",
    "Envoyer avec mes choix",
    "obligatoire",
    "Choisir…",
    "Veuillez remplir ce champ.",
    "Veuillez saisir une adresse e-mail comme nom@example.com.",
    "Veuillez saisir un numéro de téléphone avec des chiffres, espaces, +, - ou parenthèses.",
    "Veuillez saisir une date au format année-mois-jour.",
    "Veuillez saisir un code postal avec des lettres, chiffres, espaces ou tirets.",
    "Veuillez choisir l’une des options.",
    "Certains champs demandent votre attention. Rien n’a été envoyé.",
    "Votre navigateur demande aux sites de ne pas vendre ni partager vos données (Global Privacy Control) ; cette option est donc désactivée au départ.",
    "Notre notice a changé depuis votre dernier choix. Veuillez choisir à nouveau.",
    "votre consentement",
    "un contrat avec vous",
    "une obligation légale",
    "des intérêts vitaux",
    "une mission d’intérêt public",
    "nos intérêts légitimes",
    "Votre reçu de consentement",
    "Vous avez accepté",
    "Vous avez refusé",
    "Sans consentement, sur une autre base légale",
    "Responsable de vos données",
    "Reçu",
    "émis le",
    "Vous pouvez retirer votre consentement à tout moment avec les boutons ci-dessous ou en écrivant à",
    "Retirer",
    "Télécharger ce reçu (.jws)",
    "Envoi de vos coordonnées…",
    "Vos coordonnées ont été envoyées.",
    "Pas de connexion pour le moment : vos coordonnées restent sur cet appareil et seront envoyées automatiquement.",
    "Le site n’a pas pu accepter vos coordonnées ; elles n’ont pas été envoyées.",
];

const ES: Table = [
    "Sus datos",
    "Cómo usamos sus datos",
    "Base jurídica",
    "Se conservan hasta",
    "Se comparten con",
    "Política de privacidad",
    "Aceptar todo",
    "Rechazar todo",
    "Enviar con mis opciones",
    "obligatorio",
    "Elija…",
    "Rellene este campo.",
    "Introduzca una dirección de correo como nombre@example.com.",
    "Introduzca un teléfono con dígitos, espacios, +, - o paréntesis.",
    "Introduzca una fecha como año-mes-día.",
    "Introduzca un código postal con letras, dígitos, espacios o guiones.",
    "Elija una de las opciones.",
    "Algunos campos necesitan su atención. No se ha enviado nada.",
    "Su navegador pide a los sitios que no vendan ni compartan sus datos (Global Privacy Control), por eso esta opción empieza desactivada.",
    "Nuestro aviso ha cambiado desde su última elección. Vuelva a elegir, por favor.",
    "su consentimiento",
    "un contrato con usted",
    "una obligación legal",
    "intereses vitales",
    "una misión de interés público",
    "nuestros intereses legítimos",
    "Su recibo de consentimiento",
    "Usted aceptó",
    "Usted rechazó",
    "Sin consentimiento, con otra base jurídica",
    "Responsable de sus datos",
    "Recibo",
    "emitido el",
    "Puede retirar su consentimiento en cualquier momento con los botones de abajo o escribiendo a",
    "Retirar",
    "Descargar este recibo (.jws)",
    "Enviando sus datos…",
    "Sus datos se han enviado.",
    "Sin conexión por ahora: sus datos se guardan en este dispositivo y se enviarán automáticamente.",
    "El sitio no pudo aceptar sus datos, así que no se han enviado.",
];

const BUILT_IN: [(&str, &Table); 5] = [("en", &EN), ("de", &DE), ("ar", &AR), ("fr", &FR), ("es", &ES)];

/// Languages written right to left (primary subtags).
const RIGHT_TO_LEFT: [&str; 8] = ["ar", "fa", "he", "ur", "ps", "sd", "yi", "dv"];

/// The built-in text for `language` (or its primary subtag), if that language is built in.
pub fn built_in(language: &str, ui: Ui) -> Option<&'static str> {
    let primary = primary_subtag(language);
    BUILT_IN
        .iter()
        .find(|(tag, _)| tag.eq_ignore_ascii_case(primary))
        .map(|(_, table)| table[ui.index()])
}

/// Whether `language` is written right to left.
pub fn is_right_to_left(language: &str) -> bool {
    let primary = primary_subtag(language);
    RIGHT_TO_LEFT.iter().any(|tag| tag.eq_ignore_ascii_case(primary))
}

/// The primary language subtag: `de` of `de-CH`.
pub(crate) fn primary_subtag(language: &str) -> &str {
    language.split('-').next().unwrap_or(language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_sits_at_its_own_index() {
        for (i, (ui, _)) in Ui::ALL.iter().enumerate() {
            assert_eq!(ui.index(), i);
        }
    }

    #[test]
    fn regional_tags_use_their_language_and_unknown_ones_have_none() {
        assert_eq!(built_in("de-AT", Ui::AcceptAll), Some("Alle akzeptieren"));
        assert_eq!(built_in("pl", Ui::AcceptAll), None);
        assert!(is_right_to_left("ar-EG") && !is_right_to_left("en"));
    }
}
