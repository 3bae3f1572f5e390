"""An implementation of C2SP signed notes other than ours, to check the notes consent-capture writes: reads a
verifier key and a signed note from stdin (the key on the first line), recomputes the key ID, and verifies the
Ed25519 signature (type 0x01) or the cosignature/v1 (type 0x04) with Python's `cryptography`. Prints `ok`."""
import base64, hashlib, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

vkey, note = sys.stdin.read().split("\n", 1)
name, key_id, typed = vkey.split("+")
typed = base64.b64decode(typed, validate=True)
kind, key = typed[0], typed[1:]
assert hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4].hex() == key_id, "key ID"
text, signatures = note.rsplit("\n\n", 1)
text += "\n"
found = 0
for line in signatures.splitlines():
    dash, signer, signed = line.split(" ")
    assert dash == "\u2014"
    signed = base64.b64decode(signed, validate=True)
    if signer != name or signed[:4].hex() != key_id:
        continue
    if kind == 1:
        Ed25519PublicKey.from_public_bytes(key).verify(signed[4:], text.encode())
    else:
        (time,) = struct.unpack(">Q", signed[4:12])
        message = b"cosignature/v1\ntime %d\n" % time + text.encode()
        Ed25519PublicKey.from_public_bytes(key).verify(signed[12:], message)
    found += 1
assert found == 1, "one signature by the key"
print("ok")
