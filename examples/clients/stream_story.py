#!/usr/bin/env python3
"""Streams an answer from a Flowgraph API element (POST /prompt) and prints it as it arrives.

It reads the stream as server-sent events: bytes are gathered across chunks and split into events on blank lines,
so it reads every piece whatever a proxy does to the chunks (NGINX re-chunks a stream and merges events that come
close together; a client that parses each chunk on its own, as the API guide's example does, then loses pieces).

    FLOW_API_KEY=QWERTY123 python3 examples/clients/stream_story.py "Once upon a time,"

Options: --url (default http://localhost:5050/prompt), --key (default $FLOW_API_KEY),
--system TEXT (a system message first), --summary (print a JSON summary on stderr at the end).
"""
import argparse
import codecs
import json
import os
import sys

import requests

def sse_data(response):
    """Yields the data of each server-sent event, however the bytes were cut into chunks on the way."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer = ""
    for chunk in response.iter_content(chunk_size=None):
        buffer += decoder.decode(chunk)
        buffer = buffer.replace("\r\n", "\n")
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            lines = [line[5:].removeprefix(" ") for line in block.split("\n") if line.startswith("data:")]
            if lines:  # a comment (": keep-alive") carries no data
                yield "\n".join(lines)


def stream_answer(url, key, messages, echo=True):
    """Returns (text, stats). Raises RuntimeError on a non-200 answer."""
    response = requests.post(url, headers={"Content-Type": "application/json", "X-API-Key": key},
                             json={"message": messages}, stream=True, timeout=600)
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text}")
    text, events, json_errors, finish, done = "", 0, 0, None, False
    for data in sse_data(response):
        if data == "[DONE]":
            done = True
            break
        try:
            event = json.loads(data)
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
    return text, {"events": events, "json_errors": json_errors, "finish_reason": finish, "done": done,
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
