"""Several machines, for real: Debian's nginx with the shipped site file (deploy/nginx/
allin.conf, only addresses, ports and paths changed) in front of two gunicorn instances,
each running from its own copy of the code with its own (empty) local folders, one S3 server
(moto), one PostgreSQL database, Redis; a task worker runs from a third copy.

- a photo and a case-study PDF uploaded through one instance are read through the other
  (the PDF only by those allowed to);
- an import started through the proxy is completed by the worker of the third copy (where
  the workers and the scheduler run from their shipped units);
- wrong passwords from five client addresses do not block a sixth client's sign-in
  (needs TRUSTED_PROXIES: the per-address limit must see the client, not nginx).
"""

import http.client
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection

from allin_portal.backups import url_of
from allin_portal.settings import s3_storages
from imports.models import ImportJob
from members.models import Member
from resources.models import CaseStudy
from tests import helpers
from tests.helpers import S3_CREDENTIALS, image_file, make_member, make_user
from tests.members.test_profiles import profile_data
from tests.resources.test_case_studies import form_data

pytestmark = [pytest.mark.multi_instance, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "portal.example.org"
PASSWORD = "correct horse battery"  # tests.helpers.make_user's
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# A folder of the code as a deployment would have it (no tests' state, no caches).
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "__pycache__", "*.pyc", ".pytest_cache",
    ".ruff_cache", "artifacts",
)  # fmt: skip


def _copy_of_the_code(folder):
    shutil.copytree(BASE_DIR, folder, ignore=LEFT_OUT)
    return folder


def _unit_command(unit, folder, **replace):
    """The ExecStart of a shipped systemd unit, for a folder instead of /srv/allin."""
    text = (BASE_DIR / "deploy" / "systemd" / unit).read_text()
    (command,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
    command = command.replace("/srv/allin/.venv/bin/python", sys.executable)
    command = command.replace("/srv/allin/.venv/bin/", str(Path(sys.executable).parent) + "/")
    for old, new in replace.items():
        command = command.replace(old, new)
    return command.split()


def _nginx_conf(folder, *, https_port, http_port, upstreams, static_root):
    site = (BASE_DIR / "deploy" / "nginx" / "allin.conf").read_text()
    site = site.replace("    server 127.0.0.1:8000;\n", "".join(
        f"    server 127.0.0.1:{port};\n" for port in upstreams))  # fmt: skip
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.M)
    site = site.replace("/etc/letsencrypt/live/portal.example.org/", f"{folder}/tls/")
    site = site.replace("/srv/allin/var/static/", f"{static_root}/")
    site = site.replace("/var/log/nginx/", f"{folder}/")
    site = site.replace("/var/www/letsencrypt", f"{folder}/acme")
    log_format = (BASE_DIR / "deploy" / "nginx" / "log-format.conf").read_text()
    # What Debian's /etc/nginx/nginx.conf provides around a site, in the temporary folder.
    return f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
user root;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    gzip on;
    {log_format}
    {site}
}}
"""


def _wait_for(check, what, seconds=90):
    """Wait for a process to come up or a job to finish (not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what}: not after {seconds} s")


class Client:
    """A browser over TLS to nginx, from a chosen loopback address, keeping its cookies."""

    def __init__(self, port, source="127.0.0.1"):
        self.port, self.source, self.cookies = port, source, {}
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate

    def request(self, method, path, body=None, content_type=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.tls, source_address=(self.source, 0), timeout=60
        )
        headers = {"Host": HOST, "Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value
        connection.close()
        return response.status, response.msg, data

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=None):
        """A form POST with the CSRF token of the form page (GET first, as a browser does)."""
        self.get(path)
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, mime) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                + content + b"\r\n"
            )  # fmt: skip
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def sign_in(self, email, password=PASSWORD):
        return self.post("/accounts/login/", {"login": email, "password": password})


@pytest.fixture(scope="module")
def cluster(django_db_setup, tmp_path_factory, s3_server):
    """Two instances A and B and a worker, each from its own folder; nginx in front."""
    root = tmp_path_factory.mktemp("cluster")
    bucket = f"allin-{uuid.uuid4().hex[:12]}"
    import boto3

    boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id="testing",
        aws_secret_access_key="testing", region_name="us-east-1",
    ).create_bucket(Bucket=bucket)  # fmt: skip
    redis_url = "redis://127.0.0.1:6379/13"
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(root),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "allin_portal.settings",
        "SECRET_KEY": "multi-instance-" + uuid.uuid4().hex,
        "DATABASE_URL": url_of(connection.settings_dict),
        "DB_CONN_MAX_AGE": "0",  # no idle connection held between the test's flushes
        "REDIS_URL": redis_url,
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": s3_server,
        "S3_ACCESS_KEY_ID": S3_CREDENTIALS["access_key"],
        "S3_SECRET_ACCESS_KEY": S3_CREDENTIALS["secret_key"],
        "S3_REGION": S3_CREDENTIALS["region"],
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "HTTPS": "true",
        "BEHIND_PROXY": "true",
        "TRUSTED_PROXIES": "127.0.0.1",
        "IMPORT_BACKGROUND_ROWS": "2",
    }
    folders = {name: _copy_of_the_code(root / name) for name in ("a", "b", "worker")}
    env = {
        name: {**environment, "MEDIA_ROOT": str(folder / "var" / "media"),
               "PRIVATE_MEDIA_ROOT": str(folder / "var" / "private")}
        for name, folder in folders.items()
    }  # fmt: skip
    for name in ("a", "b"):  # each instance its own static files, as on its own machine
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=folders[name], env=env[name], check=True,
        )  # fmt: skip
    processes, logs, outputs = [], {}, []
    ports = {"a": helpers.free_port(), "b": helpers.free_port()}
    for name in ("a", "b"):
        logs[name] = folders[name] / "access.log"
        command = _unit_command(
            "allin-web.service", folders[name],
            **{"127.0.0.1:8000": f"127.0.0.1:{ports[name]}", "--workers 3": "--workers 2"},
        )  # fmt: skip
        # The test's own view of which instance answered what (the unit keeps no access log).
        command += ["--access-logfile", str(logs[name])]
        output = open(folders[name] / "gunicorn.log", "w")  # noqa: SIM115
        outputs.append(output)
        processes.append(subprocess.Popen(
            command, cwd=folders[name], env=env[name], stdout=output, stderr=output,
            start_new_session=True,
        ))  # fmt: skip
    for unit in ("allin-worker.service", "allin-bulk-worker.service", "allin-scheduler.service"):
        worker_log = open(folders["worker"] / f"{unit}.log", "w")  # noqa: SIM115
        outputs.append(worker_log)
        processes.append(subprocess.Popen(
            _unit_command(unit, folders["worker"]), cwd=folders["worker"],
            env=env["worker"], stdout=worker_log, stderr=worker_log, start_new_session=True,
        ))  # fmt: skip

    proxy = root / "nginx"
    for sub in ("tls", "acme", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (proxy / sub).mkdir(parents=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-keyout", str(proxy / "tls" / "privkey.pem"),
         "-out", str(proxy / "tls" / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port = helpers.free_port()
    (proxy / "nginx.conf").write_text(
        _nginx_conf(
            proxy, https_port=https_port, http_port=helpers.free_port(), upstreams=ports.values(),
            static_root=folders["a"] / "var" / "static",
        )
    )  # fmt: skip
    subprocess.run([NGINX, "-t", "-p", str(proxy), "-c", str(proxy / "nginx.conf")], check=True,
                   capture_output=True)  # fmt: skip
    processes.append(subprocess.Popen(
        [NGINX, "-p", str(proxy), "-c", str(proxy / "nginx.conf"), "-g", "daemon off;"],
        start_new_session=True,
    ))  # fmt: skip
    try:
        for name, port in ports.items():

            def up(port=port):
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                try:
                    probe.request("GET", "/healthz", headers={"Host": HOST})
                    return probe.getresponse().status in (200, 503)  # up, whatever it reports
                except OSError:
                    return False
                finally:
                    probe.close()

            _wait_for(up, f"gunicorn {name}")
        yield {"port": https_port, "logs": logs, "folders": folders, "bucket": bucket,
               "redis": redis_url}  # fmt: skip
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        for output in outputs:
            output.close()


@pytest.fixture
def proxy(cluster, settings, s3_server):
    """The cluster, with the rate-limit counters of earlier tests gone from its Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": cluster["redis"],
        }
    }
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(bucket=cluster["bucket"], endpoint_url=s3_server, **S3_CREDENTIALS),
    }
    # Passwords the instances can check: their settings know no test-only hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    cache.clear()
    yield cluster
    cache.clear()


def served_by(cluster, method, path, wait=5.0):
    """The instances whose access log has this request. gunicorn writes the line after the
    answer has left, so the log is read again for a few seconds until one has it."""
    line = f'"{method} {path} '
    deadline = time.monotonic() + wait
    while True:
        found = {name for name, log in cluster["logs"].items() if line in log.read_text()}
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def read_through_each_instance(cluster, client, path):
    """GET `path` through nginx until both instances have answered it (round robin);
    every answer."""
    answers = []
    for _ in range(6):
        answers.append(client.get(path))
        if served_by(cluster, "GET", path) == {"a", "b"}:
            return answers
    raise AssertionError(f"{path} was not read through both instances")


def test_files_uploaded_through_one_instance_are_read_through_the_other(proxy):
    efua = make_member("efua@example.org", "Efua Owusu", country="GH")
    researcher = make_user("rita@example.org", "Researchers")
    make_member("kofi@example.org", "Kofi Mensah", country="GH")  # a member, not its author
    for folder in proxy["folders"].values():  # no shared disk: every local folder stays empty
        assert not (folder / "var" / "media").exists()

    # A photo, uploaded through whichever instance nginx picks...
    owner = Client(proxy["port"])
    signed = owner.sign_in("efua@example.org")
    assert signed[0] == 302, re.findall(rb"(?s)errorlist.{0,300}", signed[2])
    status, _, _ = owner.post(
        "/profile/edit/", profile_data(efua), files={"photo": ("me.jpg", image_file().read(),
                                                               "image/jpeg")},
    )  # fmt: skip
    assert status == 302
    (uploader,) = served_by(proxy, "POST", "/profile/edit/")
    efua.refresh_from_db()
    photo = efua.photo.url
    # ...is read through both, by anyone.
    for status, headers, content in read_through_each_instance(proxy, Client(proxy["port"]),
                                                               photo):  # fmt: skip
        assert status == 200 and headers["Content-Type"] == "image/jpeg"
        with default_storage.open(efua.photo.name) as stored:
            assert content == stored.read()

    # A case study's PDF, members-only and under review...
    content = helpers.pdf_bytes("findings shared by two instances")
    author = Client(proxy["port"])
    assert author.sign_in(researcher.email)[0] == 302
    status, _, _ = author.post(
        "/case-studies/new/", {**form_data(access="members"), "submit": "1"},
        files={"file": ("study.pdf", content, "application/pdf")},
    )  # fmt: skip
    assert status == 302
    resource = CaseStudy.objects.get().resource
    download = resource.get_download_url()
    # ...is downloaded through both instances by its researcher...
    for status, headers, body in read_through_each_instance(proxy, author, download):
        assert status == 200 and body == content
        assert headers["Content-Disposition"].startswith("attachment")
    # ...and by no other member, nor a visitor, whichever instance answers.
    other = Client(proxy["port"])
    assert other.sign_in("kofi@example.org")[0] == 302
    assert {other.get(download)[0] for _ in range(2)} == {404}
    assert {Client(proxy["port"]).get(download)[0] for _ in range(2)} <= {302, 404}

    # Static files come from nginx itself, the home page from either instance.
    assert Client(proxy["port"]).get("/")[0] == 200
    for folder in proxy["folders"].values():
        assert not list((folder / "var").glob("media/**/*.jpg"))
        assert not list((folder / "var").glob("private/**/*.pdf"))
    assert uploader in {"a", "b"}


def test_an_import_started_on_one_instance_is_run_by_a_worker_from_a_third_folder(proxy):
    # Every piece is up and reports in: /healthz through the proxy (database, and where it
    # checks them, cache, storage and the heartbeats of the worker and the scheduler).
    _wait_for(lambda: Client(proxy["port"]).get("/healthz")[0] == 200, "/healthz")
    make_user("admin@example.org", "Network admins", is_staff=True)
    admin = Client(proxy["port"])
    assert admin.sign_in("admin@example.org")[0] == 302
    header = "email,name,organization,country,status,visibility,expertise,website"
    rows = [f"p{n}@example.org,Person {n},,GH,approved,public,policy," for n in range(5)]
    csv = ("\n".join([header, *rows]) + "\n").encode()
    status, headers, _ = admin.post(
        "/admin/members/member/import/", {"kind": "members"},
        files={"file": ("members.csv", csv, "text/csv")},
    )  # fmt: skip
    assert status == 302, "the import was not queued"
    job = ImportJob.objects.get()
    assert headers["Location"].endswith(f"/imports/{job.pk}/")

    def finished():
        job.refresh_from_db()
        return job.finished

    _wait_for(finished, "the worker of the third folder")
    assert job.status == ImportJob.Status.DONE, (job.message, job.errors)
    assert Member.objects.filter(user__email__startswith="p").count() == 5
    status, _, page = admin.get(f"/imports/{job.pk}/")
    assert status == 200 and b"Imported: 5 created, 0 updated." in page
    worker = proxy["folders"]["worker"]
    assert not (worker / "var" / "private").exists()  # read from the bucket, not a disk


def test_wrong_passwords_from_five_clients_do_not_block_a_sixth(proxy):
    """Each client is its own loopback address; nginx passes it in X-Forwarded-For and the
    instances believe it from nginx only (TRUSTED_PROXIES=127.0.0.1)."""
    for n in range(1, 7):
        make_user(f"staff{n}@example.org", "Members")
    for n in range(1, 6):
        status, _, _ = Client(proxy["port"], source=f"127.0.0.{10 + n}").sign_in(
            f"staff{n}@example.org", "a typo"
        )
        assert status == 400  # the form again, with its message
    sixth = Client(proxy["port"], source="127.0.0.16")
    status, headers, page = sixth.sign_in("staff6@example.org")
    assert status == 302, re.findall(rb"(?s)errorlist.{0,200}", page)
    assert headers["Location"] == "/"
    # A client's own wrong passwords still count against it.
    typist = Client(proxy["port"], source="127.0.0.17")
    for _ in range(5):
        assert typist.sign_in("staff6@example.org", "a typo")[0] == 400
    status, _, page = typist.sign_in("staff6@example.org")
    assert status in (400, 429) and b"Too many failed" in page
