"""LocalLab's model management as a client written from locallab-api.txt uses it, with Python requests.

Usage: locallab_models.py BASE_URL KEY COPY_NAME BROKEN_NAME
Lists the models, swaps to COPY_NAME while another thread keeps generating, tries BROKEN_NAME, unloads and loads
again, reads /system/info; prints one JSON object with what each call gave.
"""
import json
import sys
import threading

import requests

BASE_URL, KEY, COPY, BROKEN = sys.argv[1:5]
HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer " + KEY}


def get(path):
    r = requests.get(BASE_URL + path, headers=HEADERS, timeout=60)
    return {"status": r.status_code, "body": r.json()}


def post(path, body=None):
    r = requests.post(BASE_URL + path, headers=HEADERS, data=json.dumps(body) if body is not None else None,
                      timeout=60)
    return {"status": r.status_code, "body": r.json()}


out = {"available": get("/models/available"), "current": get("/models/current")}

statuses, stop = [], threading.Event()


def traffic():
    while not stop.is_set():
        statuses.append(post("/generate", {"prompt": "Once upon a time,", "max_length": 16})["status"])


worker = threading.Thread(target=traffic)
worker.start()
while len(statuses) < 3:
    pass
out["load"] = post("/models/load", {"model_id": COPY})
while len(statuses) < 6:
    pass
stop.set()
worker.join()
out["traffic"] = statuses
out["after_load"] = get("/models/current")
out["broken"] = post("/models/load", {"model_id": BROKEN})
out["after_broken"] = get("/models/current")
out["unload"] = post("/models/unload")
out["while_unloaded"] = post("/generate", {"prompt": "Hello"})
out["reload"] = post("/models/load", {"model_id": out["current"]["body"]["model_id"]})
out["after_reload"] = post("/generate", {"prompt": "Hello", "max_length": 8})
out["system"] = get("/system/info")
out["missing"] = post("/models/load", {})
print(json.dumps(out))
