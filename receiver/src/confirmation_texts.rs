//! The words of the double opt-in, the message and the pages its link opens, in the language the person saw
//! the form in (the receipt's `language`): English, and the languages the component has ready translations
//! for (`texts/`: German, French, Spanish, Arabic). Any other language gets English, as the element's own
//! texts do without a translation.

/// One language's words. The message's `{controller}`, `{expires}` and `{url}` are filled in when it is sent.
#[derive(Debug)]
pub(crate) struct ConfirmationTexts {
    /// The primary language subtag.
    pub(crate) language: &'static str,
    /// Written right to left.
    pub(crate) right_to_left: bool,
    /// The message's subject.
    pub(crate) subject: &'static str,
    /// The message's text.
    pub(crate) message: &'static str,
    /// The page the link opens: its heading.
    pub(crate) offer_title: &'static str,
    /// What it asks.
    pub(crate) offer_text: &'static str,
    /// Its button.
    pub(crate) button: &'static str,
    /// Once confirmed: the heading.
    pub(crate) done_title: &'static str,
    /// Once confirmed: the text.
    pub(crate) done_text: &'static str,
    /// A link that does not confirm: the heading.
    pub(crate) not_confirmed: &'static str,
    /// The link was followed before.
    pub(crate) used: &'static str,
    /// The link expired.
    pub(crate) expired: &'static str,
    /// The database failed.
    pub(crate) storage: &'static str,
    /// Anything else.
    pub(crate) broken: &'static str,
}

impl ConfirmationTexts {
    /// The words for `language` (a BCP 47 tag: `de-CH` takes German), English where there are none.
    pub(crate) fn of(language: &str) -> &'static Self {
        let primary = language.split('-').next().unwrap_or_default();
        ALL.iter()
            .find(|texts| texts.language.eq_ignore_ascii_case(primary))
            .unwrap_or(&ALL[0])
    }

    /// The message's subject and text for `controller`, the link `url` and its expiry `expires`.
    pub(crate) fn message(&self, controller: &str, expires: &str, url: &str) -> (String, String) {
        let fill = |text: &str| {
            text.replace("{controller}", controller)
                .replace("{expires}", expires)
                .replace("{url}", url)
        };
        (fill(self.subject), fill(self.message))
    }
}

const ALL: [ConfirmationTexts; 5] = [
    ConfirmationTexts {
        language: "en",
        right_to_left: false,
        subject: "Confirm your e-mail address for {controller}",
        message: "Someone, we hope you, gave this address to {controller} and agreed to uses of it that need \
                  your confirmation.\n\nTo confirm that the address is yours, open this link by \
                  {expires}:\n\n{url}\n\nIf it was not you, ignore this message: without your confirmation \
                  nothing that needs it is done with the address.\n",
        offer_title: "Confirm your e-mail address",
        offer_text: "Press the button to confirm that this address is yours.",
        button: "Confirm my address",
        done_title: "Address confirmed",
        done_text: "Thank you: your address is confirmed, and the controller's log records it. You can close \
                    this page.",
        not_confirmed: "Your address is not confirmed",
        used: "This link confirmed your address already: there is nothing more to do.",
        expired: "This link has expired. Submit the form on the site again and a new link will be mailed to \
                  you.",
        storage: "The site cannot record your confirmation right now. Please open the link again later.",
        broken: "This link does not work. Check that you opened the whole link from the message.",
    },
    ConfirmationTexts {
        language: "de",
        right_to_left: false,
        subject: "Bestätigen Sie Ihre E-Mail-Adresse für {controller}",
        message: "Jemand, hoffentlich Sie, hat diese Adresse bei {controller} angegeben und Verwendungen \
                  zugestimmt, die Ihre Bestätigung brauchen.\n\nUm zu bestätigen, dass die Adresse Ihnen \
                  gehört, öffnen Sie bis {expires} diesen Link:\n\n{url}\n\nWenn Sie es nicht waren, \
                  ignorieren Sie diese Nachricht: Ohne Ihre Bestätigung geschieht mit der Adresse nichts, was \
                  sie voraussetzt.\n",
        offer_title: "E-Mail-Adresse bestätigen",
        offer_text: "Drücken Sie die Schaltfläche, um zu bestätigen, dass diese Adresse Ihnen gehört.",
        button: "Meine Adresse bestätigen",
        done_title: "Adresse bestätigt",
        done_text: "Danke: Ihre Adresse ist bestätigt, und das Protokoll des Verantwortlichen hält es fest. Sie \
                    können diese Seite schließen.",
        not_confirmed: "Ihre Adresse ist nicht bestätigt",
        used: "Dieser Link hat Ihre Adresse bereits bestätigt: Es ist nichts weiter zu tun.",
        expired: "Dieser Link ist abgelaufen. Senden Sie das Formular auf der Website erneut, dann erhalten Sie \
                  einen neuen Link per E-Mail.",
        storage: "Die Website kann Ihre Bestätigung gerade nicht festhalten. Bitte öffnen Sie den Link später \
                  erneut.",
        broken: "Dieser Link funktioniert nicht. Prüfen Sie, ob Sie den ganzen Link aus der Nachricht geöffnet \
                 haben.",
    },
    ConfirmationTexts {
        language: "fr",
        right_to_left: false,
        subject: "Confirmez votre adresse e-mail pour {controller}",
        message: "Quelqu’un, vous nous l’espérons, a donné cette adresse à {controller} et accepté des \
                  utilisations qui demandent votre confirmation.\n\nPour confirmer que cette adresse est la \
                  vôtre, ouvrez ce lien avant le {expires} :\n\n{url}\n\nSi ce n’était pas vous, ignorez ce \
                  message : sans votre confirmation, rien de ce qui la demande n’est fait avec cette adresse.\n",
        offer_title: "Confirmez votre adresse e-mail",
        offer_text: "Appuyez sur le bouton pour confirmer que cette adresse est la vôtre.",
        button: "Confirmer mon adresse",
        done_title: "Adresse confirmée",
        done_text: "Merci : votre adresse est confirmée, et le journal du responsable du traitement l’enregistre. \
                    Vous pouvez fermer cette page.",
        not_confirmed: "Votre adresse n’est pas confirmée",
        used: "Ce lien a déjà confirmé votre adresse : il n’y a plus rien à faire.",
        expired: "Ce lien a expiré. Envoyez à nouveau le formulaire du site et un nouveau lien vous sera envoyé \
                  par e-mail.",
        storage: "Le site ne peut pas enregistrer votre confirmation pour le moment. Veuillez rouvrir le lien \
                  plus tard.",
        broken: "Ce lien ne fonctionne pas. Vérifiez que vous avez ouvert le lien entier du message.",
    },
    ConfirmationTexts {
        language: "es",
        right_to_left: false,
        subject: "Confirme su dirección de correo electrónico para {controller}",
        message: "Alguien, esperamos que usted, ha dado esta dirección a {controller} y ha aceptado usos de ella \
                  que necesitan su confirmación.\n\nPara confirmar que la dirección es suya, abra este enlace \
                  antes del {expires}:\n\n{url}\n\nSi no fue usted, ignore este mensaje: sin su confirmación no \
                  se hace con la dirección nada que la necesite.\n",
        offer_title: "Confirme su dirección de correo electrónico",
        offer_text: "Pulse el botón para confirmar que esta dirección es suya.",
        button: "Confirmar mi dirección",
        done_title: "Dirección confirmada",
        done_text: "Gracias: su dirección está confirmada y el registro del responsable del tratamiento lo \
                    recoge. Puede cerrar esta página.",
        not_confirmed: "Su dirección no está confirmada",
        used: "Este enlace ya confirmó su dirección: no hay nada más que hacer.",
        expired: "Este enlace ha caducado. Vuelva a enviar el formulario del sitio y le enviaremos un nuevo \
                  enlace por correo.",
        storage: "El sitio no puede registrar su confirmación en este momento. Vuelva a abrir el enlace más \
                  tarde.",
        broken: "Este enlace no funciona. Compruebe que abrió el enlace completo del mensaje.",
    },
    ConfirmationTexts {
        language: "ar",
        right_to_left: true,
        subject: "أكِّد عنوان بريدك الإلكتروني لدى {controller}",
        message: "قدّم شخصٌ ما، نأمل أن تكون أنت، هذا العنوان إلى {controller} ووافق على استخدامات له تحتاج إلى \
                  تأكيدك.\n\nلتأكيد أن العنوان لك، افتح هذا الرابط قبل {expires}:\n\n{url}\n\nإن لم تكن أنت، \
                  فتجاهل هذه الرسالة: من دون تأكيدك لا يُستخدم العنوان في شيء يحتاج إليه.\n",
        offer_title: "أكِّد عنوان بريدك الإلكتروني",
        offer_text: "اضغط الزر لتأكيد أن هذا العنوان لك.",
        button: "تأكيد عنواني",
        done_title: "تم تأكيد العنوان",
        done_text: "شكرًا: تم تأكيد عنوانك، ويسجّل سجلّ المسؤول عن البيانات ذلك. يمكنك إغلاق هذه الصفحة.",
        not_confirmed: "لم يتم تأكيد عنوانك",
        used: "أكّد هذا الرابط عنوانك من قبل: لا شيء آخر عليك فعله.",
        expired: "انتهت صلاحية هذا الرابط. أرسل النموذج على الموقع مرة أخرى وسيصلك رابط جديد بالبريد.",
        storage: "لا يستطيع الموقع تسجيل تأكيدك الآن. يُرجى فتح الرابط مرة أخرى لاحقًا.",
        broken: "هذا الرابط لا يعمل. تأكّد من أنك فتحت الرابط كاملًا من الرسالة.",
    },
];

#[cfg(test)]
mod tests {
    use super::ConfirmationTexts;

    #[test]
    fn a_language_takes_its_own_words_or_english() {
        assert_eq!(ConfirmationTexts::of("de-CH").language, "de");
        assert_eq!(ConfirmationTexts::of("AR").language, "ar");
        assert!(ConfirmationTexts::of("ar").right_to_left);
        assert_eq!(ConfirmationTexts::of("ja").language, "en");
        assert_eq!(ConfirmationTexts::of("").language, "en");
    }

    #[test]
    fn every_language_fills_in_the_controller_the_expiry_and_the_link() {
        for language in ["en", "de", "fr", "es", "ar"] {
            let (subject, text) =
                ConfirmationTexts::of(language).message("Example Ltd", "2026-12-09T10:00:00Z", "https://x/c");
            assert!(subject.contains("Example Ltd"), "{language}");
            for filled in ["Example Ltd", "2026-12-09T10:00:00Z", "\n\nhttps://x/c\n\n"] {
                assert!(text.contains(filled), "{language}: {filled}");
            }
            assert!(!text.contains('{'), "{language}");
        }
    }
}
