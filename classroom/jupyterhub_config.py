"""JupyterHub for the course: one JupyterLab per Unix user, run from the course's environment."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from local_hub import (
    ACCOUNTS,
    DEMO_PASSWORD,
    ENV,
    HUB_STATE,
    LTI_USERNAME,
    PORT,
    PROXY,
    SERVER_ENVIRONMENT,
    lti_role_check,
    lti_settings,
)

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_port = PORT + 81
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(HUB_STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{HUB_STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_STATE / "jupyterhub_cookie_secret")

lti = lti_settings()
if lti:
    # People arrive from the LMS by an LTI 1.3 launch; the launch names the account (see local_hub).
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.LTI13Authenticator.issuer = lti["issuer"]
    c.LTI13Authenticator.client_id = {lti["client_id"]}
    c.LTI13Authenticator.authorize_url = lti["authorize_url"]
    c.LTI13Authenticator.jwks_endpoint = lti["jwks_endpoint"]
    c.LTI13Authenticator.username_key = f"custom_{LTI_USERNAME}"
    c.Authenticator.post_auth_hook = lti_role_check
else:
    # DEMO ONLY: a shared password for the demo accounts. For a real class, set the LTI settings
    # (logins come from the LMS) or use OAuth (oauthenticator: the institution's sign-on).
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = DEMO_PASSWORD
c.Authenticator.allowed_users = set(ACCOUNTS)  # a launch for anyone else is refused

# Each server runs as its Unix user (LocalProcessSpawner), from the course's pinned environment.
c.Spawner.cmd = [str(ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.environment = SERVER_ENVIRONMENT
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
