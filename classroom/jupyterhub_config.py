"""JupyterHub for the course: one JupyterLab per Unix user, run from the course's environment."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from local_hub import ACCOUNTS, DEMO_PASSWORD, ENV, HUB_STATE, PORT, PROXY, SERVER_ENVIRONMENT

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_port = PORT + 81
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(HUB_STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{HUB_STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_STATE / "jupyterhub_cookie_secret")

# DEMO ONLY: a shared password for the demo accounts. For a real class, use the LTI authenticator
# (ltiauthenticator: logins come from the LMS) or OAuth (oauthenticator: the institution's sign-on).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = DEMO_PASSWORD
c.Authenticator.allowed_users = set(ACCOUNTS)

# Each server runs as its Unix user (LocalProcessSpawner), from the course's pinned environment.
c.Spawner.cmd = [str(ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.environment = SERVER_ENVIRONMENT
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
