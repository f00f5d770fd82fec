#!/usr/bin/env python3
"""Streams an answer from a Flowgraph API element (POST /prompt) and prints it as it arrives.

It reads the stream the way the API guide's reference client does: every received chunk is split on
'{"choices":' and each piece is parsed as JSON, so it also checks that a server stays compatible with it.

    FLOW_API_KEY=QWERTY123 python3 examples/clients/stream_story.py "Once upon a time,"

Options: --url (default http://localhost:5050/prompt), --key (default $FLOW_API_KEY),
--system TEXT (a system message first), --summary (print a JSON summary on stderr at the end).
"""
import argparse
import json
import os
import sys

import requests

MARKER = '{"choices":'


def stream_answer(url, key, messages, echo=True):
    """Returns (text, stats). Raises RuntimeError on a non-200 answer."""
    response = requests.post(url, headers={"Content-Type": "application/json", "X-API-Key": key},
                             json={"message": messages}, stream=True, timeout=600)
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text}")
    text, chunks, events, json_errors, finish = "", 0, 0, 0, None
    for chunk in response.iter_content(chunk_size=None):
        chunks += 1
        for piece in chunk.decode("utf-8").split(MARKER)[1:]:
            try:
                event = json.loads(MARKER + piece.strip())
            except json.JSONDecodeError:
                json_errors += 1
                continue
            events += 1
            content = event["choices"][0]["message"]["content"]
            finish = event["choices"][0].get("finish_reason") or finish
            text += content
            if echo:
                print(content, end="", flush=True)
    if echo:
        print()
    return text, {"chunks": chunks, "events": events, "json_errors": json_errors, "finish_reason": finish,
                  "content_type": response.headers.get("Content-Type")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompt")
    parser.add_argument("--url", default="http://localhost:5050/prompt")
    parser.add_argument("--key", default=os.environ.get("FLOW_API_KEY", ""))
    parser.add_argument("--system")
    parser.add_argument("--summary", action="store_true")
    args = parser.parse_args()
    messages = ([{"role": "system", "content": args.system}] if args.system else [])
    messages.append({"role": "user", "content": args.prompt})
    try:
        text, stats = stream_answer(args.url, args.key, messages)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    if args.summary:
        stats["text"] = text
        print(json.dumps(stats), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
