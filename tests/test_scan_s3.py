"""`s3://bucket/prefix` scanned like a folder, against moto's S3 server started here on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from governance.cli import cli


SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
BUCKET = "crm-exports"
FAST = ["--no-ner", "--scan-date", "2024-05-01", "--fail-on", "none"]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch, tmp_path, fixtures):
    """A bucket with two CSV exports, a hidden object and a non-data object; credentials only in the environment."""
    import boto3

    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTINGONLY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_server)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    put = {
        "exports/cards.csv": (fixtures / "cli_scan" / "cards.csv").read_bytes(),
        "exports/2024/subscribers.csv": (fixtures / "cli_scan" / "subscribers.csv").read_bytes(),
        "exports/.staging/cards.csv": (fixtures / "cli_scan" / "cards.csv").read_bytes(),
        "exports/readme.md": b"# not data",
        "other/stock.csv": (fixtures / "cli_scan" / "stock.csv").read_bytes(),
    }
    for key, body in put.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=body)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def run(runner, *args):
    result = runner.invoke(cli, ["scan", *args, *FAST, "--format", "json"], catch_exceptions=False)
    assert SECRET not in result.output and "AKIATESTINGONLY" not in result.output
    return result


def test_a_prefix_is_scanned_like_a_folder(runner, s3):
    result = run(runner, f"s3://{BUCKET}/exports")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["source"] for t in data["tables"]] == [
        f"s3://{BUCKET}/exports/2024/subscribers.csv",
        f"s3://{BUCKET}/exports/cards.csv",
    ]
    found = sorted((f["source"].rsplit("/", 1)[1], f["column"], f["entity"]) for f in data["findings"])
    assert ("cards.csv", "card_number", "CREDIT_CARD") in found
    assert ("subscribers.csv", "email", "EMAIL_ADDRESS") in found
    assert all("governance-" not in f["source"] for f in data["findings"])  # never the temporary copy


def test_one_object_and_an_incremental_scan_that_downloads_only_changed_objects(runner, s3, tmp_path):
    state = str(tmp_path / "state.json")
    first = json.loads(run(runner, f"s3://{BUCKET}/exports", "--state", state).stdout)
    assert first["summary"]["carried_over"] == 0
    again = json.loads(run(runner, f"s3://{BUCKET}/exports", "--state", state).stdout)
    assert again["summary"]["carried_over"] == 2 and again["summary"]["rows_scanned"] == 0
    s3.put_object(Bucket=BUCKET, Key="exports/cards.csv", Body=b"order_id,amount_usd\n1,2.50\n")
    third = json.loads(run(runner, f"s3://{BUCKET}/exports", "--state", state).stdout)
    carried = {t["source"].rsplit("/", 1)[1]: t["carried_over"] for t in third["tables"]}
    assert carried == {"subscribers.csv": True, "cards.csv": False}
    assert not [f for f in third["findings"] if f["source"].endswith("cards.csv")]
    stored = json.loads((tmp_path / "state.json").read_text())
    assert set(stored["units"][f"s3://{BUCKET}/exports/cards.csv"]["fingerprint"]) == {"size", "etag"}

    single = json.loads(run(runner, f"s3://{BUCKET}/other/stock.csv").stdout)
    assert [t["source"] for t in single["tables"]] == [f"s3://{BUCKET}/other/stock.csv"]


def test_a_missing_bucket_and_bad_credentials_are_one_line_without_secrets(runner, s3, monkeypatch):
    result = run(runner, "s3://no-such-bucket-here/data")
    assert result.exit_code == 2
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith("error: s3://no-such-bucket-here/data: cannot list the objects")
    empty = run(runner, f"s3://{BUCKET}/nothing-here")
    assert empty.exit_code == 2 and "no object here to scan" in empty.stderr


def test_a_corrupt_object_names_its_url_not_the_temporary_file(runner, s3):
    s3.put_object(Bucket=BUCKET, Key="exports/broken.parquet", Body=b"not parquet")
    result = run(runner, f"s3://{BUCKET}/exports")
    assert result.exit_code == 2
    assert f"error: s3://{BUCKET}/exports/broken.parquet: not a readable Parquet file" in result.stderr
    assert "governance-" not in result.stderr and "/tmp" not in result.stderr
    assert len(json.loads(result.stdout)["tables"]) == 2


def test_a_secret_in_a_store_error_is_removed(s3):
    from governance.scan.objectstore import _reason

    text = _reason(PermissionError(f"signature for {SECRET} does not match\nmore detail"))
    assert text == "signature for *** does not match"


def test_a_database_url_is_not_taken_for_an_object_url():
    from governance.scan.objectstore import is_object_url

    assert is_object_url("s3://bucket/prefix") and is_object_url("memory://x")
    assert not is_object_url("postgresql://u:p@h/db") and not is_object_url("mysql+pymysql://root@h/db")
    assert not is_object_url("data/exports")


def test_any_fsspec_filesystem_is_read_like_a_folder(runner, fixtures):
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/exports/cards.csv", (fixtures / "cli_scan" / "cards.csv").read_bytes())
    try:
        data = json.loads(run(runner, "memory://exports").stdout)
    finally:
        fs.rm("/exports", recursive=True)
    assert [(f["source"], f["entity"]) for f in data["findings"]] == [("memory:///exports/cards.csv", "CREDIT_CARD")]
