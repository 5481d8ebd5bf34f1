"""The free-text ``notes`` column: customer-service prose, and the leaks planted in it.

Ordinary notes hold no personal data but plenty of what fools scanners: order and
invoice numbers, amounts, dates, times, tracking numbers (including 22-digit ones),
ticket numbers and SKUs. A leak note carries exactly one planted value of one entity.
"""

from __future__ import annotations

import numpy as np

from benchmarks.identifiers import digit_chars, to_str

#: Ordinary notes. Slots: order, invoice, amount, date, time, sku, qty, days, ticket, tracking, pct.
NOTES = [
    "Customer called about order {order}; parcel delayed, new ETA {date}.",
    "Refund of {amount} issued for order {order} on {date}.",
    "Asked to change delivery slot to {time} on {date}.",
    "Item {sku} arrived damaged, replacement sent (qty {qty}).",
    "Tracking number {tracking} shows delivered but customer says not received. Opened ticket {ticket}.",
    "Applied {pct} loyalty discount to invoice {invoice}.",
    "Wants to cancel subscription; charged {amount} on {date}, partial refund agreed.",
    "Chat closed after {days} days without reply.",
    "Duplicate charge of {amount} reversed, reference {invoice}.",
    "Prefers delivery after {time}; leaving the parcel with a neighbour is fine.",
    "Out of stock: {sku}. Back-order placed, expected within {days} days.",
    "Complaint about packaging, escalated to the quality team as ticket {ticket}.",
    "Price match requested for {sku} at {amount}; approved.",
    "Voucher applied twice on order {order}; corrected total {amount}.",
    "Gift message added to order {order}.",
    "Return label sent for order {order}, {qty} items.",
    "Payment declined twice on {date}; customer will retry with another card.",
    "Called back at {time} as promised; issue resolved.",
    "Subscription paused until {date}.",
    "Bank transfer of {amount} received, reference {invoice}.",
    "Loyalty points adjusted by {qty}00 after complaint {ticket}.",
    "Courier reports failed delivery on {date} at {time}; second attempt booked.",
    "Order {order} split into {qty} parcels, tracking {tracking}.",
    "Asked whether {sku} is available in blue; told to check again in {days} days.",
    "Invoice {invoice} re-sent with VAT breakdown, total {amount}.",
    "Exchange approved: {sku} for a larger size, price difference {amount}.",
    "Satisfied with the resolution, rated the chat 5/5.",
    "No answer on callback at {time}, will try again tomorrow.",
    "Wants paper invoices from now on.",
    "Opted out of marketing messages on {date}.",
]

#: Planted leaks per entity (our entity names). ``{v}`` is the leaked value.
LEAKS = {
    "US_SSN": [
        "Customer read out SSN {v} during the identity check; should not be stored here.",
        "ID verification done with social security number {v}.",
        "Verified identity: {v}.",
        "Tax form on file, number {v}.",
    ],
    "CREDIT_CARD": [
        "Customer dictated card number {v}, please redact.",
        "Charge failed on {v}; asked to re-enter the details.",
        "Refund to the original card {v}.",
        "Paid by phone with {v}.",
    ],
    "IBAN_CODE": [
        "Refund to IBAN {v} requested.",
        "Customer wants refunds paid to {v}.",
        "Bank details for the refund: {v}.",
    ],
    "EMAIL_ADDRESS": [
        "Send the invoice copy to {v} instead.",
        "Customer asked to be contacted at {v}.",
        "New contact address {v}, please update the CRM.",
    ],
    "PHONE_NUMBER": [
        "Call back on {v} after 5pm.",
        "Customer's new mobile: {v}.",
        "Reach the customer at {v} regarding order {order}.",
    ],
}

CURRENCY_SYMBOLS = np.array(["$", "€", "£", "CA$"], dtype=object)


def slot_values(rng: np.random.Generator, n: int, skus: np.ndarray) -> dict[str, np.ndarray]:
    """``n`` values for every slot of :data:`NOTES`, as arrays of str."""
    days = rng.integers(0, 730, size=n)
    dates = np.datetime64("2025-06-30") - days.astype("timedelta64[D]")
    iso = np.datetime_as_string(dates)
    ymd = iso.astype("U10")
    dmy = np.array([f"{d[8:10]}/{d[5:7]}/{d[0:4]}" for d in ymd], dtype=object)
    amounts = np.round(rng.lognormal(3.8, 0.9, size=n), 2)
    ups_alphabet = np.frombuffer(b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789", dtype=np.uint8)
    tracking_ups = np.char.add("1Z", to_str(ups_alphabet[rng.integers(0, len(ups_alphabet), size=(n, 16))])).astype(object)
    tracking_usps = np.char.add("94", to_str(digit_chars(rng.integers(0, 10, size=(n, 20))))).astype(object)
    return {
        "order": np.char.add("ORD-", rng.integers(10_000_000, 99_999_999, size=n).astype(str)).astype(object),
        "invoice": np.char.add("INV-2024-", np.char.zfill(rng.integers(1, 999_999, size=n).astype(str), 6)).astype(object),
        "amount": CURRENCY_SYMBOLS[rng.integers(0, len(CURRENCY_SYMBOLS), size=n)] + np.char.mod("%.2f", amounts).astype(object),
        "date": np.where(rng.random(n) < 0.6, ymd.astype(object), dmy),
        "time": np.char.add(np.char.add(np.char.zfill(rng.integers(8, 20, size=n).astype(str), 2), ":"), np.char.zfill((rng.integers(0, 4, size=n) * 15).astype(str), 2)).astype(object),
        "sku": skus[rng.integers(0, len(skus), size=n)],
        "qty": rng.integers(1, 13, size=n).astype(str).astype(object),
        "days": rng.integers(2, 15, size=n).astype(str).astype(object),
        "ticket": np.char.add("#", rng.integers(100_000, 999_999, size=n).astype(str)).astype(object),
        "tracking": np.where(rng.random(n) < 0.5, tracking_ups, tracking_usps),
        "pct": np.char.add(rng.choice(["5", "10", "15", "20"], size=n), "%").astype(object),
    }


def ordinary_notes(rng: np.random.Generator, n: int, skus: np.ndarray, templates: list[str] = NOTES, slots: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """``n`` ordinary notes (no personal data) from ``templates``; ``slots`` replaces :func:`slot_values`."""
    slots = slot_values(rng, n, skus) if slots is None else slots
    template = rng.integers(0, len(templates), size=n)
    keys = list(slots)
    columns = [slots[k] for k in keys]
    return np.array(
        [templates[t].format(**dict(zip(keys, values))) for t, *values in zip(template, *columns)],
        dtype=object,
    )


def leak_note(rng: np.random.Generator, entity: str, value: str, order: str, leaks: dict[str, list[str]] = LEAKS) -> str:
    """One note carrying ``value`` (of ``entity``), from the sentences of ``leaks``."""
    options = leaks[entity]
    return options[rng.integers(0, len(options))].format(v=value, order=order)
