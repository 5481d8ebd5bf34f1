"""The inventory loads, and every problem is reported with file, line and key."""

import shutil
import textwrap

import pytest

from governance.errors import ConfigError
from governance.inventory.loader import load_inventory

MINIMAL = textwrap.dedent(
    """\
    organization:
      name: Shop
      postal_address: 1 Main St, Springfield, IL 62704, USA
      privacy_contact: {email: privacy@shop.example}
    purposes:
      - id: orders
        data_use: essential.service.payment_processing
        description: Fulfil orders.
        legal_basis: contract
    datasets:
      - id: customers
        location: {path: customers.csv}
        fields:
          - {name: email, category: user.contact.email, purposes: [orders]}
    """
)


def write(tmp_path, text, name="inventory.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_bundled_example_loads(repo):
    loaded = load_inventory(repo / "policies" / "example")
    inv = loaded.inventory
    assert inv.organization.name == "Corner Bloom"
    assert inv.dataset("customers").field("email").category == "user.contact.email"
    assert loaded.resolve_path("data/shop.db") == repo / "policies" / "example" / "data" / "shop.db"


def test_minimal_inventory_loads(tmp_path):
    inv = load_inventory(write(tmp_path, MINIMAL)).inventory
    assert inv.purpose("orders").legal_basis == "contract"


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "reason"),
    [
        ("legal_basis: contract", "legal_basis: contrct", 9, "purposes[0].legal_basis", "Input should be"),
        ("category: user.contact.email", "category: user.contact.emial", 14, "datasets[0].fields[0].category",
         "not a fideslang data category"),
        ("purposes: [orders]}", "purposes: [orderz]}", 14, "datasets[0].fields[0].purposes[0]", "unknown purpose 'orderz'"),
        ("  name: Shop\n", "  name: Shop\n  colour: blue\n", 3, "organization.colour", "unknown key"),
        ("location: {path: customers.csv}", "location: {table: customers}", 12, "datasets[0].location",
         "give exactly one of path or url"),
    ],
)
def test_problems_name_file_line_and_key(tmp_path, old, new, line, key, reason):
    path = write(tmp_path, MINIMAL.replace(old, new))
    with pytest.raises(ConfigError) as err:
        load_inventory(path)
    text = "\n".join(err.value.lines())
    assert f"{path}:{line}: {key}" in text
    assert reason in text


def test_all_problems_are_reported_at_once(tmp_path):
    text = MINIMAL.replace("legal_basis: contract", "legal_basis: nope").replace("user.contact.email", "user.nope")
    with pytest.raises(ConfigError) as err:
        load_inventory(write(tmp_path, text))
    assert err.value.message == "2 problems in the inventory"
    assert [d.split(": ")[1] for d in err.value.details] == ["purposes[0].legal_basis", "datasets[0].fields[0].category"]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, MINIMAL.replace("  name: Shop", "  name: [Shop"))
    with pytest.raises(ConfigError) as err:
        load_inventory(path)
    assert err.value.where.startswith(f"{path}:")
    assert "invalid YAML" in err.value.message


def test_split_files_are_merged_with_their_own_line_numbers(tmp_path):
    head, _, datasets = MINIMAL.partition("datasets:\n")
    write(tmp_path, head, "10-organization.yaml")
    bad = "datasets:\n" + datasets.replace("user.contact.email", "user.nope")
    write(tmp_path, bad, "20-datasets.yaml")
    with pytest.raises(ConfigError) as err:
        load_inventory(tmp_path)
    assert f"{tmp_path / '20-datasets.yaml'}:5: datasets[0].fields[0].category" in "\n".join(err.value.lines())


def test_section_declared_twice_is_an_error(tmp_path):
    write(tmp_path, MINIMAL, "a.yaml")
    write(tmp_path, MINIMAL.split("purposes:")[0], "b.yaml")
    with pytest.raises(ConfigError, match="section 'organization' is also declared"):
        load_inventory(tmp_path)


def test_missing_inventory_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_inventory(tmp_path / "nope.yaml")
    assert "governance init" in err.value.one_line()


def test_example_directory_copy_with_duplicate_dataset_ids(tmp_path, repo):
    shutil.copy(repo / "policies" / "example" / "inventory.yaml", tmp_path / "inventory.yaml")
    extra = "datasets:\n  - id: customers\n    location: {path: x.csv}\n"
    write(tmp_path, extra, "zz-extra.yaml")
    with pytest.raises(ConfigError) as err:
        load_inventory(tmp_path)
    assert "duplicate id 'customers'" in "\n".join(err.value.lines())
