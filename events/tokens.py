"""Secrets in emailed links (a guest's registration link, invitations), unusable at rest.

A link's token is HMAC-SHA256(SECRET_KEY, purpose + a random salt kept on the row); the row
keeps the salt and, where a token must be looked up, the token's SHA-256 (under a unique
index). A copy of the database alone opens nothing: the salt is worthless without the
secret key, and a hash cannot be turned back into a token. Yet the portal can write the
same link into every later email (promotion, reminder, survey and certificate links),
which a stored hash of a random token alone could not do without changing the link, and
so breaking the earlier emails, each time.

SECRET_KEY_FALLBACKS are tried when deriving, so links survive a key rotation while the
old key is a fallback; after that, the next email that needs the link issues a new one.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

# A link's token is 43 characters; anything much longer is not one of ours.
MAX_LENGTH = 64


def new_salt():
    return secrets.token_urlsafe(16)


def digest(token):
    """The SHA-256 stored for a token, hex (what a lookup compares)."""
    return hashlib.sha256(str(token).encode()).hexdigest()


def _derive(purpose, salt, key):
    mac = hmac.new(
        str(key).encode(), f"allin.events.{purpose}:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _keys():
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def issue(purpose):
    """(salt, digest, token) for a new link."""
    salt = new_salt()
    token = _derive(purpose, salt, settings.SECRET_KEY)
    return salt, digest(token), token


def token_for(purpose, salt, stored_digest):
    """The token whose digest is stored, or None (no salt, or the key it was made with is gone)."""
    if not salt or not stored_digest:
        return None
    for key in _keys():
        token = _derive(purpose, salt, key)
        if hmac.compare_digest(digest(token), stored_digest):
            return token
    return None


def matches(token, stored_digest):
    """Does the presented token hash to the stored digest? (constant time)"""
    if not token or not stored_digest or len(token) > MAX_LENGTH:
        return False
    return hmac.compare_digest(digest(token), stored_digest)


def salted_token(purpose, salt):
    """The token of a salt alone (nothing stored to look up: the event's invitation link)."""
    return _derive(purpose, salt, settings.SECRET_KEY) if salt else ""


def salted_matches(token, purpose, salt):
    """Is `token` the salt's token under the secret key or a fallback? (constant time)"""
    if not token or not salt or len(token) > MAX_LENGTH:
        return False
    presented = token.encode()  # compare_digest refuses non-ASCII str
    return any(
        hmac.compare_digest(presented, _derive(purpose, salt, key).encode()) for key in _keys()
    )
