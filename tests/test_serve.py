"""The local web UI: pages, search, verdicts, the report regenerated with them, and what the server refuses
(paths outside the case, foreign hosts, cross-site forms, missing tokens)."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the UI needs the serve extra: pip install 'unmask[serve]'")
pytest.importorskip("httpx", reason="the UI tests need the serve extra: pip install 'unmask[serve]'")

from fastapi.testclient import TestClient  # noqa: E402

from browser.case import PAYLOADS, Case, build_case  # noqa: E402
from unmask.report.cli import check_binding, is_loopback  # noqa: E402
from unmask.report.serve import create_app  # noqa: E402

LOCAL = "http://127.0.0.1:8765"
TOKEN = "t0ken-for-tests-0123456789"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return build_case(tmp_path_factory.mktemp("serve") / "case")


@pytest.fixture
def case(built: Case, tmp_path: Path) -> Case:
    target = tmp_path / "case"
    shutil.copytree(built.path, target)
    return Case(target, built.members, built.handles, built.organic)


@pytest.fixture
def client(case: Case) -> TestClient:
    return TestClient(create_app(case.path), base_url=LOCAL)


def csrf(client: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)


def test_pages_render_with_a_strict_policy(client: TestClient, case: Case) -> None:
    for url in ("/", "/map", "/cluster/1", f"/account/twitter/{case.members[1][0]}", "/search?q=user"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "connect-src 'none'" in policy and "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_hostile_text_is_escaped_in_every_page(client: TestClient, case: Case) -> None:
    for url in ("/cluster/1", f"/account/twitter/{case.members[1][0]}", "/search?q=window", "/map"):
        html = client.get(url).text
        outside = re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", html, flags=re.DOTALL)
        for payload in ("<script>window", "<img src=x", "<svg onload", "</script><script>"):
            assert payload not in outside, (url, payload)
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html or "\\u003cscript\\u003e" in html


def test_search_finds_accounts_and_posts(client: TestClient, case: Case) -> None:
    html = client.get("/search", params={"q": "@USER_011"}).text
    assert f'href="/account/twitter/{case.members[2][1]}"' in html
    html = client.get("/search", params={"q": "fabricated by the west"}).text
    assert "Posts (50, newest 50)" in html
    assert "No account matches." in client.get("/search", params={"q": "%_"}).text


def test_a_verdict_is_recorded_and_reaches_the_report(client: TestClient, case: Case) -> None:
    account = case.members[1][5]
    response = client.post("/verdict", data={"csrf": csrf(client), "target": "account", "platform": "twitter",
                                             "account_id": account, "verdict": "confirmed",
                                             "note": "<b>in the takedown</b>"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/account/twitter/{account}"
    page = client.get(response.headers["location"]).text
    assert '<span class="badge confirmed">confirmed</span>' in page and "&lt;b&gt;in the takedown" in page
    response = client.post("/verdict", data={"csrf": csrf(client), "target": "cluster", "cluster_id": "2",
                                             "verdict": "dismissed", "note": "a fan club"}, follow_redirects=False)
    assert response.headers["location"] == "/cluster/2"
    response = client.post("/report", data={"csrf": csrf(client)}, follow_redirects=False)
    assert response.headers["location"] == "/files/report.html"
    report = client.get("/files/report.html")
    assert report.headers["content-security-policy"].startswith("sandbox allow-scripts")
    assert "a fan club" in report.text and '"verdict":"confirmed"' in report.text
    assert (case.path / "exports" / "stix-bundle.json").exists()


def test_bad_verdicts_are_reported_not_recorded(client: TestClient, case: Case) -> None:
    response = client.post("/verdict", data={"csrf": csrf(client), "target": "account", "platform": "twitter",
                                             "account_id": "nobody", "verdict": "confirmed"})
    assert response.status_code == 400 and "no account" in response.text
    response = client.post("/verdict", data={"csrf": csrf(client), "target": "cluster", "cluster_id": "x",
                                             "verdict": "confirmed"})
    assert response.status_code == 400


def test_forms_need_the_csrf_token_and_the_same_origin(client: TestClient, case: Case) -> None:
    form = {"target": "account", "platform": "twitter", "account_id": case.members[1][0], "verdict": "confirmed"}
    assert client.post("/verdict", data={**form, "csrf": "forged"}).status_code == 403
    assert client.post("/verdict", data=form).status_code == 403
    response = client.post("/verdict", data={**form, "csrf": csrf(client)}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert client.post("/report", data={"csrf": "forged"}).status_code == 403


def test_requests_for_other_hosts_are_refused(case: Case) -> None:
    rebinding = TestClient(create_app(case.path), base_url="http://evil.example:8765")
    assert rebinding.get("/").status_code == 421
    for host in ("http://localhost:8765", "http://[::1]:8765"):
        assert TestClient(create_app(case.path), base_url=host).get("/").status_code == 200


@pytest.mark.parametrize("path", [
    "/files/../workspace.duckdb",
    "/files/../../../../etc/passwd",
    "/files/faces/../../case/workspace.duckdb",
    "/files/%2e%2e/%2e%2e/etc/passwd",
    "/files/..%2f..%2fetc%2fpasswd",
    "/files//etc/passwd",
    "/files/workspace.duckdb",
    "/files/.hidden",
])
def test_files_outside_the_case_or_private_are_refused(case: Case, path: str) -> None:
    (case.path / ".hidden").write_text("secret", encoding="utf-8")
    status, body = raw_get(create_app(case.path), path)
    assert status == 404, path
    assert b"root:" not in body and b"secret" not in body and b"DUCK" not in body


def test_raw_requests_reach_files_inside_the_case(case: Case) -> None:
    status, body = raw_get(create_app(case.path), "/files/faces/../faces/cluster_1_blend.png")
    assert status == 200 and body.startswith(b"\x89PNG")


def raw_get(app, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client normalises the dots away), through the ASGI interface."""
    decoded = re.sub(r"%([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), path)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": decoded, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1:8765")], "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8765)}
    sent: list[dict] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the response is complete
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_case_files_download_and_images_show(client: TestClient) -> None:
    client.post("/report", data={"csrf": csrf(client)})
    csv_file = client.get("/files/exports/accounts.csv")
    assert csv_file.status_code == 200 and csv_file.headers["content-disposition"].startswith("attachment")
    image = client.get("/files/faces/cluster_1_blend.png")
    assert image.headers["content-type"] == "image/png"
    assert client.get("/static/sigma.min.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/..%2Fhtml.py").status_code == 404


def test_a_token_is_required_when_set(case: Case) -> None:
    app = create_app(case.path, token=TOKEN)
    anonymous = TestClient(app, base_url=LOCAL)
    assert anonymous.get("/").status_code == 401
    assert anonymous.get("/", params={"token": "wrong"}).status_code == 401
    assert TestClient(app, base_url=LOCAL, headers={"Authorization": f"Bearer {TOKEN}"}).get("/").status_code == 200
    browser = TestClient(app, base_url=LOCAL)
    entry = browser.get("/map", params={"token": TOKEN, "x": "1"}, follow_redirects=False)
    assert entry.status_code == 303 and entry.headers["location"] == "/map?x=1"
    cookie = entry.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert browser.get("/map").status_code == 200


def test_remote_binding_needs_a_token_and_accepts_any_host(case: Case) -> None:
    with pytest.raises(ValueError, match="needs a token"):
        create_app(case.path, remote=True)
    app = create_app(case.path, token=TOKEN, remote=True)
    remote = TestClient(app, base_url="http://192.0.2.10:8765", headers={"Authorization": f"Bearer {TOKEN}"})
    assert remote.get("/").status_code == 200
    assert TestClient(app, base_url="http://192.0.2.10:8765").get("/").status_code == 401


@pytest.mark.parametrize("host, token, allow, ok", [
    ("127.0.0.1", None, False, True),
    ("localhost", None, False, True),
    ("::1", None, False, True),
    ("0.0.0.0", None, False, False),
    ("0.0.0.0", TOKEN, False, False),
    ("0.0.0.0", None, True, False),
    ("192.168.1.5", "short", True, False),
    ("0.0.0.0", TOKEN, True, True),
])
def test_binding_rules(host: str, token: str | None, allow: bool, ok: bool) -> None:
    if ok:
        check_binding(host, token, allow)
    else:
        with pytest.raises(ValueError):
            check_binding(host, token, allow)


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.5") and is_loopback("[::1]") and is_loopback("LOCALHOST")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")


def test_serve_refuses_a_folder_without_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="workspace.duckdb"):
        create_app(tmp_path)


def test_payload_account_pages_link_safely(client: TestClient, case: Case) -> None:
    html = client.get("/cluster/1").text
    assert f'href="/account/twitter/{case.members[1][0]}"' in html
    assert PAYLOADS[0] not in re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", html, flags=re.DOTALL)
