// The browser receipt verifier, a module of its own (`consent-capture-verify.js`): a second wasm module checks
// everything but the signature (strict JWS, canonical payload, Kantara shape), then WebCrypto checks the
// signature. Pages that capture consent load it only to check a notice signature, to show the controller's
// acknowledgement, or where WebCrypto has no Ed25519; the receipt viewer and CRM-side pages load it to verify.
import init, {
  access_request_input, check_log_proof, check_notice_signature, compare_checkpoints, inspect_access_challenge,
  inspect_acknowledgement, inspect_receipt, jwk_thumbprint, verify_ed25519,
} from './pkg/consent_capture_verify.js';
import { payloadOf, sign, verify } from './keys.js';
import { read, write } from './store.js';
import { verifyAcknowledgementWith, verifyWith } from './verify-receipt.js';

// The bundle step writes the wasm's SRI hash here (see consent-capture.js).
const wasmUrl = new URL('./consent_capture_verify_bg.wasm', import.meta.url);
let ready;
const load = () => (ready ??= init({ module_or_path: fetch(wasmUrl, { integrity: VERIFY_WASM_INTEGRITY }) }));
// Every use needs the wasm: in a page it starts loading with the module (a failure is reported where it is
// awaited); imported where there is no page (Deno, a server renderer), the module does nothing until used.
if (globalThis.document) load().catch(() => {});

/**
 * Verifies a consent receipt (compact JWS) with WebCrypto: `{ valid: true, receipt, key }`, or
 * `{ valid: false, reason }` saying what is wrong and where.
 */
export async function verifyReceipt(jws) {
  await load();
  return verifyWith(inspect_receipt, jws, verifyEd25519);
}

/**
 * Whether `jws` is the notice signature, by the controller key whose thumbprint the page pins (`controller`),
 * of exactly `noticeText`. Throws what is wrong with a signature that names another key or another notice.
 */
export async function verifyNoticeSignature(noticeText, jws, controller) {
  await load();
  return verify(JSON.parse(check_notice_signature(noticeText, jws, controller)), verifyEd25519);
}

/**
 * Checks an Ed25519 signature (`{ jwk, signingInput, signature }`) in wasm, for engines whose WebCrypto has
 * no Ed25519 (Safari before 17, Chromium before 137). The element loads this module only there.
 */
export async function verifyEd25519({ jwk, signingInput, signature }) {
  await load();
  return verify_ed25519(jwk.x, signingInput, signature);
}

/**
 * Verifies the controller's acknowledgement of `receipt` (both compact JWSs) under the controller key whose
 * thumbprint is `controller`: `{ valid: true, position, receivedAt, headSize, headTime }` once its key, its
 * signature, the receipt it names (and with `bodySha256`, the base64url SHA-256 of the body sent, that body)
 * and the inclusion proof of its record in the log head it signs all check out, or `{ valid: false, reason }`.
 */
export async function verifyAcknowledgement(acknowledgement, receipt, controller, bodySha256) {
  await load();
  return verifyAcknowledgementWith(inspect_acknowledgement, acknowledgement, receipt, controller, bodySha256, verifyEd25519);
}

/** The RFC 7638 thumbprint of a public Ed25519 or P-256 JWK (an object), as `controller-key` pins one. */
export async function thumbprint(jwk) {
  await load();
  return jwk_thumbprint(JSON.stringify(jwk));
}

/**
 * Shows the controller's acknowledgement in the element's receipt panel (`shown`: the panel, its status line
 * `delivery` and download paragraph `downloads`; `receiptView` the core's view of the receipt): a download
 * beside the receipt's, and "received by <controller>: <date>" once it verifies under the controller key the
 * page pins (`controller`, a thumbprint), with the person's side (see `offerAccess`) and, under a witness
 * policy the page pins, whether the controller's log kept its history (see `checkLog`). Without a pin nothing
 * says whose key signed it; one that fails is not shown.
 */
export async function showAcknowledgement(controller, shown, receiptView, receipt, acknowledgement, bodySha256, proof, evidence) {
  const { delivery, downloads, panel } = shown;
  let verified = false;
  if (controller) {
    const { valid, receivedAt } = await verifyAcknowledgement(acknowledgement, receipt, controller, bodySha256);
    if (!valid) return;
    verified = true;
    // The date as people write dates in the form's language, kept left to right (see `when`).
    delivery.textContent = `${receiptView.received}: ${when(new Date(receivedAt * 1000).toISOString(), panel.closest('[lang]')?.lang)}`;
  }
  const link = document.createElement('a');
  Object.assign(link, {
    href: `data:application/jose,${acknowledgement}`,
    download: receiptView.download.fileName.replace('receipt', 'acknowledgement'),
    textContent: receiptView.downloadAcknowledgement,
  });
  link.setAttribute('part', 'download');
  downloads.append(' ', link);
  if (verified && panel) {
    offerAccess(panel, controller);
    await checkLog(panel, receipt, [acknowledgement, bodySha256, proof, evidence]).catch(() => {});
  }
}

// What the person reads of the log check, in the languages of texts/ (see ACCESS_TEXTS).
const LOG_TEXTS = {
  en: {
    witnessed: 'Kept in a log that independent witnesses check.',
    forked: 'Warning: this controller’s log changed its history. What it shows now does not contain what it acknowledged to you. Keep the evidence.',
    evidence: 'Download the evidence (.json)',
  },
  de: {
    witnessed: 'Gespeichert in einem Protokoll, das unabhängige Zeugen prüfen.',
    forked: 'Achtung: Das Protokoll dieses Verantwortlichen hat seine Geschichte geändert. Was es jetzt zeigt, enthält nicht, was es Ihnen bestätigt hat. Bewahren Sie den Nachweis auf.',
    evidence: 'Nachweis herunterladen (.json)',
  },
  fr: {
    witnessed: 'Conservé dans un journal que des témoins indépendants vérifient.',
    forked: 'Attention : le journal de ce responsable a changé son historique. Ce qu’il montre maintenant ne contient pas ce qu’il vous a confirmé. Conservez la preuve.',
    evidence: 'Télécharger la preuve (.json)',
  },
  es: {
    witnessed: 'Guardado en un registro que comprueban testigos independientes.',
    forked: 'Atención: el registro de este responsable cambió su historia. Lo que muestra ahora no contiene lo que le confirmó. Guarde la prueba.',
    evidence: 'Descargar la prueba (.json)',
  },
  ar: {
    witnessed: 'محفوظ في سجل يتحقق منه شهود مستقلون.',
    forked: 'تنبيه: غيّر سجل هذا المسؤول تاريخه. ما يعرضه الآن لا يتضمن ما أكّده لك. احتفظ بالدليل.',
    evidence: 'نزّل الدليل (.json)',
  },
};

/**
 * Under the witness policy the page pins (`log-policy`, c2sp.org/tlog-policy text, as `controller-key` pins the
 * controller), checks that the controller's log kept its history since it acknowledged `receipt`: the proof kept
 * with the acknowledgement proves its entry in a checkpoint the quorum cosigned, and the checkpoint the receiver
 * shows now must extend that one. A log that does not is said plainly, and both signed checkpoints are kept with
 * the acknowledgement (`kept`: acknowledgement, body hash, proof, evidence) and offered for download. A proof or
 * an answer that does not read proves nothing, and nothing is shown of it.
 */
async function checkLog(panel, receipt, kept) {
  const host = elementOf(panel);
  const policy = host?.getAttribute('log-policy');
  const endpoint = host?.getAttribute('endpoint');
  const [acknowledgement, , proof] = kept;
  let [, , , evidence] = kept;
  if (!policy || !proof || !endpoint) return;
  const language = panel.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  const words = LOG_TEXTS[String(language).split('-')[0].toLowerCase()] ?? LOG_TEXTS.en;
  const said = element('p', { class: 'cc-delivery', part: 'log' });
  if (!evidence) {
    await load();
    const { checkpoint, size } = JSON.parse(check_log_proof(policy, proof, acknowledgement, receipt));
    const base = new URL(endpoint, document.baseURI);
    const asked = await fetch(new URL(`log/consistency?from=${size}`, base), { credentials: 'omit' });
    // A log that holds fewer records than it acknowledged has no proof to give: its checkpoint says so.
    const shown = asked.ok ? await asked.json() : { checkpoint: await (await fetch(new URL('log/checkpoint', base), { credentials: 'omit' })).text() };
    const hashes = JSON.stringify(shown.proof ?? []);
    const compared = JSON.parse(compare_checkpoints(policy, checkpoint, String(shown.checkpoint), hashes));
    if (compared.state === 'extends') {
      if (compared.witnessed) {
        said.textContent = words.witnessed;
        panel.append(said);
      }
      return;
    }
    evidence = {
      finding: compared.reason, receiver: base.href, checkedAt: new Date().toISOString(),
      acknowledged: checkpoint, shownLater: shown.checkpoint, consistencyProof: shown.proof ?? [],
    };
    const receiptId = payloadOf(receipt).consentReceiptID;
    kept[3] = evidence;
    // The store outbox.js keeps acknowledgements in (its ACKNOWLEDGEMENTS), named here so that this module
    // does not carry the outbox.
    await write('acknowledgements', receiptId, kept).catch(() => {});
  }
  said.setAttribute('role', 'alert');
  said.setAttribute('part', 'log log-forked');
  said.textContent = words.forked;
  const download = element('a', {
    part: 'download', href: `data:application/json,${encodeURIComponent(JSON.stringify(evidence, null, 2))}`,
    download: 'consent-log-fork-evidence.json',
  }, words.evidence);
  panel.append(said, download);
}


// The person's side: what the controller's receiver holds about this device's receipts, and erasing it. The
// receiver signs a challenge with the controller's key (checked here against the key the page pins before the
// device signs anything); the device key signs the request. Offered only where an acknowledgement verified
// under the pinned key, so the endpoint is that controller's receiver. Its words live here, in the languages
// of texts/, so that pages which never show them do not carry them.
const ACCESS_TEXTS = {
  en: {
    show: 'Show what you hold about me', erase: 'Erase my data', confirm: 'Erase it for good? Press again to confirm.',
    erased: 'Erased: the data sent with {n} of your receipts. The receipts stay, so what you agreed to can still be proved.',
    asking: 'Asking…', failed: 'The request did not go through; nothing changed. Try again later.',
    receipt: 'Receipt', received: 'received', erasedOn: 'Erased on', noData: 'No data was sent with it.',
    download: 'Download all of it (.json)',
  },
  de: {
    show: 'Zeigen, was Sie über mich speichern', erase: 'Meine Daten löschen', confirm: 'Endgültig löschen? Zum Bestätigen erneut drücken.',
    erased: 'Gelöscht: die mit {n} Ihrer Quittungen gesendeten Daten. Die Quittungen bleiben, damit Ihre Einwilligung nachweisbar bleibt.',
    asking: 'Wird angefragt…', failed: 'Die Anfrage ist nicht durchgegangen; nichts wurde geändert. Bitte später erneut versuchen.',
    receipt: 'Quittung', received: 'empfangen', erasedOn: 'Gelöscht am', noData: 'Damit wurden keine Daten gesendet.',
    download: 'Alles herunterladen (.json)',
  },
  fr: {
    show: 'Voir ce que vous détenez sur moi', erase: 'Effacer mes données', confirm: 'Effacer définitivement ? Appuyez de nouveau pour confirmer.',
    erased: 'Effacé : les données envoyées avec {n} de vos reçus. Les reçus restent, pour que votre consentement reste prouvable.',
    asking: 'Demande en cours…', failed: 'La demande n’a pas abouti ; rien n’a changé. Réessayez plus tard.',
    receipt: 'Reçu', received: 'reçu le', erasedOn: 'Effacé le', noData: 'Aucune donnée n’a été envoyée avec.',
    download: 'Tout télécharger (.json)',
  },
  es: {
    show: 'Ver lo que guardan sobre mí', erase: 'Borrar mis datos', confirm: '¿Borrar definitivamente? Pulse de nuevo para confirmar.',
    erased: 'Borrado: los datos enviados con {n} de sus recibos. Los recibos se conservan, para que su consentimiento siga siendo demostrable.',
    asking: 'Consultando…', failed: 'La solicitud no se completó; no cambió nada. Inténtelo más tarde.',
    receipt: 'Recibo', received: 'recibido', erasedOn: 'Borrado el', noData: 'No se enviaron datos con él.',
    download: 'Descargarlo todo (.json)',
  },
  ar: {
    show: 'اعرض ما تحتفظون به عني', erase: 'احذف بياناتي', confirm: 'حذف نهائي؟ اضغط مرة أخرى للتأكيد.',
    erased: 'حُذفت البيانات المرسلة مع {n} من إيصالاتك. تبقى الإيصالات ليظل ما وافقت عليه قابلاً للإثبات.',
    asking: 'جارٍ الطلب…', failed: 'لم يكتمل الطلب ولم يتغير شيء. حاول لاحقًا.',
    receipt: 'إيصال', received: 'استُلم', erasedOn: 'حُذف في', noData: 'لم تُرسل بيانات معه.',
    download: 'نزّل كل شيء (.json)',
  },
};

// The element a receipt panel belongs to: its shadow root's host, or in enhance mode the element whose `for`
// names the form the panel sits in.
function elementOf(panel) {
  const host = panel.getRootNode().host;
  if (host?.localName === 'consent-capture') return host;
  const form = host?.closest('form');
  return form?.id ? document.querySelector(`consent-capture[for="${CSS.escape(form.id)}"]`) : null;
}

function element(name, attributes, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Asks the receiver at `base` (the element's endpoint) for `action`, proving the device key. */
async function askReceiver(base, controller, action) {
  await load();
  const key = await read('keys', 'device');
  if (!key) throw new Error('this browser holds no device key');
  // A challenge for this key only (RFC 7638: the stored JWK holds its required members in their order).
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(key.jwk)));
  const thumbprint = btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const got = await fetch(new URL(`access/challenge?device=${thumbprint}`, base), { credentials: 'omit' });
  if (!got.ok) throw new Error(`challenge: HTTP ${got.status}`);
  const { challenge } = await got.json();
  const parts = JSON.parse(inspect_access_challenge(String(challenge), controller));
  if (!(await verify(parts, verifyEd25519))) throw new Error('the challenge is not signed by the controller');
  const request = await sign(key, access_request_input(JSON.stringify(key.jwk), action, challenge));
  const post = async (body) => {
    for (;;) {
      const answer = await fetch(new URL('access', base), {
        method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      // A long history comes in many pages, past the receiver's burst: wait as it says, then go on.
      if (answer.status === 429 && body.next) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * (Number(answer.headers.get('Retry-After')) || 1)));
        continue;
      }
      if (!answer.ok) throw new Error(`access: HTTP ${answer.status}`);
      return answer.json();
    }
  };
  // The receiver answers a page at a time, each with a cursor to the next while more follows.
  const held = await post({ request });
  for (let page = held; page.next;) {
    page = await post({ next: page.next });
    held.receipts.push(...page.receipts);
  }
  delete held.next;
  return held;
}

// A time the receiver wrote (ISO 8601), as people write it in `language`, kept left to right.
function when(iso, language) {
  let shown = String(iso);
  try {
    shown = new Intl.DateTimeFormat(language || undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  } catch { /* not a time, or not a language tag: as the receiver wrote it */ }
  return `\u2066${shown}\u2069`;
}

// The words the notice shows for its fields and options in `language` (its first language otherwise): a
// person reads "Topic: Buying widgets", not "topic: sales". The element fetched the notice already, so this
// is most often the browser's cached copy; without it, names and values are shown as sent.
async function noticeWords(host, language) {
  const words = { fields: new Map(), options: new Map() };
  try {
    const notice = await (await fetch(new URL(host.getAttribute('notice'), document.baseURI), { credentials: 'same-origin' })).json();
    const first = notice.languages?.[0];
    const text = (texts) => texts?.[language] ?? texts?.[first];
    for (const field of notice.fields ?? []) {
      words.fields.set(field.name, text(field.label) ?? field.name);
      for (const option of field.options ?? []) words.options.set(`${field.name}\n${option.value}`, text(option.label) ?? option.value);
    }
  } catch { /* names and values as sent */ }
  return words;
}

function showHeld(result, held, words, language, notice) {
  const list = element('ul', { part: 'access-records' });
  // A hashed value or an id is one long word: it wraps rather than widening the page (set through the CSSOM,
  // which a strict style-src allows).
  list.style.overflowWrap = 'anywhere';
  for (const record of held.receipts ?? []) {
    const item = element('li', {});
    item.append(element('p', {}, `${words.receipt} ${record.receiptId}, ${words.received} ${when(record.receivedAt, language)}`));
    if (record.fields && Object.keys(record.fields).length) {
      const fields = element('dl', {});
      for (const [name, value] of Object.entries(record.fields)) {
        fields.append(element('dt', {}, notice.fields.get(name) ?? name),
          element('dd', {}, notice.options.get(`${name}\n${value}`) ?? String(value)));
      }
      item.append(fields);
    } else {
      item.append(element('p', {}, record.erasedAt ? `${words.erasedOn} ${when(record.erasedAt, language)}` : words.noData));
    }
    list.append(item);
  }
  const download = element('a', {
    part: 'download', href: `data:application/json,${encodeURIComponent(JSON.stringify(held, null, 2))}`,
    download: `consent-records-${String(held.device).slice(0, 12)}.json`,
  }, words.download);
  result.replaceChildren(list, download);
}

function offerAccess(panel, controller) {
  const host = elementOf(panel);
  const endpoint = host?.getAttribute('endpoint');
  if (!endpoint || (host.getAttribute('adapter') ?? 'json') !== 'json' || panel.querySelector('[part~="access"]')) return;
  const base = new URL(endpoint, document.baseURI);
  const language = panel.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  const words = ACCESS_TEXTS[String(language).split('-')[0].toLowerCase()] ?? ACCESS_TEXTS.en;
  const section = element('div', { part: 'access' });
  const show = element('button', { type: 'button', class: 'cc-button', part: 'button access-show' }, words.show);
  const erase = element('button', { type: 'button', class: 'cc-button', part: 'button access-erase' }, words.erase);
  const status = element('p', { role: 'status', class: 'cc-delivery', part: 'access-status' });
  const result = element('div', { part: 'access-result' });
  const failed = () => { status.textContent = words.failed; };
  show.addEventListener('click', async () => {
    show.disabled = true;
    status.textContent = words.asking;
    try {
      const [held, notice] = await Promise.all([askReceiver(base, controller, 'access'), noticeWords(host, language)]);
      showHeld(result, held, words, language, notice);
      status.textContent = '';
    } catch {
      failed();
    } finally {
      show.disabled = false;
    }
  });
  // Erasing asks twice: the first press only says what the second does.
  let armed = false;
  erase.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      erase.textContent = words.confirm;
      return;
    }
    erase.disabled = true;
    status.textContent = words.asking;
    try {
      // Only receipts that carried data count: a withdrawal carried none, so erasing it erased nothing of theirs.
      const { erased, withData } = await askReceiver(base, controller, 'erase');
      status.textContent = words.erased.replace('{n}', String(withData ?? erased));
      result.replaceChildren();
    } catch {
      failed();
    } finally {
      armed = false;
      erase.textContent = words.erase;
      erase.disabled = false;
    }
  });
  section.append(show, ' ', erase, status, result);
  panel.append(section);
}
