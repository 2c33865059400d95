#!/usr/bin/env python3
"""Realistic exports of a small Finnish web shop, for trying segmetry's import → prepare → analysis path.

Usage:  python3 scripts/gen_shop_exports.py [OUT_DIR] [--customers N] [--seed S]
Writes three CSV files into OUT_DIR (default .cache/shop-exports), deterministically (fixed seed, no clock):

  customers_export.csv   Shopify's customers export: its headers, `'`-protected ids, zip codes and phone numbers,
                         yes/no marketing consent, dot-decimal money, a few e-mails in other case or with spaces.
  orders_export.csv      Shopify's orders export: one row per line item; order-level fields (status, money,
                         addresses, payment) only on an order's first row; `Created at` as `2025-09-16 07:42:11
                         +0300`; a few point-of-sale orders without e-mail; gift cards; refunds and cancellations.
  campaign_export.csv    An e-mail tool's A/B subject-line test, one row per recipient, matched to customers by
                         e-mail (different case and stray spaces on some rows, newsletter-only subscribers that
                         are no customers); Finnish formats: `16.9.2025 7:42` times and `12,50 €` revenue.

Only the standard library is used; the files are not committed (see scripts/gen_prepare_fixtures.py for the
test fixtures made from them).
"""
import csv
import datetime as dt
import os
import random
import sys

FIRST = ["Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Olivia", "Oliver", "Aada", "Elias", "Ella", "Onni",
         "Emilia", "Eetu", "Lilja", "Toivo", "Maija", "Jussi", "Sanna", "Mikko", "Åsa", "Björn", "Kaisa", "Pekka"]
LAST = ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
        "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Lindqvist", "Öhman"]
CITIES = [("Helsinki", "00100"), ("Espoo", "02100"), ("Tampere", "33100"), ("Vantaa", "01300"), ("Oulu", "90100"),
          ("Turku", "20100"), ("Jyväskylä", "40100"), ("Kuopio", "70100"), ("Lahti", "15110"), ("Porvoo", "06100")]
ABROAD = [("SE", "Stockholm", "111 22"), ("EE", "Tallinn", "10111"), ("DE", "Berlin", "10115")]
PRODUCTS = [("Villasukat - Harmaa", "VS-GR", 24.90), ("Villasukat - Musta", "VS-BK", 24.90),
            ("Pipo Merino", "PM-01", 39.00), ("Lapaset", "LP-02", 32.50), ("Kaulahuivi", "KH-03", 59.00),
            ("Kahvikuppi Muumi", "KM-04", 19.95), ("Kynttilä Kuusi", "KK-05", 12.50), ("Puulusikka", "PL-06", 8.90),
            ("Pellavapyyhe", "PP-07", 29.00), ("Gift card 25 €", "GC-25", 25.00), ("Gift card 50 €", "GC-50", 50.00)]
DOMAINS = ["gmail.com", "hotmail.fi", "outlook.com", "kolumbus.fi", "elisanet.fi", "yahoo.com", "luukku.com"]
END = dt.datetime(2025, 11, 30, 20, 0, 0)
HELSINKI_OFFSET = {False: dt.timedelta(hours=2), True: dt.timedelta(hours=3)}

CUSTOMER_HEADERS = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company",
    "Default Address Address1", "Default Address Address2", "Default Address City", "Default Address Province Code",
    "Default Address Country Code", "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags"]
ORDER_HEADERS = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku",
    "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip", "Billing Province",
    "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street", "Shipping Address1", "Shipping Address2",
    "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone",
    "Notes", "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
    "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level", "Source",
    "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References"]
CAMPAIGN_HEADERS = [
    "Email Address", "First Name", "Last Name", "Variant", "Subject Line", "Sent Time", "Opened", "Opens",
    "Last Open Time", "Clicked", "Clicks", "Unsubscribed", "Bounced", "Revenue"]
SUBJECTS = {"A": "Syksyn uutuudet ovat täällä", "B": "Lämpimät villasukat odottavat sinua 🧦"}


def is_summer(t):
    """EU summer time (last Sunday of March .. last Sunday of October), good enough at day resolution."""
    def last_sunday(month):
        d = dt.datetime(t.year, month, 31)
        return d - dt.timedelta(days=(d.weekday() + 1) % 7)
    return last_sunday(3) <= t < last_sunday(10)


def shopify_time(utc):
    offset = HELSINKI_OFFSET[is_summer(utc)]
    local = utc + offset
    return local.strftime("%Y-%m-%d %H:%M:%S") + (" +0300" if offset.seconds == 10800 else " +0200")


def finnish_time(utc):
    local = utc + HELSINKI_OFFSET[is_summer(utc)]
    return f"{local.day}.{local.month}.{local.year} {local.hour}:{local.minute:02d}"


def money(x):
    return f"{x:.2f}"


def euro_fi(x):
    return f"{x:.2f}".replace(".", ",") + " €"


def ascii_name(text):
    return text.lower().translate(str.maketrans("äöåé", "aoae"))


def make_customers(rng, n):
    customers, used = [], set()
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = ascii_name(f"{first}.{last}")
        email = f"{local}{rng.randint(1, 999)}@{rng.choice(DOMAINS)}"
        while email in used:
            email = f"{local}{rng.randint(1000, 9999)}@{rng.choice(DOMAINS)}"
        used.add(email)
        if rng.random() < 0.9:
            country, (city, zip_code) = "FI", rng.choice(CITIES)
        else:
            country, city, zip_code = rng.choice(ABROAD)
        customers.append({
            "id": 7_501_000_000_000 + i * 7919, "first": first, "last": last, "email": email, "country": country,
            "city": city, "zip": zip_code, "phone": f"+35840{rng.randint(1000000, 9999999)}",
            "accepts": rng.random() < 0.62, "sms": rng.random() < 0.2,
            "orders": [], "spent": 0.0, "vip": rng.random() < 0.05,
        })
    return customers


def shown_email(rng, email):
    """How a tool spells the address: mostly as stored, sometimes capitalised or padded."""
    r = rng.random()
    if r < 0.04:
        return email.capitalize()
    if r < 0.06:
        return f" {email}"
    if r < 0.08:
        return email.upper()
    return email


def make_orders(rng, customers):
    rows, number = [], 1001
    start = END - dt.timedelta(days=730)
    events = []
    for c in customers:
        k = rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4, 6, 9]) + (8 if c["vip"] else 0)
        for _ in range(k):
            events.append((start + dt.timedelta(seconds=rng.randint(0, 730 * 86400)), c))
    for _ in range(len(customers) // 20):  # point-of-sale orders without e-mail
        events.append((start + dt.timedelta(seconds=rng.randint(0, 730 * 86400)), None))
    events.sort(key=lambda e: e[0])
    for created, c in events:
        name = f"#{number}"
        number += 1
        lines = [rng.choice(PRODUCTS) for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4]))]
        quantities = [rng.choice([1, 1, 1, 2, 3]) for _ in lines]
        subtotal = round(sum(p[2] * q for p, q in zip(lines, quantities)), 2)
        code = rng.choice(["", "", "", "SYKSY15", "TERVETULOA10"])
        discount = round(subtotal * (0.15 if code == "SYKSY15" else 0.10), 2) if code else 0.0
        shipping = 0.0 if subtotal >= 60 else 5.90
        total = round(subtotal - discount + shipping, 2)
        taxes = round(total * 25.5 / 125.5, 2)
        status = rng.choices(["paid", "partially_refunded", "refunded", "pending", "voided"], [85, 4, 5, 4, 2])[0]
        refunded = total if status == "refunded" else round(total * 0.3, 2) if status == "partially_refunded" else 0
        paid_at = shopify_time(created + dt.timedelta(minutes=1)) if status != "pending" else ""
        email = shown_email(rng, c["email"]) if c else ""
        if c and status in ("paid", "partially_refunded"):
            c["orders"].append(name)
            c["spent"] += total - refunded
        city, zip_code, country = (c["city"], c["zip"], c["country"]) if c else ("Helsinki", "00100", "FI")
        full_name = f"{c['first']} {c['last']}" if c else ""
        for j, ((title, sku, price), qty) in enumerate(zip(lines, quantities)):
            row = {h: "" for h in ORDER_HEADERS}
            row.update({"Name": name, "Email": email, "Created at": shopify_time(created),
                        "Lineitem quantity": str(qty), "Lineitem name": title, "Lineitem price": money(price),
                        "Lineitem sku": sku, "Lineitem requires shipping": "false" if sku.startswith("GC") else "true",
                        "Lineitem taxable": "true", "Lineitem fulfillment status": "fulfilled",
                        "Lineitem discount": "0.00", "Vendor": "Villapaja"})
            if j == 0:
                row.update({
                    "Financial Status": status, "Paid at": paid_at, "Fulfillment Status": "fulfilled",
                    "Fulfilled at": shopify_time(created + dt.timedelta(days=1)),
                    "Accepts Marketing": "yes" if c and c["accepts"] else "no", "Currency": "EUR",
                    "Subtotal": money(subtotal), "Shipping": money(shipping), "Taxes": money(taxes),
                    "Total": money(total), "Discount Code": code, "Discount Amount": money(discount),
                    "Shipping Method": "Posti SmartPOST" if c else "", "Billing Name": full_name,
                    "Billing Street": "Mannerheimintie 1" if c else "", "Billing Address1": "Mannerheimintie 1",
                    "Billing City": city, "Billing Zip": zip_code, "Billing Country": country,
                    "Shipping Name": full_name, "Shipping City": city, "Shipping Zip": zip_code,
                    "Shipping Country": country, "Cancelled at": shopify_time(created) if status == "voided" else "",
                    "Payment Method": rng.choice(["Shopify Payments", "Klarna", "MobilePay", "Paytrail"]),
                    "Payment Reference": f"c{rng.randint(10**11, 10**12)}.1",
                    "Refunded Amount": money(refunded), "Outstanding Balance": "0.00",
                    "Id": str(5_900_000_000_000 + number * 13), "Risk Level": "Low",
                    "Source": "web" if c else "pos", "Tax 1 Name": "ALV 25.5%", "Tax 1 Value": money(taxes),
                    "Phone": "", "Payment ID": f"r{rng.randint(10**9, 10**10)}",
                })
            rows.append(row)
    return rows


def make_campaign(rng, customers):
    rows, sent = [], dt.datetime(2025, 11, 18, 6, 0, 0)
    recipients = [c for c in customers if c["accepts"]]
    extra = len(customers) // 4  # newsletter subscribers who never bought
    for i in range(extra):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        recipients.append({"first": first, "last": last, "email": f"uutiskirje{i}.{ascii_name(last)}@{rng.choice(DOMAINS)}",
                           "orders": []})
    rng.shuffle(recipients)
    for r in recipients:
        variant = rng.choice("AB")
        loyal = len(r["orders"]) >= 3
        p_open = (0.28 if variant == "A" else 0.36) + (0.15 if loyal else 0)
        opened = rng.random() < p_open
        clicked = opened and rng.random() < 0.25
        bounced = rng.random() < 0.01
        revenue = round(rng.uniform(15, 120), 2) if clicked and rng.random() < 0.4 else 0.0
        when = sent + dt.timedelta(seconds=rng.randint(0, 600))
        opens = rng.randint(1, 4) if opened else 0
        rows.append({
            "Email Address": shown_email(rng, r["email"]), "First Name": r["first"], "Last Name": r["last"],
            "Variant": variant, "Subject Line": SUBJECTS[variant], "Sent Time": finnish_time(when),
            "Opened": "kyllä" if opened else "ei", "Opens": str(opens),
            "Last Open Time": finnish_time(when + dt.timedelta(hours=rng.randint(1, 72))) if opened else "",
            "Clicked": "kyllä" if clicked else "ei", "Clicks": str(rng.randint(1, 3) if clicked else 0),
            "Unsubscribed": "kyllä" if rng.random() < 0.005 else "ei", "Bounced": "kyllä" if bounced else "ei",
            "Revenue": euro_fi(revenue),
        })
    return rows


def customer_rows(rng, customers):
    rows = []
    for c in customers:
        rows.append({
            "Customer ID": f"'{c['id']}", "First Name": c["first"], "Last Name": c["last"],
            "Email": shown_email(rng, c["email"]), "Accepts Email Marketing": "yes" if c["accepts"] else "no",
            "Default Address Company": "", "Default Address Address1": f"Kauppakatu {rng.randint(1, 60)}",
            "Default Address Address2": "", "Default Address City": c["city"], "Default Address Province Code": "",
            "Default Address Country Code": c["country"], "Default Address Zip": f"'{c['zip']}",
            "Default Address Phone": f"'{c['phone']}", "Phone": f"'{c['phone']}" if c["sms"] else "",
            "Accepts SMS Marketing": "yes" if c["sms"] else "no", "Total Spent": money(c["spent"]),
            "Total Orders": str(len(c["orders"])), "Note": "", "Tax Exempt": "no",
            "Tags": "VIP" if c["vip"] else "",
        })
    return rows


def write(path, headers, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=headers)
        w.writeheader()
        w.writerows(rows)


def generate(out_dir, customers=2000, seed=11):
    """Write the three exports into out_dir; return their paths (customers, orders, campaign)."""
    rng = random.Random(seed)
    people = make_customers(rng, customers)
    orders = make_orders(rng, people)
    campaign = make_campaign(rng, people)
    os.makedirs(out_dir, exist_ok=True)
    paths = [os.path.join(out_dir, n) for n in ("customers_export.csv", "orders_export.csv", "campaign_export.csv")]
    write(paths[0], CUSTOMER_HEADERS, customer_rows(rng, people))
    write(paths[1], ORDER_HEADERS, orders)
    write(paths[2], CAMPAIGN_HEADERS, campaign)
    return paths


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out, n, seed, i = os.path.join(root, ".cache", "shop-exports"), 2000, 11, 0
    while i < len(argv):
        if argv[i] == "--customers":
            n, i = int(argv[i + 1]), i + 2
        elif argv[i] == "--seed":
            seed, i = int(argv[i + 1]), i + 2
        else:
            out, i = argv[i], i + 1
    for p in generate(out, n, seed):
        print(p, os.path.getsize(p), "bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
