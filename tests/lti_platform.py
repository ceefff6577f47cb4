"""A stand-in LMS for the classroom's LTI 1.3 tests, on 127.0.0.1 only: its own RSA key, its key
set, and the launch a real platform performs (a third-party-initiated OpenID Connect login whose
answer is an id_token signed with that key)."""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLES = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
KEY_ID = "stand-in-lms-1"
FORGERIES = ("stray-key", "other-audience")  # what a launch may be forged with


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Platform:
    """The LMS: ``settings`` are what the hub is given; ``register`` is what the LMS admin enters."""

    client_id = "rnn-classroom"
    deployment_id = "course-deployment-1"

    def __init__(self):
        self.key = new_key()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.platform = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.settings = {
            "issuer": self.url,
            "client_id": self.client_id,
            "authorize_url": f"{self.url}/authorize",
            "jwks_endpoint": f"{self.url}/jwks",
        }
        self.tool = None  # the hub's address, once registered
        self.launches = {}  # login_hint -> (username, role, forgery)

    def __enter__(self) -> Platform:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def register(self, hub: str) -> None:
        """The tool's registration: its login URL, its one redirect URL and its target link."""
        self.tool = {
            "login": f"{hub}/hub/lti13/oauth_login",
            "redirect": f"{hub}/hub/lti13/oauth_callback",
            "target": f"{hub}/hub",
        }

    def launch_url(self, username: str, role: str = "Learner", forgery: str = "") -> str:
        """The link a person follows in the LMS; ``forgery`` makes the id_token one the hub must refuse."""
        assert forgery in ("", *FORGERIES), forgery
        return f"{self.url}/launch?{urlencode({'username': username, 'role': role, 'forgery': forgery})}"

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def login_initiation(self, username: str, role: str, forgery: str) -> tuple[str, dict]:
        """Step 1: send the browser to the tool's login URL with an opaque hint of who is launching."""
        hint = secrets.token_urlsafe(16)
        self.launches[hint] = (username, role, forgery)
        return self.tool["login"], {
            "iss": self.url,
            "login_hint": hint,
            "target_link_uri": self.tool["target"],
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def authorize(self, request: dict) -> tuple[str, dict]:
        """Step 3: check the tool's authentication request, answer with a signed id_token."""
        expected = {
            "response_type": "id_token",
            "response_mode": "form_post",
            "scope": "openid",
            "prompt": "none",
            "client_id": self.client_id,
            "redirect_uri": self.tool["redirect"],
        }
        wrong = {name: request.get(name) for name, value in expected.items() if request.get(name) != value}
        if wrong or request.get("login_hint") not in self.launches or not request.get("nonce"):
            raise ValueError(f"authentication request refused: {wrong or request}")
        username, role, forgery = self.launches.pop(request["login_hint"])
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": "another-tool" if forgery == "other-audience" else self.client_id,
            "sub": f"lms-user-{username}",
            "iat": now,
            "exp": now + 300,
            "nonce": request["nonce"],
            "name": username.capitalize(),
            f"{LTI}message_type": "LtiResourceLinkRequest",
            f"{LTI}version": "1.3.0",
            f"{LTI}deployment_id": self.deployment_id,
            f"{LTI}target_link_uri": self.tool["target"],
            f"{LTI}resource_link": {"id": "rnn-basics-jupyterhub", "title": "Open the course's JupyterHub"},
            f"{LTI}context": {"id": "rnn-basics", "label": "RNN", "title": "RNNs with PyTorch"},
            f"{LTI}roles": [f"{ROLES}{role}"],
            f"{LTI}custom": {"username": username},
        }
        key = new_key() if forgery == "stray-key" else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})
        return request["redirect_uri"], {"id_token": id_token, "state": request["state"]}


def auto_post(action: str, fields: dict) -> bytes:
    """A page whose form posts itself, as an LMS hands a browser on."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    return (
        f'<!doctype html><title>Launching</title><form method="post" action="{html.escape(action)}">{inputs}'
        "</form><script>document.forms[0].submit()</script>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        platform = self.server.platform
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        try:
            if url.path == "/jwks":
                return self._send(json.dumps(platform.jwks()).encode(), "application/json")
            if url.path == "/launch":
                return self._send(auto_post(*platform.login_initiation(**query)))
            if url.path == "/authorize":
                return self._send(auto_post(*platform.authorize(query)))
        except (TypeError, ValueError) as error:
            return self._send(str(error).encode(), "text/plain", status=400)
        self._send(b"not found", "text/plain", status=404)

    def _send(self, body: bytes, kind: str = "text/html", status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep pytest's output to the tests
        pass
