// The element's IndexedDB database: the device key, the newest receipt per notice, the outbox of
// submissions not yet taken by the site's endpoint, and the controller's acknowledgements (by receipt id).

const DATABASE = 'consent-capture';
const STORES = ['keys', 'receipts', 'outbox', 'acknowledgements'];

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

let database;
function open() {
  database ??= new Promise((resolve, reject) => {
    // Version 2 added the outbox, 3 the acknowledgements; an upgrade creates whichever stores are missing.
    const opening = indexedDB.open(DATABASE, 3);
    opening.onupgradeneeded = () => {
      for (const store of STORES) {
        if (!opening.result.objectStoreNames.contains(store)) opening.result.createObjectStore(store);
      }
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  return database;
}

export async function read(store, key) {
  const db = await open();
  return request(db.transaction(store).objectStore(store).get(key));
}

/** Every value in `store`, in key order. */
export async function readAll(store) {
  const db = await open();
  return request(db.transaction(store).objectStore(store).getAll());
}

async function change(store, apply) {
  const db = await open();
  const transaction = db.transaction(store, 'readwrite');
  apply(transaction.objectStore(store));
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** Stores `value` under `key`; with `replace: false` it fails when the key is taken. Resolves once durable. */
export function write(store, key, value, { replace = true } = {}) {
  return change(store, (objects) => (replace ? objects.put(value, key) : objects.add(value, key)));
}

export function remove(store, key) {
  return change(store, (objects) => objects.delete(key));
}
