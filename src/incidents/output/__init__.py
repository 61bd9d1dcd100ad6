"""Output for people: answers shaped into rows (``rows``), described in words (``describe``), and
rendered as a table, JSON or CSV (``render``). Nothing here reads the store."""
