"""Structured data as consumers read it: extruct parses JSON-LD and Open Graph from HTML."""

import extruct


def json_ld(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return extruct.extract(response.content.decode(), syntaxes=["json-ld"])["json-ld"]


def open_graph(client, url: str) -> dict[str, str]:
    """The page's og: properties (the first value of each)."""
    response = client.get(url)
    assert response.status_code == 200, url
    [graph] = extruct.extract(response.content.decode(), syntaxes=["opengraph"])["opengraph"]
    values: dict[str, str] = {}
    for key, value in graph["properties"]:
        values.setdefault(key, value)
    return values
