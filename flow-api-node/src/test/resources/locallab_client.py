"""A LocalLab client written from locallab-api.txt, with Python requests: every generation route, streamed and not.

Usage: locallab_client.py BASE_URL KEY
Prints one JSON object with what each call gave, for the test to check.
"""
import json
import sys

import requests

BASE_URL, KEY = sys.argv[1], sys.argv[2]
HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer " + KEY}
GREEDY = {"max_length": 24, "do_sample": False}


def post(path, body, **kwargs):
    return requests.post(BASE_URL + path, headers=HEADERS, data=json.dumps(body), timeout=60, **kwargs)


def streamed(path, body):
    """The stream as the spec describes it: events of 'data: <token>' lines, ended by 'data: [DONE]'."""
    text, events, done, data = "", 0, False, None
    with post(path, dict(body, stream=True), stream=True) as r:
        r.raise_for_status()
        for line in r.iter_lines(decode_unicode=True):
            if line == "":  # a blank line ends an event; its data lines are joined by line breaks
                if data is not None:
                    if data == "[DONE]":
                        done = True
                    else:
                        text, events = text + data, events + 1
                data = None
            elif line.startswith("data:"):
                value = line[6:] if line.startswith("data: ") else line[5:]
                data = value if data is None else data + "\n" + value
    return {"text": text, "events": events, "done": done}


out = {}
generate = post("/generate", dict(GREEDY, prompt="Once upon a time,"))
out["generate"] = {"status": generate.status_code, "body": generate.json()}
out["generate_stream"] = streamed("/generate", dict(GREEDY, prompt="Once upon a time,"))

messages = [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Once upon a time,"}]
chat = post("/chat", dict(GREEDY, messages=messages))
out["chat"] = {"status": chat.status_code, "body": chat.json()}
out["chat_stream"] = streamed("/chat", dict(GREEDY, messages=messages))

prompts = ["Once upon a time,", "Tom had a ball", "The sun was", "Lily and Ben"]
batch = post("/generate/batch", dict(GREEDY, prompts=prompts))
out["batch"] = {"status": batch.status_code, "body": batch.json()}
out["singles"] = [post("/generate", dict(GREEDY, prompt=p)).json()["response"] for p in prompts]

missing = post("/generate", {"max_length": 5})
out["missing_prompt"] = {"status": missing.status_code, "body": missing.json()}
wrong = post("/chat", {"messages": [{"role": "robot", "content": "hi"}]})
out["wrong_role"] = {"status": wrong.status_code, "body": wrong.json()}
typed = post("/generate", {"prompt": "hi", "temperature": "hot"})
out["wrong_type"] = {"status": typed.status_code, "body": typed.json()}
unauthorized = requests.post(BASE_URL + "/generate", json={"prompt": "hi"}, timeout=60)
out["no_key"] = {"status": unauthorized.status_code, "body": unauthorized.json()}
print(json.dumps(out))
