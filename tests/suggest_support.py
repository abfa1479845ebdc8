"""A small synthetic corpus for the suggester: known facts from one article, news in another."""

from __future__ import annotations

import textwrap
from pathlib import Path

OLD = "001_old.txt"
NEW = "002_news.txt"
OLD_TEXT = textwrap.dedent("""\
    Alliance partners keep their stakes

    By Test Writer | 3 May 2021

    Nissan holds a 15% stake in Renault, and Renault holds a 15% stake in Nissan.

    Jane Doe, chief executive of Nissan, spoke at the show.

    Renault plans a stock market listing of Ampere in 2024.
    """)
NEW_TEXT = textwrap.dedent("""\
    Alliance partners cut their ties

    By Test Writer | 8 March 2024

    Nissan and Renault cut their cross-holdings to 10%, the companies said on Monday.

    Jane Doe will step down as chief executive of Nissan in June.

    Renault is in talks with Volkswagen to share the programme for a small electric car.

    Nissan ended talks with Honda about a merger.

    Renault reportedly plans to invest in Rivian, sources said.

    Nissan has no plans to invest in Tesla.

    Renault has cancelled the stock market listing of Ampere.

    The meeting room was large and bright.
    """)
FACTS = textwrap.dedent("""\
    companies:
      - id: renault-group
        name: Renault Group
        aliases: [Renault]
        type: automaker
        sources:
          - {article: 001_old.txt, quote: "Renault holds a 15% stake in Nissan"}
      - id: nissan
        name: Nissan
        type: automaker
        sources:
          - {article: 001_old.txt, quote: "Nissan holds a 15% stake in Renault"}
      - id: volkswagen
        name: Volkswagen
        type: automaker
        sources:
          - {article: 002_news.txt, quote: "in talks with Volkswagen"}
      - id: honda
        name: Honda
        type: automaker
        sources:
          - {article: 002_news.txt, quote: "talks with Honda"}
      - id: ampere
        name: Ampere
        type: business-unit
        parent: renault-group
        sources:
          - {article: 001_old.txt, quote: "listing of Ampere"}
    plans:
      - id: plan-ampere-listing
        subject: ampere
        summary: Renault plans a stock market listing of Ampere in 2024.
        status: planned
        mentions: [renault-group]
        sources:
          - {article: 001_old.txt, quote: "Renault plans a stock market listing of Ampere in 2024."}
    people:
      - id: jane-doe
        name: Jane Doe
        sources:
          - {article: 001_old.txt, quote: "Jane Doe, chief executive of Nissan"}
    roles:
      - id: role-jane-doe-nissan-ceo
        person: jane-doe
        title: Chief executive
        org: nissan
        sources:
          - {article: 001_old.txt, quote: "Jane Doe, chief executive of Nissan"}
    partnerships:
      - id: nissan-honda-merger-talks
        name: Nissan-Honda merger talks
        type: talks
        parties: [nissan, honda]
        covers: A merger.
        status: in-talks
        sources:
          - {article: 001_old.txt, quote: "spoke at the show"}
    stakes:
      - id: stake-nissan-in-renault
        holder: nissan
        target: renault-group
        percent: 15
        status: current
        sources:
          - {article: 001_old.txt, quote: "Nissan holds a 15% stake in Renault"}
      - id: stake-renault-in-nissan
        holder: renault-group
        target: nissan
        percent: 15
        status: current
        sources:
          - {article: 001_old.txt, quote: "Renault holds a 15% stake in Nissan"}
    """)


def make_corpus(root: Path) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "facts").mkdir()
    (root / "seeds" / OLD).write_text(OLD_TEXT, encoding="utf-8")
    (root / "seeds" / NEW).write_text(NEW_TEXT, encoding="utf-8")
    (root / "facts" / "known.yaml").write_text(FACTS, encoding="utf-8")
    return root
